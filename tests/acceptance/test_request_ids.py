"""An answer belongs to the session that asked: requestIDs are unique per session, and an
answer from an earlier session is refused, recorded, and loses nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome, SessionResult, SimulatedWebConnector
from qbwc_server.sync.profile import KINDS
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import LATER, sent_messages

CUSTOMERS_ONLY = {kind: ("pull" if kind == "customer" else "off") for kind in KINDS}
_REQUEST_ID = re.compile(r'requestID="([^"]+)"')


class _Replaying:
    """Plays QuickBooks and remembers its answers; when ``replay`` is set, the next request
    gets that old answer instead (the Web Connector hands an earlier session's answer in)."""

    def __init__(self, inner: SimulatedCompany) -> None:
        self._inner = inner
        self.answers: list[str] = []
        self.replay: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def process(self, request_xml: str) -> str:
        if self.replay is not None:
            answer, self.replay = self.replay, None
            return answer
        answer = self._inner.process(request_xml)
        self.answers.append(answer)
        return answer


def _ids(result: SessionResult) -> set[str]:
    return {rid for message in sent_messages([result]) for rid in _REQUEST_ID.findall(message)}


def _names(services: Services) -> set[str]:
    return {record.data["name"] for record in services.sync.records("Acme", "customer")}


def test_request_ids_never_repeat_from_one_session_to_the_next(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Ada")
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions=CUSTOMERS_ONLY)
    first = wc.run_session()
    clock.advance(LATER.total_seconds())
    second = wc.run_session()
    assert _ids(first)
    assert _ids(second)
    assert not _ids(first) & _ids(second)


def test_an_answer_from_an_earlier_session_is_refused_and_loses_nothing(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Ada")
    replaying = _Replaying(quickbooks)
    wc = connect(replaying)
    services.sync.configure("Acme", directions=CUSTOMERS_ONLY)
    assert wc.run_session().outcome is Outcome.OK
    assert _names(services) == {"Ada"}

    quickbooks.add_customer("Carol")
    clock.advance(LATER.total_seconds())
    replaying.replay = replaying.answers[0]  # the first session's customer page, again
    second = wc.run_session()
    assert second.outcome is Outcome.ERROR
    assert second.progress == (-1,)
    assert "did not answer" in (second.last_error or "")
    assert "did not answer" in (services.companies.get("Acme").last_error or "")

    clock.advance(LATER.total_seconds())
    third = wc.run_session()
    assert third.outcome is Outcome.OK, third.last_error
    assert _names(services) == {"Ada", "Carol"}
