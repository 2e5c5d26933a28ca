"""Many simulated Web Connectors against one server at once."""

from __future__ import annotations

import threading
from typing import Any

from qbwc_server.app import Services
from qbwc_server.simulator.scheduler import Job, Scheduler
from qbwc_server.simulator.transport import HttpTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.simulator_doubles import EchoQuickBooks, add_queue_only_company, connector

WAIT = 30.0  # seconds: an upper bound for a thread hand-over, never a timing assertion


class GatedQuickBooks(EchoQuickBooks):
    """Holds its first request until told to go on, so another machine can try meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = threading.Event()
        self.go_on = threading.Event()

    def process(self, request_xml: str) -> str:
        self.inside.set()
        if not self.go_on.wait(WAIT):
            raise AssertionError("nobody let the first session go on")
        return super().process(request_xml)


def test_two_machines_on_one_company_the_second_is_busy(
    app: Any, services: Services
) -> None:
    company = add_queue_only_company(services, "Shared Co")
    services.companies.ping("Shared Co")
    gated = GatedQuickBooks()
    first = connector(app, company, gated)
    second = connector(app, company)

    def second_machine() -> list[SessionResult]:
        try:
            assert gated.inside.wait(WAIT), "the first session never reached QuickBooks"
            return [second.run_session()]
        finally:
            gated.go_on.set()

    report = Scheduler(max_workers=2, timeout=120).run([
        Job.sessions("first machine", first),
        Job(name="second machine", run=second_machine),
    ])
    assert report.unfinished == ()
    outcomes = {job.name: [s.outcome for s in job.sessions] for job in report.jobs}
    assert outcomes == {"first machine": [Outcome.OK], "second machine": [Outcome.BUSY]}
    assert [i.state for i in services.companies.items("Shared Co")] == ["done"]


def test_many_companies_in_parallel_over_http_all_complete(
    live_url: str, services: Services
) -> None:
    jobs, books = [], {}
    for n in range(8):
        name = f"Parallel {n}"
        view, password = services.companies.add(name)
        pings = [services.companies.ping(name).request_id for _ in range(2)]
        books[name] = (EchoQuickBooks(), pings)
        wc = SimulatedWebConnector.over(
            HttpTransport(f"{live_url}/qbwc", timeout=60),
            books[name][0],
            WebConnectorSettings(username=view.username, password=password),
        )
        jobs.append(Job.sessions(name, wc, count=2))

    report = Scheduler(max_workers=4, timeout=300).run(jobs)

    assert report.unfinished == ()
    assert all(job.error is None for job in report.jobs)
    # The sync engine is on here: after the pings it pulls every list and transaction type
    # (EchoQuickBooks has none), then nothing is due until the cadence comes round.
    assert report.outcomes() == {"ok": 8, "none": 8}
    for job in report.jobs:
        first, second = job.sessions
        assert first.round_trips == first.requests_processed > 2
        assert second.round_trips == 0
    for name, (quickbooks, pings) in books.items():
        # Each QuickBooks saw its own company's pings, and nobody else's.
        others = {p for other, (_, ps) in books.items() if other != name for p in ps}
        assert all(any(p in x for x in quickbooks.processed) for p in pings)
        assert not any(p in x for x in quickbooks.processed for p in others)
        assert {i.state for i in services.companies.items(name)} == {"done"}
