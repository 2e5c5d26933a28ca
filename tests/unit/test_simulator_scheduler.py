"""The scheduler's bounds: jobs that raise, and jobs that outlive the deadline."""

from __future__ import annotations

import threading

import pytest

from qbwc_server.simulator.scheduler import Job, Scheduler
from qbwc_server.simulator.webconnector import Outcome, SessionResult


def test_results_errors_and_unfinished_jobs_are_reported() -> None:
    release = threading.Event()

    def stuck() -> list[SessionResult]:
        release.wait(30)
        return []

    def broken() -> list[SessionResult]:
        raise RuntimeError("bad job")

    jobs = [
        Job(name="fine", run=lambda: [SessionResult(outcome=Outcome.OK)]),
        Job(name="broken", run=broken),
        Job(name="stuck", run=stuck),
    ]
    try:
        report = Scheduler(max_workers=3, timeout=1.0).run(jobs)
    finally:
        release.set()
    assert report.unfinished == ("stuck",)
    assert {job.name: job.error for job in report.jobs} == {
        "fine": None, "broken": "RuntimeError: bad job",
    }
    assert report.outcomes() == {"ok": 1, "job-error": 1}


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Scheduler(max_workers=0)
