"""Push invoices (add and mod), a stale EditSequence re-read (3200), and reconciling each
kind of write whose answer was lost: customers, invoices, payments, deposits, reversals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask

from mappers import Customer, EntityRef, Invoice, InvoiceLine, identity_guid
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import Fault
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import SimulatedWebConnector, WebConnectorSettings
from tests.acceptance.faulted import MAX_SESSIONS, Intended, assert_books_match
from tests.acceptance.pushing import (
    PUSH_ALL,
    alice_owes_one_invoice,
    sent_messages,
    sync_until_done,
)

D = Decimal
WebConnectorFor = Callable[..., SimulatedWebConnector]


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    return alice_owes_one_invoice(clock)


@pytest.fixture
def web_connector(app: Flask, services: Services, quickbooks: SimulatedCompany
                  ) -> WebConnectorFor:
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", directions=PUSH_ALL, deposit_account="Checking")

    def make(*faults: str) -> SimulatedWebConnector:
        return SimulatedWebConnector.over(
            WsgiTransport(app), quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            faults=[Fault.parse(text) for text in faults], sleep=lambda seconds: None)

    return make


def _invoice(external_id: str, customer: str, amount: str, number: str) -> Invoice:
    return Invoice(external_id=external_id, customer=EntityRef(name=customer), number=number,
                   txn_date=date(2026, 1, 5),
                   lines=(InvoiceLine(item=EntityRef(name="Consulting"), amount=D(amount)),))


def _held_once(quickbooks: SimulatedCompany, services: Services, kind: str,
               external_id: str) -> str:
    """QuickBooks holds the record once (by ExternalGUID); the platform has its id."""
    guid = identity_guid(services.companies.get("Acme").file_id, kind, external_id)
    table = quickbooks.books.customers if kind == "customer" else quickbooks.books.sales
    held = [r for r in table.values() if r.external_guid == guid]
    assert len(held) == 1, (kind, external_id, len(held))
    qb_id = getattr(held[0], "list_id", None) or getattr(held[0], "txn_id", None)
    view = services.sync.record("Acme", kind, external_id=external_id)
    assert (view.push_state, view.qb_id) == ("synced", qb_id)
    return str(qb_id)


def test_an_invoice_is_added_then_modified(
    web_connector: WebConnectorFor, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "invoice", _invoice("I-1", "Alice", "250.00", "WEB-1"))
    results = sync_until_done(web_connector(), services, clock)
    txn_id = _held_once(quickbooks, services, "invoice", "I-1")
    assert quickbooks.invoice_balance("WEB-1") == D("250.00")

    services.sync.submit("Acme", "invoice", _invoice("I-1", "Alice", "300.00", "WEB-1"),
                         action="mod")
    results += sync_until_done(web_connector(), services, clock)

    assert _held_once(quickbooks, services, "invoice", "I-1") == txn_id
    assert quickbooks.invoice_balance("WEB-1") == D("300.00")
    assert quickbooks.customer_balance("Alice") == D("400.00")
    assert [m for m in sent_messages(results) if "InvoiceModRq" in m]
    feed = [c.change for c in services.sync.changes("Acme") if c.external_id == "I-1"]
    assert feed == ["pushed", "pushed"]


def test_a_stale_edit_sequence_is_read_again_and_the_change_goes_through(
    web_connector: WebConnectorFor, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Dora"))
    sync_until_done(web_connector(), services, clock)
    # The platform read Dora (EditSequence n); the accountant edits her (n + 1) before the push.
    quickbooks.modify_customer("Dora", Phone="555-0100")
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Dora",
                                                      email="dora@example.com"), action="mod")

    results = sync_until_done(web_connector(), services, clock)

    mods = [m for m in sent_messages(results) if "CustomerModRq" in m]
    assert len(mods) == 2  # refused with 3200, re-read by ListID, sent again
    assert any("CustomerQueryRq" in m and "<ListID>" in m for m in sent_messages(results))
    dora = quickbooks.customer("Dora")
    assert dora is not None
    assert dora.extra.get("Email") == "dora@example.com"
    view = services.sync.record("Acme", "customer", external_id="C-1")
    assert (view.push_state, view.qb_id) == ("synced", dora.list_id)
    assert sum(1 for c in quickbooks.books.customers.values() if c.name == "Dora") == 1


@pytest.mark.parametrize("position", [
    1,  # the customer's add
    2,  # the invoice's add
    3,  # the payment
    4,  # the deposit
    5,  # the reversal
])
def test_each_kind_of_write_is_reconciled_after_its_answer_is_lost(
    position: int, web_connector: WebConnectorFor, quickbooks: SimulatedCompany,
    services: Services, clock: FakeClock,
) -> None:
    intended = Intended()
    intended.pay(services, quickbooks, "P-R", "Alice", "7.00")
    sync_until_done(web_connector(), services, clock)
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Erin"))
    services.sync.submit("Acme", "invoice", _invoice("I-1", "Erin", "90.00", "WEB-9"))
    intended.pay(services, quickbooks, "P-1", "Alice", "40.00", {"INV-1": "40.00"})
    intended.deposit(services, "D-1", ["P-1"])
    intended.reverse(services, "P-R")

    lost = web_connector(f"drop-answer:method=receiveResponseXML,nth={position}")
    results = sync_until_done(lost, services, clock, sessions=MAX_SESSIONS)

    assert "answer lost" in " ".join(e.note or "" for r in results for e in r.transcript)
    _held_once(quickbooks, services, "customer", "C-1")
    _held_once(quickbooks, services, "invoice", "I-1")
    assert_books_match(quickbooks, services, intended, results)
    assert quickbooks.invoice_balance("WEB-9") == D("90.00")
    assert quickbooks.account_balance("Checking") == D("40.00")


def test_a_payment_reversed_before_it_was_sent_is_gone_without_a_message(
    web_connector: WebConnectorFor, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    intended = Intended()
    intended.pay(services, quickbooks, "P-1", "Alice", "12.00")
    intended.reverse(services, "P-1")
    results = sync_until_done(web_connector(), services, clock)
    assert not [m for m in sent_messages(results) if "ReceivePayment" in m]
    assert_books_match(quickbooks, services, intended, results)
    assert [c.change for c in services.sync.changes("Acme")] == ["reversed"]
