"""Push payments: recorded in QuickBooks, applied to their invoices, deposited, reversed."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from mappers import Deposit, DepositedPayment, EntityRef
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import books, payment, sent_messages, sync_until_done

D = Decimal


def test_payments_applied_partial_and_unapplied_move_the_books(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00", "INV-2": "80.00"}, "Bob": {"INV-3": "50.00"}})
    wc = connect(quickbooks)
    wc.run_session()  # the first sync pulls the customers and invoices
    clock.advance(60 * 20)
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "100.00",
                                                    invoices={"INV-1": "100.00"}))
    services.sync.submit("Acme", "payment", payment("P-2", "Alice", "30.00",
                                                    invoices={"INV-2": "30.00"}))
    services.sync.submit("Acme", "payment", payment("P-3", "Bob", "20.00"))

    sync_until_done(wc, services, clock)

    assert quickbooks.invoice_balance("INV-1") == D("0.00")
    assert quickbooks.invoice_balance("INV-2") == D("50.00")
    assert quickbooks.invoice_balance("INV-3") == D("50.00")
    (bob_payment,) = quickbooks.payments_of("Bob")
    assert quickbooks.unused_payment(bob_payment) == D("20.00")
    assert quickbooks.customer_balance("Alice") == D("50.00")
    assert quickbooks.customer_balance("Bob") == D("30.00")
    assert quickbooks.account_balance("Undeposited Funds") == D("150.00")
    for external_id in ("P-1", "P-2", "P-3"):
        view = services.sync.record("Acme", "payment", external_id=external_id)
        assert view.push_state == "synced"
        assert view.qb_id in quickbooks.books.payments
    pushed = {c.external_id for c in services.sync.changes("Acme", limit=1000)
              if c.kind == "payment" and c.change == "pushed"}
    assert pushed == {"P-1", "P-2", "P-3"}


def test_a_payment_goes_to_the_partners_payment_account(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00"}})
    wc = connect(quickbooks)
    # Straight into the bank: possible only while deposits are not pushed.
    services.sync.configure("Acme", directions={"deposit": "off"}, payment_account="Checking")
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "60.00",
                                                    invoices={"INV-1": "60.00"}))
    sync_until_done(wc, services, clock)
    assert quickbooks.account_balance("Checking") == D("60.00")
    assert quickbooks.account_balance("Undeposited Funds") == D("0.00")


def test_120_payments_go_in_three_write_round_trips(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {}})
    wc = connect(quickbooks)
    for n in range(120):
        services.sync.submit("Acme", "payment", payment(f"P-{n}", "Alice", "1.00"))
    results = sync_until_done(wc, services, clock)
    assert len(results) == 1
    writes = [m for m in sent_messages(results) if "ReceivePaymentAddRq" in m]
    assert len(writes) == math.ceil(120 / 50) == 3
    assert len(quickbooks.payments_of("Alice")) == 120
    assert services.sync.counts("Acme")["payment"] == {"synced": 120}


def test_a_deposit_moves_payments_to_the_bank(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00"}})
    wc = connect(quickbooks)
    services.sync.configure("Acme", deposit_account="Checking")
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "60.00",
                                                    invoices={"INV-1": "60.00"}))
    services.sync.submit("Acme", "payment", payment("P-2", "Alice", "15.00"))
    payout = Deposit(external_id="PAYOUT-1", bank_account=EntityRef(name=""),
                     payments=(DepositedPayment(payment=EntityRef(name="P-1")),
                               DepositedPayment(payment=EntityRef(name="P-2"))))
    services.sync.submit("Acme", "deposit", payout)

    sync_until_done(wc, services, clock)

    assert quickbooks.account_balance("Undeposited Funds") == D("0.00")
    assert quickbooks.account_balance("Checking") == D("75.00")
    view = services.sync.record("Acme", "deposit", external_id="PAYOUT-1")
    assert view.push_state == "synced"
    assert view.qb_id in quickbooks.books.deposits


def test_a_deposit_without_a_bank_account_fails_and_says_why(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {}})
    wc = connect(quickbooks)
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "15.00"))
    services.sync.submit("Acme", "deposit", Deposit(
        external_id="PAYOUT-1", bank_account=EntityRef(name=""),
        payments=(DepositedPayment(payment=EntityRef(name="P-1")),)))
    results = sync_until_done(wc, services, clock)
    # The deposit fails before anything is sent, and the session still ends cleanly at 100.
    assert results[0].outcome is Outcome.OK, results[0].last_error
    assert results[0].progress[-1] == 100
    view = services.sync.record("Acme", "deposit", external_id="PAYOUT-1")
    assert view.push_state == "failed"
    assert "no bank account is chosen for deposits" in (view.push_error or "")
    assert quickbooks.account_balance("Undeposited Funds") == D("15.00")


def test_a_reversed_payment_is_deleted_and_the_invoice_is_open_again(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00"}})
    wc = connect(quickbooks)
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "100.00",
                                                    invoices={"INV-1": "100.00"}))
    sync_until_done(wc, services, clock)
    assert quickbooks.invoice_balance("INV-1") == D("0.00")

    services.sync.reverse_payment("Acme", "P-1")
    sync_until_done(wc, services, clock)

    assert quickbooks.payments_of("Alice") == []
    assert quickbooks.invoice_balance("INV-1") == D("100.00")
    assert quickbooks.account_balance("Undeposited Funds") == D("0.00")
    view = services.sync.record("Acme", "payment", external_id="P-1")
    assert view.is_deleted
    assert view.push_state == "synced"
    changes = [c.change for c in services.sync.changes("Acme", limit=1000)
               if c.external_id == "P-1"]
    assert changes == ["pushed", "reversed"]


def test_a_deposited_payment_is_not_reversed_behind_the_banks_back(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {}})
    wc = connect(quickbooks)
    services.sync.configure("Acme", deposit_account="Checking")
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "15.00"))
    services.sync.submit("Acme", "deposit", Deposit(
        external_id="PAYOUT-1", bank_account=EntityRef(name=""),
        payments=(DepositedPayment(payment=EntityRef(name="P-1")),)))
    sync_until_done(wc, services, clock)

    services.sync.reverse_payment("Acme", "P-1")
    sync_until_done(wc, services, clock)

    view = services.sync.record("Acme", "payment", external_id="P-1")
    assert view.push_state == "failed"
    assert "part of deposit PAYOUT-1" in (view.push_error or "")
    assert len(quickbooks.payments_of("Alice")) == 1
    assert quickbooks.account_balance("Checking") == D("15.00")
