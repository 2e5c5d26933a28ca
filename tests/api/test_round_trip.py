"""The API end to end: a simulated Web Connector with a simulated QuickBooks company syncs,
and the API shows what was pulled and what a pushed payment became."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.api.conftest import ApiClient


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))


def _connect(app: Flask, api: ApiClient, quickbooks: SimulatedCompany) -> SimulatedWebConnector:
    created = api.post("/companies", json={"name": "Acme"}).get_json()
    return SimulatedWebConnector.over(
        WsgiTransport(app), quickbooks,
        WebConnectorSettings(username=created["username"], password=created["password"]),
        sleep=lambda seconds: None)


def _ada_at_acme(app: Flask, api: ApiClient, clock: FakeClock, settings: dict[str, Any]
                 ) -> tuple[SimulatedCompany, SimulatedWebConnector]:
    """Acme, whose QuickBooks knows Ada Lovelace, connected, with these settings."""
    quickbooks = SimulatedCompany(clock=clock.now)
    quickbooks.add_customer("Ada Lovelace")
    wc = _connect(app, api, quickbooks)
    assert api.put("/companies/Acme/settings", json=settings).status_code == 200
    return quickbooks, wc


def _feed(api: ApiClient, after: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    entries: list[dict[str, Any]] = []
    while True:
        query = "?limit=50" + (f"&after={after}" if after else "")
        page = api.get(f"/companies/Acme/changes{query}").get_json()
        entries += page["data"]
        after = page["next_cursor"]
        if not page["has_more"]:
            return entries, after


def test_pulled_customers_and_invoices_are_readable(app: Flask, api: ApiClient,
                                                    clock: FakeClock) -> None:
    quickbooks = SimulatedCompany(clock=clock.now)
    quickbooks.add_customer("Ada Lovelace", Email="ada@example.com")
    invoice = quickbooks.add_invoice("Ada Lovelace", [{"item": "Consulting", "quantity": "2",
                                                       "rate": "150.00"}], ref_number="1001")
    wc = _connect(app, api, quickbooks)
    assert wc.run_session().outcome is Outcome.OK

    customers = api.get("/companies/Acme/customers").get_json()["data"]
    assert [c["data"]["name"] for c in customers] == ["Ada Lovelace"]
    assert customers[0]["push"]["state"] == "none"
    read = api.get(f"/companies/Acme/invoices/qb/{invoice.txn_id}").get_json()
    assert read["data"]["total"] == "300.00"
    assert read["data"]["customer"]["name"] == "Ada Lovelace"
    entries, cursor = _feed(api)
    assert {("customer", "created"), ("invoice", "created")} <= {
        (e["kind"], e["change"]) for e in entries}
    assert cursor is not None
    status = api.get("/companies/Acme/status").get_json()
    assert status["status"] == "healthy"
    assert status["last_sync_at"] is not None

    clock.advance(minutes=20)
    quickbooks.modify_customer("Ada Lovelace", Email="ada@analytical.example")
    assert wc.run_session().outcome is Outcome.OK
    later, _ = _feed(api, cursor)
    assert [(e["kind"], e["change"]) for e in later] == [("customer", "updated")]
    assert later[0]["data"]["email"] == "ada@analytical.example"


def test_a_payment_put_through_the_api_reaches_quickbooks_and_the_feed(
    app: Flask, api: ApiClient, clock: FakeClock
) -> None:
    quickbooks = SimulatedCompany(clock=clock.now)
    quickbooks.add_customer("Ada Lovelace")
    quickbooks.add_invoice("Ada Lovelace", [{"item": "Consulting", "amount": "150.00"}],
                           ref_number="1001", txn_date=date(2025, 12, 1))
    wc = _connect(app, api, quickbooks)
    assert wc.run_session().outcome is Outcome.OK  # the first session pulls the books
    _, cursor = _feed(api)

    payment = {"customer": {"name": "Ada Lovelace"}, "amount": "150.00",
               "date": "2026-01-05", "reference": "ch_1",
               "applications": [{"invoice": {"name": "1001"}, "amount": "150.00"}]}
    assert api.put("/companies/Acme/payments/pay-1", json=payment).status_code == 200
    clock.advance(minutes=20)
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error

    record = api.get("/companies/Acme/payments/pay-1").get_json()
    assert record["push"]["state"] == "synced", record["push"]
    assert record["qb_id"]
    in_quickbooks = quickbooks.payments_of("Ada Lovelace")
    assert [(p.txn_id, str(p.total)) for p in in_quickbooks] == [
        (record["qb_id"], "150.00")]
    entries, _ = _feed(api, cursor)
    pushed = [e for e in entries if e["kind"] == "payment" and e["external_id"] == "pay-1"]
    assert [e["change"] for e in pushed] == ["pushed"]
    assert pushed[0]["qb_id"] == record["qb_id"]
    assert api.get(f"/companies/Acme/payments/qb/{record['qb_id']}").get_json()[
        "external_id"] == "pay-1"
    # The same PUT after the push: nothing changes, nothing is sent again.
    again = api.put("/companies/Acme/payments/pay-1", json=payment)
    assert again.status_code == 200
    assert again.get_json()["push"]["state"] == "synced"


def test_a_deposit_without_a_bank_account_goes_to_the_partners_deposit_account(
    app: Flask, api: ApiClient, clock: FakeClock
) -> None:
    quickbooks, wc = _ada_at_acme(app, api, clock, {"deposit_account": "Savings"})
    payment = {"customer": {"name": "Ada Lovelace"}, "amount": "40.00", "date": "2026-01-05"}
    assert api.put("/companies/Acme/payments/pay-1", json=payment).status_code == 200
    payout = {"date": "2026-01-06", "payments": [{"payment": {"name": "pay-1"}}]}
    put = api.put("/companies/Acme/deposits/payout-1", json=payout)
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["data"]["bank_account"] is None

    for _ in range(3):  # the deposit waits for its payment, then follows it
        result = wc.run_session()
        assert result.outcome is Outcome.OK, result.last_error
        clock.advance(minutes=20)

    record = api.get("/companies/Acme/deposits/payout-1").get_json()
    assert record["push"]["state"] == "synced", record["push"]
    assert quickbooks.account_balance("Savings") == Decimal("40.00")
    assert quickbooks.account_balance("Undeposited Funds") == Decimal("0.00")


def test_an_invoice_is_booked_with_the_total_the_api_answered(
    app: Flask, api: ApiClient, clock: FakeClock
) -> None:
    quickbooks, wc = _ada_at_acme(app, api, clock, {"directions": {"invoice": "both"}})
    lines = [{"item": {"name": "Consulting"}, "quantity": "3", "rate": "1.335"},
             {"item": {"name": "Consulting"}, "quantity": "1", "rate": "0.005"}]
    wrong = api.put("/companies/Acme/invoices/inv-1",
                    json={"customer": {"name": "Ada Lovelace"}, "number": "1001",
                          "lines": lines, "total": "4.01"})
    assert wrong.status_code == 422  # each line rounds on its own: 4.01 + 0.01
    put = api.put("/companies/Acme/invoices/inv-1",
                  json={"customer": {"name": "Ada Lovelace"}, "number": "1001",
                        "lines": lines})
    assert put.get_json()["data"]["total"] == "4.02"

    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    assert api.get("/companies/Acme/invoices/inv-1").get_json()["push"]["state"] == "synced"
    invoice = quickbooks.invoice("1001")
    assert invoice is not None
    assert invoice.subtotal == Decimal("4.02")
