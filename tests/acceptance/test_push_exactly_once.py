"""Nothing lost, nothing twice: payments survive lost answers, crashes, duplicates, expiry, locks.

These companies push payments and pull nothing, so a session's messages are the reconcile
look-ups and the payment batches, and a fault's ``nth`` points at a payment batch.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from flask import Flask

from mappers import identity_guid
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import Fault
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import books, payment, sync_until_done

D = Decimal
PULL_NOTHING = {kind: "off" for kind in ("account", "item", "customer", "invoice")}
WebConnectorFor = Callable[..., SimulatedWebConnector]


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    company = quickbooks_at(clock)
    books(company, {"Alice": {"INV-1": "1000.00"}, "Bob": {}})
    return company


@pytest.fixture
def web_connector(app: Flask, services: Services, quickbooks: SimulatedCompany) -> WebConnectorFor:
    """A simulated Web Connector for company Acme, with the faults asked for."""
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", directions=PULL_NOTHING)

    def make(*faults: str, over: SimulatedCompany | None = None) -> SimulatedWebConnector:
        return SimulatedWebConnector.over(
            WsgiTransport(app), over or quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            faults=[Fault.parse(text) for text in faults], sleep=lambda seconds: None)

    return make


def _submit(services: Services, quickbooks: SimulatedCompany, count: int) -> dict[str, Decimal]:
    """``count`` payments for Bob (unapplied) and one applied to Alice's invoice."""
    intended = {}
    for n in range(count):
        amount = D(f"{n + 1}.00")
        services.sync.submit("Acme", "payment", payment(f"P-{n}", "Bob", str(amount)))
        intended[f"P-{n}"] = amount
    invoice = quickbooks.invoice("INV-1")
    assert invoice is not None
    services.sync.submit("Acme", "payment", payment(
        "P-A", "Alice", "250.00", invoices={invoice.txn_id: "250.00"}, by_txn_id=True))
    intended["P-A"] = D("250.00")
    return intended


def _assert_exactly(quickbooks: SimulatedCompany, services: Services,
                    intended: dict[str, Decimal]) -> None:
    """QuickBooks holds each intended payment once, and the platform sees the same."""
    scope = services.companies.get("Acme").file_id
    by_guid = {identity_guid(scope, "payment", ext): ext for ext in intended}
    held = list(quickbooks.books.payments.values())
    assert sorted(by_guid.get(p.external_guid or "", "?") for p in held) == sorted(intended)
    for p in held:
        external_id = by_guid[p.external_guid or ""]
        assert p.total == intended[external_id]
        view = services.sync.record("Acme", "payment", external_id=external_id)
        assert (view.push_state, view.qb_id) == ("synced", p.txn_id)
    assert quickbooks.invoice_balance("INV-1") == D("750.00")
    assert quickbooks.account_balance("Undeposited Funds") == sum(intended.values())


@pytest.mark.parametrize("fault", [
    "drop-answer:method=receiveResponseXML,nth=2",  # the server read batch 2; QBWC never heard
    "drop-answer:method=sendRequestXML,nth=2",  # batch 2 never reached QuickBooks
    "crash-after-apply:nth=2",  # QuickBooks applied batch 2, then QBWC died
    "duplicate:method=receiveResponseXML,nth=2",  # batch 2's answer arrives twice
    "hresult:nth=2",  # QuickBooks could not process batch 2
    "out-of-order:variant=reauthenticate,nth=2",  # a stray authenticate mid-session
    "locked:code=3175,nth=2",  # batch 2 refused while another user holds a lock
])
def test_every_payment_reaches_quickbooks_exactly_once(
    fault: str, web_connector: WebConnectorFor, quickbooks: SimulatedCompany,
    services: Services, clock: FakeClock,
) -> None:
    intended = _submit(services, quickbooks, 120)
    wc = web_connector(fault)
    sync_until_done(wc, services, clock)
    _assert_exactly(quickbooks, services, intended)


class _ExpiresWhileProcessing:
    """QuickBooks takes so long over the ``nth`` message that the server's session expires."""

    def __init__(self, inner: SimulatedCompany, clock: FakeClock, nth: int) -> None:
        self._inner, self._clock, self._left = inner, clock, nth

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def process(self, request_xml: str) -> str:
        answer = self._inner.process(request_xml)
        self._left -= 1
        if self._left == 0:
            self._clock.advance(60 * 30)
        return answer


def test_a_session_expiring_mid_batch_loses_no_payment_and_doubles_none(
    web_connector: WebConnectorFor, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    intended = _submit(services, quickbooks, 120)
    slow = _ExpiresWhileProcessing(quickbooks, clock, nth=2)
    wc = web_connector(over=slow)  # type: ignore[arg-type]
    first = wc.run_session()
    assert first.outcome is Outcome.ERROR
    counts = services.sync.counts("Acme")["payment"]
    assert counts.get("unknown", 0) + counts.get("sent", 0) == 50
    sync_until_done(wc, services, clock)
    _assert_exactly(quickbooks, services, intended)


def test_a_lock_is_retried_later_and_then_synced(
    web_connector: WebConnectorFor, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    intended = _submit(services, quickbooks, 3)
    wc = web_connector("locked:code=3175,nth=1")
    wc.run_session()
    view = services.sync.record("Acme", "payment", external_id="P-0")
    assert view.push_state == "pending"
    assert "busy" in (view.push_error or "")
    assert quickbooks.books.payments == {}
    sync_until_done(wc, services, clock)
    _assert_exactly(quickbooks, services, intended)


def test_an_overpayment_fails_in_plain_words_and_goes_through_on_retry(
    web_connector: WebConnectorFor, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    invoice = quickbooks.invoice("INV-1")
    assert invoice is not None
    services.sync.submit("Acme", "payment", payment(
        "P-12", "Alice", "1200.00", invoices={invoice.txn_id: "1200.00"}, by_txn_id=True))
    services.sync.submit("Acme", "payment", payment("P-13", "Bob", "5.00"))
    wc = web_connector()
    sync_until_done(wc, services, clock)
    view = services.sync.record("Acme", "payment", external_id="P-12")
    assert view.push_state == "failed"
    assert view.push_error == ("QuickBooks refused payment P-12: "
                               "You cannot pay more than the amount due.")
    assert services.sync.record("Acme", "payment", external_id="P-13").push_state == "synced"
    failed = [c for c in services.sync.changes("Acme", limit=1000) if c.change == "push_failed"]
    assert [c.external_id for c in failed] == ["P-12"]

    quickbooks.modify_invoice("INV-1", lines=[{"item": "Consulting", "amount": "1200.00"}])
    services.sync.retry("Acme", "payment", "P-12")
    sync_until_done(wc, services, clock)
    assert services.sync.record("Acme", "payment", external_id="P-12").push_state == "synced"
    assert quickbooks.invoice_balance("INV-1") == D("0.00")
