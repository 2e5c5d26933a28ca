"""Records that wait for another one: they follow it as soon as it is in QuickBooks, and a
wait that never ends gives up a day after it began, whatever was resent meanwhile."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from mappers import Customer, Deposit, DepositedPayment, EntityRef, Invoice, InvoiceLine
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome
from tests.acceptance.pushing import (
    PUSH_ALL,
    WebConnectorOver,
    acme,
    alice_owes_one_invoice,
    payment,
    sent_messages,
)
from tests.acceptance.refusing import Refusing, lock_message

D = Decimal


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    return alice_owes_one_invoice(clock)


@pytest.fixture
def web_connector(app: Flask, services: Services) -> WebConnectorOver:
    return acme(app, services, directions=PUSH_ALL, deposit_account="Checking")


def _states(services: Services) -> dict[str, str]:
    return {f"{kind}:{view.external_id}": view.push_state
            for kind in ("customer", "invoice", "payment", "deposit")
            for view in services.sync.records("Acme", kind)}


@pytest.mark.parametrize("locked", [
    "CustomerAddRq",  # the invoice and both payments wait for their new customer
    "InvoiceAddRq",  # the payment that pays it waits for the invoice
    "ReceivePaymentAddRq",  # the deposit waits for its payments
])
def test_a_waiting_record_follows_in_the_session_that_writes_what_it_waits_for(
    locked: str, web_connector: WebConnectorOver, quickbooks: SimulatedCompany,
    services: Services, clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Erin"))
    services.sync.submit("Acme", "invoice", Invoice(
        external_id="I-1", customer=EntityRef(name="Erin"), number="WEB-1",
        txn_date=date(2026, 1, 5),
        lines=(InvoiceLine(item=EntityRef(name="Consulting"), amount=D("50.00")),)))
    services.sync.submit("Acme", "payment", payment("P-1", "Erin", "10.00"))
    services.sync.submit("Acme", "payment", payment("P-2", "Erin", "50.00",
                                                    invoices={"WEB-1": "50.00"}))
    services.sync.submit("Acme", "deposit", Deposit(
        external_id="D-1", bank_account=EntityRef(name=""),
        payments=(DepositedPayment(payment=EntityRef(name="P-1")),
                  DepositedPayment(payment=EntityRef(name="P-2")))))
    # Another user holds a lock the first time; QuickBooks lets go within the minute.
    refusing = Refusing(quickbooks, clock.now, tag=locked, code=3175,
                        message=lock_message(3175))
    wc = web_connector(refusing)

    assert wc.run_session().outcome is Outcome.OK
    assert refusing.refused == 1
    assert "synced" not in {state for key, state in _states(services).items()
                            if key.startswith("deposit")}

    clock.advance(90)  # the lock's retry is due; the waits' own 5 minutes are not
    second = wc.run_session()

    assert second.outcome is Outcome.OK, second.last_error
    assert set(_states(services).values()) == {"synced"}, _states(services)
    assert quickbooks.invoice_balance("WEB-1") == D("0.00")
    assert quickbooks.account_balance("Checking") == D("60.00")


def test_records_waiting_for_later_do_not_hold_back_one_that_can_go_now(
    web_connector: WebConnectorOver, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    # More waiting payments than a batch looks at: QuickBooks does not know "Nobody".
    for n in range(120):
        services.sync.submit("Acme", "payment", payment(f"W-{n}", "Nobody", "1.00"))
    wc = web_connector(quickbooks)
    wc.run_session()
    assert services.sync.counts("Acme")["payment"] == {"pending": 120}

    clock.advance(60)
    services.sync.submit("Acme", "payment", payment("P-now", "Alice", "5.00"))
    wc.run_session()

    assert services.sync.record("Acme", "payment", external_id="P-now").push_state == "synced"
    assert len(quickbooks.payments_of("Alice")) == 1


def test_a_payment_resent_while_it_waits_gives_up_a_day_after_it_first_waited(
    web_connector: WebConnectorOver, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "payment", payment("P-1", "Nobody", "12.00"))
    services.companies.set_cadence("Acme", 60)  # sessions start for due work only
    wc = web_connector(quickbooks)
    start = clock.now()

    def session_at(offset: timedelta) -> int:
        """Run a session at ``start + offset``; how many times it sent the payment."""
        clock.advance((start + offset - clock.now()).total_seconds())
        return sum("ReceivePaymentAddRq" in m for m in sent_messages([wc.run_session()]))

    def state() -> tuple[str, str]:
        view = services.sync.record("Acme", "payment", external_id="P-1")
        return view.push_state, view.push_error or ""

    assert session_at(timedelta(0)) == 1  # QuickBooks: 3140, no such customer
    assert state()[0] == "pending"
    # It asks QuickBooks again every 5 minutes, not sooner.
    assert session_at(timedelta(minutes=4, seconds=59)) == 0
    assert session_at(timedelta(minutes=5)) == 1
    # Each answer is another 3140; the day is counted from the first one, not the last.
    assert session_at(timedelta(hours=24, minutes=-5)) == 1
    assert state()[0] == "pending"
    assert session_at(timedelta(hours=24)) == 1
    state_now, error = state()
    assert state_now == "failed"
    assert error.startswith("QuickBooks refused payment P-1: gave up waiting: QuickBooks does "
                            "not know the customer yet")
    assert [c.change for c in services.sync.changes("Acme", limit=100)
            if c.external_id == "P-1"] == ["push_failed"]
    assert quickbooks.books.payments == {}
    # Failed means done: the next sessions leave it alone.
    assert session_at(timedelta(hours=25)) == 0
