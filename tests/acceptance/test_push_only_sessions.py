"""A company that only pushes: a session only when something is due, and never an error
for having nothing to send.

Before, every cadence started a session for such a company; its first sendRequestXML had
nothing to send, so the Web Connector showed "Finished with an error: Nothing more to send"
every five minutes, forever."""

from __future__ import annotations

import pytest
from flask import Flask

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import LATER, acme, books, payment

PUSH_ONLY = {"account": "off", "item": "off", "customer": "off", "invoice": "off",
             "payment": "push", "deposit": "push"}


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    company = quickbooks_at(clock)
    books(company, {"Alice": {"INV-1": "100.00"}})
    return company


def test_a_push_only_company_with_nothing_due_is_not_asked_for_a_session(
    app: Flask, services: Services, quickbooks: SimulatedCompany, clock: FakeClock,
) -> None:
    connect = acme(app, services, directions=PUSH_ONLY)
    wc = connect(quickbooks)
    invoice = quickbooks.invoice("INV-1")
    assert invoice is not None
    services.sync.submit("Acme", "payment", payment(
        "P-1", "Alice", "40.00", invoices={invoice.txn_id: "40.00"}, by_txn_id=True))
    assert wc.run_session().outcome is Outcome.OK
    assert services.sync.record("Acme", "payment", external_id="P-1").push_state == "synced"

    for _ in range(3):  # cadence after cadence with nothing to push
        clock.advance(LATER.total_seconds())
        result = wc.run_session()
        assert result.outcome is Outcome.NONE, result.last_error
        assert result.methods[-2:] == ["authenticate", "closeConnection"]
    assert services.companies.get("Acme").status == "healthy"

    # A new payment is work again, at once.
    services.sync.submit("Acme", "payment", payment("P-2", "Alice", "10.00"))
    assert wc.run_session().outcome is Outcome.OK
    assert services.sync.record("Acme", "payment", external_id="P-2").push_state == "synced"


def test_a_session_that_finds_nothing_to_send_after_all_ends_cleanly_and_counts(
    app: Flask, services: Services, quickbooks: SimulatedCompany, clock: FakeClock,
) -> None:
    connect = acme(app, services, directions=PUSH_ONLY)
    wc = connect(quickbooks)
    # Due, but it waits for an invoice QuickBooks has never shown us: nothing goes out.
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "40.00",
                                                    invoices={"INV-9": "40.00"}))

    for _ in range(2):  # its wait ends every few minutes, and finds nothing again
        before = services.companies.get("Acme").last_sync_at
        result = wc.run_session()
        assert result.outcome is Outcome.OK, result.last_error
        assert (result.close_status or "").startswith("OK")
        assert result.progress == (100,)
        view = services.companies.get("Acme")
        assert view.status == "healthy"
        assert view.last_sync_at is not None
        assert before is None or view.last_sync_at > before
        clock.advance(LATER.total_seconds())
    record = services.sync.record("Acme", "payment", external_id="P-1")
    assert record.push_state == "pending"
    assert "INV-9" in (record.push_error or "")
