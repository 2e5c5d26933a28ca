"""Runs many simulated Web Connectors against one server at once, bounded in count and time.

Each job is one Web Connector's work (one or more sessions) on its own thread;
jobs share nothing but the server. Used by concurrency tests and load benchmarks.
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

import attrs

from qbwc_server.simulator.webconnector import SessionResult, SimulatedWebConnector

log = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class Job:
    """Some named work that yields session results, e.g. one company's K sessions."""

    name: str
    run: Callable[[], Sequence[SessionResult]]

    @classmethod
    def sessions(cls, name: str, connector: SimulatedWebConnector, count: int = 1) -> Job:
        """``count`` sessions of ``connector``, one after the other."""
        return cls(name=name, run=lambda: connector.run_sessions(count))


@attrs.frozen(kw_only=True)
class JobResult:
    """What one job produced, or the exception that stopped it."""

    name: str
    sessions: tuple[SessionResult, ...] = ()
    error: str | None = None


@attrs.frozen(kw_only=True)
class ScheduleReport:
    """Every job's results, plus the names of jobs that did not finish in time."""

    jobs: tuple[JobResult, ...]
    unfinished: tuple[str, ...] = ()

    @property
    def sessions(self) -> list[SessionResult]:
        return [session for job in self.jobs for session in job.sessions]

    def outcomes(self) -> collections.Counter[str]:
        """How many sessions ended each way (plus ``job-error`` for jobs that raised)."""
        counts = collections.Counter(str(s.outcome) for s in self.sessions)
        counts.update("job-error" for job in self.jobs if job.error is not None)
        return counts


class Scheduler:
    """Runs jobs on at most ``max_workers`` threads and waits at most ``timeout`` seconds.

    Jobs still running at the deadline are reported in ``unfinished``; their threads
    end on their own (every session is bounded by its call budget and HTTP timeout).
    """

    def __init__(self, *, max_workers: int = 8, timeout: float = 300.0) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._max_workers = max_workers
        self._timeout = timeout

    def run(self, jobs: Sequence[Job]) -> ScheduleReport:
        executor = ThreadPoolExecutor(self._max_workers, thread_name_prefix="simulated-wc")
        try:
            futures = [(job, executor.submit(job.run)) for job in jobs]
            wait([future for _, future in futures], timeout=self._timeout)
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
        finished, unfinished = [], []
        for job, future in futures:
            if future.done() and not future.cancelled():
                finished.append(_result(job, future))
            else:
                unfinished.append(job.name)
        if unfinished:
            log.warning("%d simulated Web Connector job(s) did not finish", len(unfinished))
        return ScheduleReport(jobs=tuple(finished), unfinished=tuple(unfinished))


def _result(job: Job, future: Future[Sequence[SessionResult]]) -> JobResult:
    error = future.exception()
    if error is not None:
        log.warning("simulated Web Connector job %s failed: %r", job.name, error)
        return JobResult(name=job.name, error=f"{type(error).__name__}: {error}")
    return JobResult(name=job.name, sessions=tuple(future.result()))
