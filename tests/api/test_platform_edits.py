"""Platform edits under direction `both`, end to end: the REST API, a simulated Web Connector
and a simulated QuickBooks company. A second PUT must reach QuickBooks even though every
session pulls before it pushes; an accountant's edit made meanwhile is merged by the
documented conflict rule and reported, never silently lost."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from qbwc_server.app import services_of
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.company.model import Customer, SalesTxn
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.api.conftest import ApiClient
from tests.integration.pages_helpers import sign_in_admin

CUSTOMER = {"name": "Ada Lovelace", "email": "ada@old.example", "phone": "555-0100"}
INVOICE = {"customer": {"name": "Ada Lovelace"}, "number": "1001", "txn_date": "2026-01-02",
           "due_date": "2026-02-01", "memo": "first draft",
           "lines": [{"item": {"name": "Consulting"}, "quantity": "2", "rate": "150.00"}]}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    return SimulatedCompany(clock=clock.now)


@pytest.fixture
def wc(app: Flask, api: ApiClient, quickbooks: SimulatedCompany) -> SimulatedWebConnector:
    """Acme pushes and pulls customers and invoices; Ada and her invoice are in QuickBooks,
    written by the platform and pulled back once."""
    created = api.post("/companies", json={"name": "Acme"}).get_json()
    api.put("/companies/Acme/settings",
            json={"directions": {"customer": "both", "invoice": "both"}})
    connector = SimulatedWebConnector.over(
        WsgiTransport(app), quickbooks,
        WebConnectorSettings(username=created["username"], password=created["password"]),
        sleep=lambda seconds: None)
    assert api.put("/companies/Acme/customers/C-1", json=CUSTOMER).status_code == 200
    assert api.put("/companies/Acme/invoices/I-1", json=INVOICE).status_code == 200
    _sync(connector)
    assert _both_synced(api)
    return connector


def _sync(wc: SimulatedWebConnector) -> None:
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error


def _in_quickbooks(quickbooks: SimulatedCompany) -> tuple[Customer, SalesTxn]:
    """Ada and her invoice as QuickBooks holds them."""
    ada, invoice = quickbooks.customer("Ada Lovelace"), quickbooks.invoice("1001")
    assert ada is not None
    assert invoice is not None
    return ada, invoice


def _both_synced(api: ApiClient) -> bool:
    return {_push_state(api, "customers/C-1"), _push_state(api, "invoices/I-1")} == {"synced"}


def _push_state(api: ApiClient, path: str) -> str:
    return str(api.get(f"/companies/Acme/{path}").get_json()["push"]["state"])


def _feed(api: ApiClient) -> list[dict[str, Any]]:
    return list(api.get("/companies/Acme/changes?limit=500").get_json()["data"])


def test_a_second_put_after_a_sync_reaches_quickbooks(
    api: ApiClient, clock: FakeClock, quickbooks: SimulatedCompany, wc: SimulatedWebConnector
) -> None:
    clock.advance(minutes=20)
    _sync(wc)  # the overlap pulls both back: QuickBooks' copy, same EditSequence

    api.put("/companies/Acme/customers/C-1", json={**CUSTOMER, "email": "ada@new.example"})
    api.put("/companies/Acme/invoices/I-1",
            json={**INVOICE, "memo": "second draft", "due_date": "2026-03-01"})
    clock.advance(minutes=20)
    _sync(wc)  # pulls (the same EditSequences again), then pushes the Mods

    ada, invoice = _in_quickbooks(quickbooks)
    assert ada.extra["Email"] == "ada@new.example"
    assert (invoice.memo, invoice.due_date) == ("second draft", date(2026, 3, 1))
    assert _both_synced(api)
    assert not [e for e in _feed(api) if e["change"] == "conflict"]


def _conflicts(api: ApiClient, external_id: str) -> list[dict[str, Any]]:
    return [e for e in _feed(api) if e["change"] == "conflict"
            and e["external_id"] == external_id]


def test_a_concurrent_quickbooks_edit_is_merged_and_reported(
    app: Flask, api: ApiClient, clock: FakeClock, quickbooks: SimulatedCompany,
    wc: SimulatedWebConnector
) -> None:
    clock.advance(minutes=20)
    _sync(wc)
    # The platform changes the email and the due date; meanwhile the accountant changes the
    # email too, the phone, and the invoice's lines.
    api.put("/companies/Acme/customers/C-1", json={**CUSTOMER, "email": "ada@new.example"})
    api.put("/companies/Acme/invoices/I-1", json={**INVOICE, "due_date": "2026-03-01"})
    clock.advance(minutes=5)
    quickbooks.modify_customer("Ada Lovelace", Email="ada@accountant.example",
                               Phone="555-0199")
    quickbooks.modify_invoice("1001", lines=[("Consulting", "2", "150.00"),
                                             ("Consulting", "1", "75.00")])
    clock.advance(minutes=15)
    _sync(wc)

    # QuickBooks' own change is kept, the platform's change is made on top of it.
    ada, invoice = _in_quickbooks(quickbooks)
    assert (ada.extra["Phone"], ada.extra["Email"]) == ("555-0199", "ada@new.example")
    assert invoice.due_date == date(2026, 3, 1)
    assert [str(line.amount) for line in invoice.lines] == ["300.00", "75.00"]
    assert _both_synced(api)

    # The feed says so, with the accountant's email the platform's write replaced.
    (customer,) = _conflicts(api, "C-1")
    assert customer["data"]["fields"] == {"quickbooks": ["phone"], "platform": [],
                                          "both": ["email"]}
    assert customer["data"]["quickbooks"]["email"] == "ada@accountant.example"
    assert customer["data"]["record"]["email"] == "ada@new.example"
    (sale,) = _conflicts(api, "I-1")
    assert sale["data"]["fields"]["platform"] == ["due_date"]
    assert "lines" in sale["data"]["fields"]["quickbooks"]
    assert sale["data"]["fields"]["both"] == []

    # The partner's history page shows both conflicts.
    client = app.test_client()
    sign_in_admin(client, services_of(app))
    page = client.get("/company/Acme/activity").text
    assert 'id="conflicts"' in page
    assert "ada@accountant.example" in page
    assert "I-1" in page
    assert "due_date" in page


def test_nothing_is_lost_in_either_direction(
    api: ApiClient, clock: FakeClock, quickbooks: SimulatedCompany, wc: SimulatedWebConnector
) -> None:
    clock.advance(minutes=20)
    _sync(wc)
    api.put("/companies/Acme/customers/C-1",
            json={**CUSTOMER, "email": "ada@new.example", "company_name": "Engines Ltd"})
    quickbooks.modify_customer("Ada Lovelace", Phone="555-0199")
    clock.advance(minutes=20)
    _sync(wc)  # the conflict: merged, then pushed
    clock.advance(minutes=20)
    _sync(wc)  # the pushed result is pulled back

    ada = quickbooks.customer("Ada Lovelace")
    assert ada is not None
    assert (ada.extra["Phone"], ada.extra["Email"], ada.extra["CompanyName"]) == (
        "555-0199", "ada@new.example", "Engines Ltd")
    record = api.get("/companies/Acme/customers/C-1").get_json()
    assert record["push"]["state"] == "synced"
    assert (record["data"]["phone"], record["data"]["email"],
            record["data"]["company_name"]) == ("555-0199", "ada@new.example", "Engines Ltd")
    (conflict,) = _conflicts(api, "C-1")
    assert conflict["data"]["fields"] == {"quickbooks": ["phone"],
                                          "platform": ["company_name", "email"], "both": []}
    # A further overlap read of the unchanged record is no conflict.
    clock.advance(minutes=20)
    _sync(wc)
    assert len(_conflicts(api, "C-1")) == 1


def test_a_stale_edit_sequence_keeps_the_quickbooks_edit_that_moved_it(
    api: ApiClient, clock: FakeClock, quickbooks: SimulatedCompany, wc: SimulatedWebConnector
) -> None:
    # Push only: no pull sees the accountant's edit first, QuickBooks refuses the Mod (3200)
    # and the record is read again by id before it is resent.
    api.put("/companies/Acme/settings",
            json={"directions": {"customer": "push", "invoice": "push"}})
    api.put("/companies/Acme/customers/C-1", json={**CUSTOMER, "email": "ada@new.example"})
    api.put("/companies/Acme/invoices/I-1", json={**INVOICE, "memo": "second draft"})
    quickbooks.modify_customer("Ada Lovelace", Phone="555-0199")
    quickbooks.modify_invoice("1001", lines=[("Consulting", "3", "150.00")])
    clock.advance(minutes=20)
    _sync(wc)

    ada, invoice = _in_quickbooks(quickbooks)
    assert (ada.extra["Phone"], ada.extra["Email"]) == ("555-0199", "ada@new.example")
    assert invoice.memo == "second draft"
    assert [str(line.amount) for line in invoice.lines] == ["450.00"]
    assert _both_synced(api)
    (customer,) = _conflicts(api, "C-1")
    assert customer["data"]["fields"] == {"quickbooks": ["phone"], "platform": ["email"],
                                          "both": []}
    (sale,) = _conflicts(api, "I-1")
    assert sale["data"]["fields"]["platform"] == ["memo"]
