"""The delivery worker: a daemon thread that runs delivery passes until stopped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from qbwc_server.webhooks.service import WebhookService

logger = logging.getLogger(__name__)


class WebhookWorker:
    """Runs :meth:`WebhookService.deliver_due` every ``interval`` seconds (at once while busy).

    Args:
        service: the webhook service.
        interval: pause between passes that found less than ``max_items`` to send.
        max_items: bound of one pass.
        wait: how to pause (tests inject a fake); by default a stop-aware wait.
    """

    def __init__(self, service: WebhookService, *, interval: float = 5.0, max_items: int = 100,
                 wait: Callable[[float], object] | None = None) -> None:
        self._service = service
        self._interval = interval
        self._max_items = max_items
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    def run(self, max_passes: int | None = None) -> int:
        """Run passes until stopped (or ``max_passes``); returns the passes run."""
        passes = 0
        while not self._stop.is_set() and (max_passes is None or passes < max_passes):
            passes += 1
            try:
                attempted = self._service.deliver_due(max_items=self._max_items)
            except Exception:  # the thread must outlive a bad pass (database down, a bug)
                logger.exception("webhook delivery pass failed; trying again later")
                attempted = 0
            if attempted < self._max_items:
                self._wait(self._interval)
        return passes

    def start(self) -> None:
        """Run in a daemon thread."""
        if self._thread is not None:
            raise RuntimeError("the webhook worker is already started")
        self._thread = threading.Thread(target=self.run, name="qbwc-webhooks", daemon=True)
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
