"""Webhook fixtures: the acceptance app (simulated Web Connector included) and a real receiver."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response
from werkzeug.datastructures import Headers

from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import ChangeFeedEntry
from qbwc_server.webhooks import HttpSender, SendResult, WebhookService
from tests.acceptance import conftest as acceptance
from tests.conftest import settings_for
from tests.paths import REPO

# The acceptance fixtures: the app on a fake clock, and a simulated Web Connector.
app, clock, connect, services = (acceptance.app, acceptance.clock, acceptance.connect,
                                 acceptance.services)

@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The receivers listen on 127.0.0.1, so these tests allow private addresses, explicitly."""
    return attrs.evolve(settings_for(database_url, tmp_path), webhooks_allow_private=True)


_SNIPPET = re.compile(r"## Verifying a delivery.*?```python\n(.*?)```", re.S)


def documented_verifier() -> Callable[..., bool]:
    """``verify_webhook`` exactly as docs/webhooks.md shows it."""
    text = (REPO / "docs" / "webhooks.md").read_text(encoding="utf-8")
    match = _SNIPPET.search(text)
    assert match, "docs/webhooks.md lost its verification snippet"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), "docs/webhooks.md", "exec"), namespace)  # noqa: S102
    return namespace["verify_webhook"]  # type: ignore[no-any-return]


class RecordingSender:
    """The real sender, counting what went through it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._real = HttpSender(timeout=5, allow_private=True)

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        self.calls.append(url)
        return self._real(url, body, headers)


@attrs.frozen
class Received:
    headers: Headers
    body: bytes
    status: int

    @property
    def change_id(self) -> int:
        return int(json.loads(self.body)["id"])


class Receiver:
    """A webhook receiver on a pytest-httpserver path that answers as scripted.

    ``statuses`` are answered first, in order; then ``failures[change_id]`` 500s
    for that entry; then 200.
    """

    def __init__(self, server: HTTPServer, path: str) -> None:
        self.url = server.url_for(path)
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self.failures: dict[int, int] = {}
        self._lock = threading.Lock()
        server.expect_request(path, method="POST").respond_with_handler(self._handle)

    def _handle(self, request: Request) -> Response:
        body = request.get_data()
        with self._lock:
            change_id = int(json.loads(body)["id"])
            status = 200
            if self.statuses:
                status = self.statuses.pop(0)
            elif self.failures.get(change_id, 0) > 0:
                self.failures[change_id] -= 1
                status = 500
            self.requests.append(Received(Headers(request.headers), body, status))
        return Response("ok" if status < 300 else "receiver is down", status=status)

    @property
    def delivered(self) -> list[int]:
        return [r.change_id for r in self.requests if r.status < 300]


@pytest.fixture
def receive(httpserver: HTTPServer) -> Callable[[str], Receiver]:
    return lambda path="/hook": Receiver(httpserver, path)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def webhooks(db: Database, clock: FakeClock, settings: Settings,
             sender: RecordingSender) -> WebhookService:
    return WebhookService(db, clock, settings, sender=sender)


@pytest.fixture
def add_changes(db: Database, clock: FakeClock) -> Callable[..., list[int]]:
    """Write change-feed entries for a company, as a Web Connector session would."""

    def add(company: str, count: int, kind: str = "customer") -> list[int]:
        with db.transaction() as session:
            company_id = company_row(session, company).id
            ids = []
            for n in range(count):
                row = ChangeFeedEntry(
                    company_id=company_id, record_id=None, kind=kind, change="created",
                    qb_id=f"{n + 1}-1767625200", external_id=None,
                    data=json.dumps({"name": f"{company} customer {n + 1}"}),
                    created_at=clock.now())
                session.add(row)
                session.flush()
                ids.append(row.id)
            return ids

    return add
