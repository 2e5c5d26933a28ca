"""A Web Connector that crashed does not hold its company: the next scheduled run takes over,
even at a 1-minute cadence; the old ticket is refused and nothing is lost or written twice.
A live session is never taken over, and concurrent authenticates open exactly one session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from mappers import identity_guid
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.channel import SoapChannel
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
from qbwc_server.store.models import WebConnectorSession
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import books, payment
from tests.soap_client import WebConnectorClient

PULL_NOTHING = {kind: "off" for kind in ("account", "item", "customer", "invoice")}
PAYMENTS = 120  # batches of 50: the crash hits batch 2, batch 3 is still to go


class _Recording:
    """Plays QuickBooks, remembers every answer (a crash swallows the last one), and runs
    ``before_next`` once, while QuickBooks works on the next request."""

    def __init__(self, inner: SimulatedCompany) -> None:
        self._inner = inner
        self.answers: list[str] = []
        self.before_next: Callable[[], None] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def process(self, request_xml: str) -> str:
        if self.before_next is not None:
            hook, self.before_next = self.before_next, None
            hook()
        answer = self._inner.process(request_xml)
        self.answers.append(answer)
        return answer


def _ticket_of(result: SessionResult) -> str:
    answer = next(ex.answer for ex in result.transcript if ex.method == "authenticate")
    assert isinstance(answer, list)
    return answer[0]


def test_a_crash_mid_push_is_taken_over_by_the_next_run_a_minute_later(
    app: Flask, services: Services, clock: FakeClock
) -> None:
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", directions=PULL_NOTHING)
    services.companies.set_cadence("Acme", 1)
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Bob": {}})
    for n in range(PAYMENTS):
        services.sync.submit("Acme", "payment", payment(f"P-{n}", "Bob", f"{n + 1}.00"))
    recording = _Recording(quickbooks)
    wc = SimulatedWebConnector.over(
        WsgiTransport(app), recording,  # type: ignore[arg-type]
        WebConnectorSettings(username=view.username, password=password),
        faults=[Fault.parse("crash-after-apply:nth=2")], sleep=lambda seconds: None)

    first = wc.run_session()
    assert first.outcome is Outcome.CRASHED  # QuickBooks applied batch 2, nobody heard
    old_ticket, swallowed = _ticket_of(first), recording.answers[-1]

    # While the next run works, the old session's answer to batch 2 turns up at last.
    late: list[object] = []
    old_channel = SoapChannel(WsgiTransport(app))
    recording.before_next = lambda: late.append(old_channel.call(
        "receiveResponseXML",
        {"ticket": old_ticket, "response": swallowed, "hresult": "", "message": ""}))
    clock.advance(seconds=60)  # the next scheduled run at a 1-minute cadence
    second = wc.run_session()

    assert second.outcome is Outcome.OK, second.last_error
    assert late == [-1]
    scope = services.companies.get("Acme").file_id
    guids = sorted(p.external_guid or "" for p in quickbooks.books.payments.values())
    assert guids == sorted(identity_guid(scope, "payment", f"P-{n}") for n in range(PAYMENTS))
    assert sum(p.total for p in quickbooks.books.payments.values()) == sum(
        Decimal(n + 1) for n in range(PAYMENTS))
    assert services.sync.counts("Acme")["payment"] == {"synced": PAYMENTS}


@pytest.fixture
def stale_company(services: Services, clock: FakeClock) -> dict[str, str]:
    """A company whose last session stopped talking a minute ago with a request out."""
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", directions=PULL_NOTHING)
    services.companies.ping("Acme")
    services.companies.ping("Acme")
    return {"username": view.username, "password": password}


def _open_sessions(db: Database) -> int:
    with db.transaction() as session:
        return session.query(WebConnectorSession).filter_by(state="open").count()


@pytest.mark.parametrize("stale", [True, False], ids=["stale-session", "no-session"])
def test_concurrent_authenticates_open_exactly_one_session(
    stale: bool, app: Flask, services: Services, clock: FakeClock, db: Database,
    stale_company: dict[str, str],
) -> None:
    username, password = stale_company["username"], stale_company["password"]
    if stale:
        wc = WebConnectorClient(app.test_client())
        old = wc.authenticate(username, password)[0]
        assert wc.send(old).startswith("<?xml")
        clock.advance(seconds=60)
    callers = 4
    barrier = threading.Barrier(callers)
    statuses: list[str] = []

    def authenticate() -> None:
        client = WebConnectorClient(app.test_client())
        barrier.wait()
        statuses.append(client.authenticate(username, password)[1])

    threads = [threading.Thread(target=authenticate) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == ["", "busy", "busy", "busy"]
    assert _open_sessions(db) == 1
