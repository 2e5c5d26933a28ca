"""A QuickBooks that speaks only qbXML 4.1 (no iterators) is pulled whole, page by page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from tests.acceptance.conftest import quickbooks_at

PAGE = 10


def _alive(services: Services, kind: str) -> int:
    counts = services.sync.counts("Acme").get(kind, {})
    return sum(n for state, n in counts.items() if state != "deleted")


def _sent(wc: SimulatedWebConnector) -> list[str]:
    """Every qbXML message the server handed the Web Connector."""
    return [str(exchange.answer) for exchange in wc.transcript.exchanges
            if exchange.method == "sendRequestXML" and exchange.answer]


def test_a_4_1_company_gets_every_record_in_pages_with_no_iterator_sent(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = SimulatedCompany.generate(customers=35, invoices=90, years=2, seed=5,
                                           today=date(2026, 1, 5), clock=clock.now,
                                           qbxml_version=(4, 1))
    wc = connect(quickbooks)
    services.sync.configure("Acme", page_size=PAGE)
    held = quickbooks.summary()
    for _ in range(4):  # recent first, then a year of history per session
        result = wc.run_session()
        assert result.outcome is Outcome.OK, result.last_error
        clock.advance(minutes=6)

    assert _alive(services, "customer") == held["Customer"] + held["Job"] > PAGE
    assert _alive(services, "invoice") == held["Invoice"] > PAGE
    sent = _sent(wc)
    assert all('<?qbxml version="4.1"?>' in message for message in sent)
    assert not [message for message in sent if "iterator" in message]
    # Paged, not one big answer: customers took several CustomerQuery messages.
    assert sum("<CustomerQueryRq" in message for message in sent) > held["Customer"] // PAGE


def test_more_records_of_one_instant_than_a_page_holds_still_arrive(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    # An import: 25 customers stamped with the same second, more than a page of 10.
    quickbooks = quickbooks_at(clock, qbxml_version=(4, 1))
    for number in range(25):
        quickbooks.add_customer(f"Imported {number:02}")
    wc = connect(quickbooks)
    services.sync.configure("Acme", page_size=PAGE)
    assert wc.run_session().outcome is Outcome.OK
    assert _alive(services, "customer") == 25

    # Later edits follow through the same filter, from the watermark on.
    clock.advance(minutes=6)
    quickbooks.modify_customer("Imported 07", Email="seven@example.com")
    assert wc.run_session().outcome is Outcome.OK
    customer = services.sync.record("Acme", "customer",
                                    qb_id=quickbooks.customer("Imported 07").list_id)
    assert customer.data["email"] == "seven@example.com"
