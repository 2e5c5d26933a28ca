"""The delivery worker: a daemon thread that runs delivery passes until stopped."""

from __future__ import annotations

from collections.abc import Callable

from qbwc_server.background import BackgroundWorker
from qbwc_server.webhooks.service import WebhookService


class WebhookWorker(BackgroundWorker):
    """Runs :meth:`WebhookService.deliver_due` every ``interval`` seconds (at once while busy).

    Args:
        service: the webhook service.
        interval: pause between passes that found less than ``max_items`` to send.
        max_items: bound of one pass.
        wait: how to pause (tests inject a fake); by default a stop-aware wait.
    """

    def __init__(self, service: WebhookService, *, interval: float = 5.0, max_items: int = 100,
                 wait: Callable[[float], object] | None = None) -> None:
        super().__init__("qbwc-webhooks", interval=interval, wait=wait)
        self._service = service
        self._max_items = max_items

    def run_pass(self) -> bool:
        return self._service.deliver_due(max_items=self._max_items) >= self._max_items
