"""A page QuickBooks or the transport cannot carry is asked again smaller: no type stalls."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs
import pytest
from flask import Flask

from qbwc_server.app import Services, create_app
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import Fault
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from qbwc_server.store.database import Database
from tests.acceptance.conftest import generated

#: What the company asks for; far more than the failing QuickBooks or transport can carry.
PAGE = 50
#: Halving 50 -> 25 -> 12 takes two failed sessions per record type, four types at most.
MAX_SESSIONS = 12
#: Enough for a page of 12 invoices or 25 customers, not for 25 invoices or 50 customers.
SMALL_BODY = 40_000


@pytest.fixture
def small_body_app(settings: Settings, clock: FakeClock, db: Database) -> Flask:
    """Our app on the same store, refusing SOAP requests above :data:`SMALL_BODY` bytes."""
    return create_app(attrs.evolve(settings, max_body_bytes=SMALL_BODY), clock=clock, db=db)


Connect = Callable[..., SimulatedWebConnector]


@pytest.fixture
def connect_faulted(app: Flask, services: Services) -> Connect:
    def make(quickbooks: SimulatedCompany, faults: Sequence[Fault] = (),
             server: Flask | None = None) -> SimulatedWebConnector:
        view, password = services.companies.add("Acme")
        services.sync.configure("Acme", page_size=PAGE)
        return SimulatedWebConnector.over(
            WsgiTransport(server or app), quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            faults=faults, sleep=lambda seconds: None)

    return make


def _alive(services: Services, kind: str) -> int:
    counts = services.sync.counts("Acme").get(kind, {})
    return sum(n for state, n in counts.items() if state != "deleted")


def _customer_page_sizes(result: SessionResult) -> list[int]:
    return [int(size) for exchange in result.transcript
            if exchange.method == "sendRequestXML" and "<CustomerQueryRq" in str(exchange.answer)
            for size in re.findall(r"<MaxReturned>(\d+)</MaxReturned>", str(exchange.answer))]


def _sync_until_clean(wc: SimulatedWebConnector, clock: FakeClock,
                      pause_minutes: int) -> list[SessionResult]:
    results: list[SessionResult] = []
    while len(results) < MAX_SESSIONS:
        results.append(wc.run_session())
        clock.advance(minutes=pause_minutes)
        if results[-1].outcome is Outcome.OK:
            break
    return results


def _assert_everything_recent_arrived(services: Services, quickbooks: SimulatedCompany,
                                      clock: FakeClock) -> None:
    held = quickbooks.summary()
    assert _alive(services, "customer") == held["Customer"] + held["Job"] > PAGE
    recent = [sale for sale in quickbooks.books.sales.values()
              if sale.kind == "Invoice" and (clock.now().date() - sale.txn_date).days <= 365]
    assert _alive(services, "invoice") == len(recent) > PAGE // 4


def _assert_recovered(results: list[SessionResult], failure: str, services: Services,
                      quickbooks: SimulatedCompany, clock: FakeClock) -> None:
    """Sessions failed on big pages, then one went through with everything."""
    assert results[-1].outcome is Outcome.OK, [r.last_error for r in results]
    failed = [r for r in results if r.outcome is Outcome.ERROR]
    assert failed
    assert all(failure in (r.last_error or "") for r in failed)
    _assert_everything_recent_arrived(services, quickbooks, clock)


def test_quickbooks_running_out_of_memory_on_big_pages_still_syncs_everything(
    connect_faulted: Connect, services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=60, invoices=150)
    wc = connect_faulted(quickbooks, [Fault.parse("page-limit:records=20")])
    results = _sync_until_clean(wc, clock, pause_minutes=1)
    _assert_recovered(results, "0x8007000E", services, quickbooks, clock)

    # The smaller page is kept for a day, so the next sessions do not fail again...
    for _ in range(2):
        clock.advance(minutes=6)
        result = wc.run_session()
        assert result.outcome is Outcome.OK, result.last_error
        assert _customer_page_sizes(result) == [PAGE // 4]
    # ...then the company's own page size is tried again.
    clock.advance(hours=25)
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    assert _customer_page_sizes(result) == [PAGE]


def test_answers_too_large_for_the_transport_are_asked_again_smaller(
    connect_faulted: Connect, small_body_app: Flask, services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=60, invoices=150)
    wc = connect_faulted(quickbooks, server=small_body_app)
    # The refused answer leaves the session open until it expires, then the next one runs.
    results = _sync_until_clean(wc, clock, pause_minutes=16)
    _assert_recovered(results, "HTTP 413", services, quickbooks, clock)


def test_a_page_answered_with_an_error_is_asked_again_smaller_in_the_same_session(
    connect_faulted: Connect, services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=60, invoices=150)
    # Messages 1 and 2 pull accounts and items; the first customer page meets a lock.
    wc = connect_faulted(quickbooks, [Fault.parse("locked:nth=3,times=1")])
    result = wc.run_session()

    assert result.outcome is Outcome.OK, result.last_error
    _assert_everything_recent_arrived(services, quickbooks, clock)
    # The locked page of 50, then the same customers again in pages of 25.
    assert _customer_page_sizes(result) == [PAGE, PAGE // 2, PAGE // 2, PAGE // 2]
