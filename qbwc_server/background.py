"""A background worker: a daemon thread that runs passes of some work until stopped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


class BackgroundWorker:
    """Runs :meth:`run_pass` every ``interval`` seconds (at once again while it has more).

    Args:
        name: the thread's name, and what the log calls it.
        interval: pause after a pass that left nothing waiting.
        wait: how to pause (tests inject a fake); by default a stop-aware wait.
    """

    def __init__(self, name: str, *, interval: float,
                 wait: Callable[[float], object] | None = None) -> None:
        self._name = name
        self._interval = interval
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    def run_pass(self) -> bool:
        """One pass of the work; True when more is waiting (run again without a pause)."""
        raise NotImplementedError

    def run(self, max_passes: int | None = None) -> int:
        """Run passes until stopped (or ``max_passes``); returns the passes run."""
        passes = 0
        while not self._stop.is_set() and (max_passes is None or passes < max_passes):
            passes += 1
            try:
                more = self.run_pass()
            except Exception:  # the thread must outlive a bad pass (database down, a bug)
                logger.exception("%s pass failed; trying again later", self._name)
                more = False
            if not more:
                self._wait(self._interval)
        return passes

    def start(self) -> None:
        """Run in a daemon thread."""
        if self._thread is not None:
            raise RuntimeError(f"the {self._name} worker is already started")
        self._thread = threading.Thread(target=self.run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the loop to stop and wait for the pass in progress to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
