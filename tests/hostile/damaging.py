"""A simulated QuickBooks whose answers are damaged on their way, and a company that uses it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date

import attrs

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.channel import SoapChannel
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import _QuickBooksWrapper
from qbwc_server.simulator.transcript import Transcript
from qbwc_server.simulator.transport import HttpTransport
from qbwc_server.simulator.webconnector import (
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.hostile.conftest import Served

Mutation = Callable[[str], str]
_companies = itertools.count(1)
#: Past the 5-minute cadence and the takeover time: every run is a new session.
LATER = 20 * 60


class DamagingQuickBooks(_QuickBooksWrapper):
    """QuickBooks whose answer to the first message holding one of ``targets`` (request
    elements such as ``CustomerQueryRq``) is damaged by ``damage`` once armed, then disarms;
    target "HCP" damages the host, company and preferences answer of every armed session."""

    def __init__(self, inner: SimulatedCompany, transcript: Transcript,
                 targets: tuple[str, ...], damage: Mutation) -> None:
        super().__init__(inner, transcript)
        self._targets, self.damage = targets, damage
        self.armed = False
        self.struck = 0

    def hcp_response(self) -> str:
        answer = self._inner.hcp_response()
        if self.armed and "HCP" in self._targets:
            self.struck += 1
            return self.damage(answer)
        return answer

    def process(self, request_xml: str) -> str:
        answer = self._inner.process(request_xml)
        if self.armed and any(f"<{target}" in request_xml for target in self._targets):
            self.armed = False
            self.struck += 1
            return self.damage(answer)
        return answer


@attrs.frozen
class Company:
    name: str
    quickbooks: SimulatedCompany
    damaging: DamagingQuickBooks
    wc: SimulatedWebConnector
    services: Services

    @property
    def clock(self) -> FakeClock:
        clock = self.services.clock
        assert isinstance(clock, FakeClock)
        return clock

    def session(self) -> SessionResult:
        result = self.wc.run_session()
        self.clock.advance(LATER)
        return result

    def records(self, kind: str) -> dict[str | None, tuple[object, ...]]:
        """What the platform holds of ``kind``, by QuickBooks id (``customer:deleted``: only
        which customers are deleted)."""
        kind, _, only = kind.partition(":")
        return {r.qb_id: (r.is_deleted,) if only else (r.label, r.data, r.is_deleted, r.push_state)
                for r in self.services.sync.records(self.name, kind, limit=1000)}

    def settle(self, kind: str, sessions: int = 3) -> list[SessionResult]:
        """Run sessions until no record of ``kind`` waits for QuickBooks (at most ``sessions``)."""
        results = []
        for _ in range(sessions):
            results.append(self.session())
            states = {state for *_rest, state in self.records(kind).values()}
            if not states & {"pending", "sent", "unknown"}:
                break
        return results


def connect(served: Served, target: str | tuple[str, ...], damage: Mutation) -> Company:
    """A new company of ours whose simulated QuickBooks holds Alice (with invoice INV-1) and
    Bob, reached over HTTP, its answers to ``target`` damaged when armed."""
    name = f"Damaged {next(_companies)}"
    view, password = served.services.companies.add(name)
    clock = served.services.clock
    quickbooks = SimulatedCompany(clock=clock.now)
    quickbooks.add_customer("Alice")
    quickbooks.add_customer("Bob")
    quickbooks.add_invoice("Alice", [{"item": "Consulting", "amount": "100.00"}],
                           ref_number="INV-1", txn_date=date(2025, 12, 1))
    channel = SoapChannel(HttpTransport(served.url + "/qbwc"))
    damaging = DamagingQuickBooks(quickbooks, channel.transcript,
                                  (target,) if isinstance(target, str) else target, damage)
    wc = SimulatedWebConnector(
        channel, damaging, WebConnectorSettings(username=view.username, password=password),
        sleep=lambda _s: None)
    return Company(name=name, quickbooks=quickbooks, damaging=damaging, wc=wc,
                   services=served.services)


def no_server_fault(results: Iterable[SessionResult]) -> None:
    """No call of these sessions got a SOAP server fault."""
    for result in results:
        assert "SOAP fault" not in (result.last_error or ""), result.last_error
        for exchange in result.transcript:
            assert "Server" not in str(exchange.answer), exchange
