"""Helpers for the push acceptance tests: a company with books, sessions until done, checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask

from mappers import EntityRef, Payment, PaymentApplication
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import Fault
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.acceptance.conftest import quickbooks_at
from tests.qbxml_schema import assert_valid_qbxml

PAY_DAY = date(2026, 1, 5)
#: Past the 5-minute cadence and the 15-minute session expiry, so the next session starts.
LATER = timedelta(minutes=20)


#: A Web Connector for company Acme over a QuickBooks (or a wrapper of one), with faults.
WebConnectorOver = Callable[..., SimulatedWebConnector]


def acme(app: Flask, services: Services, **settings: Any) -> WebConnectorOver:
    """Add company Acme with these sync settings; Web Connectors for it over any QuickBooks."""
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", **settings)

    def make(quickbooks: SimulatedCompany, *faults: str) -> SimulatedWebConnector:
        return SimulatedWebConnector.over(
            WsgiTransport(app), quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            faults=[Fault.parse(text) for text in faults], sleep=lambda seconds: None)

    return make


def books(quickbooks: SimulatedCompany, customers: dict[str, dict[str, str]]) -> None:
    """Customers with invoices: ``{"Alice": {"INV-1": "100.00"}}``."""
    for name, invoices in customers.items():
        quickbooks.add_customer(name)
        for number, amount in invoices.items():
            quickbooks.add_invoice(name, [{"item": "Consulting", "amount": amount}],
                                   ref_number=number, txn_date=date(2025, 12, 1))


def payment(external_id: str, customer: str, amount: str, *, invoices: dict[str, str] | None = None,
            reference: str | None = None, by_txn_id: bool = False) -> Payment:
    """A platform payment applied to invoices by number (``{"INV-1": "40.00"}``), or by
    QuickBooks TxnID (``by_txn_id``)."""
    return Payment(
        external_id=external_id, customer=EntityRef(name=customer), amount=Decimal(amount),
        date=PAY_DAY, reference=reference,
        applications=tuple(PaymentApplication(invoice=EntityRef(qb_id=number) if by_txn_id
                                              else EntityRef(name=number),
                                              amount=Decimal(value))
                           for number, value in (invoices or {}).items()),
    )


def sent_messages(results: Iterable[SessionResult]) -> list[str]:
    """Every qbXML request message the server handed the Web Connector."""
    return [str(exchange.answer) for result in results for exchange in result.transcript
            if exchange.method == "sendRequestXML" and exchange.answer]


def assert_all_valid(results: Iterable[SessionResult]) -> None:
    for message in sent_messages(results):
        assert_valid_qbxml(message)


def sync_until_done(wc: SimulatedWebConnector, services: Services, clock: FakeClock,
                    *, company: str = "Acme", sessions: int = 8) -> list[SessionResult]:
    """Run sessions (clock moving on) until no record is pending, sent or unknown."""
    results = []
    for _ in range(sessions):
        results.append(wc.run_session())
        clock.advance(LATER.total_seconds())
        if not unsettled(services, company):
            break
    assert not unsettled(services, company), services.sync.counts(company)
    assert_all_valid(results)
    return results


def unsettled(services: Services, company: str) -> int:
    counts = services.sync.counts(company)
    return sum(n for by_state in counts.values() for state, n in by_state.items()
               if state in ("pending", "sent", "unknown"))


def guids_of(quickbooks: SimulatedCompany, customer: str) -> list[str | None]:
    return [p.external_guid for p in quickbooks.payments_of(customer)]


#: Customers and invoices go to QuickBooks too; nothing is pulled, so each session's messages
#: are: customers, invoices, payments, deposits, reversals (one message each).
PUSH_ALL = {"account": "off", "item": "off", "customer": "push", "invoice": "push"}


def alice_owes_one_invoice(clock: FakeClock) -> SimulatedCompany:
    """A QuickBooks where customer Alice owes INV-1 for 100.00."""
    company = quickbooks_at(clock)
    books(company, {"Alice": {"INV-1": "100.00"}})
    return company
