"""Retention: Idempotency-Key answers, webhook deliveries and finished Web Connector sessions
are deleted once past their time, and nothing still live or still needed ever is."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from qbwc_server.api import ApiKeyService
from qbwc_server.app import Services
from qbwc_server.cli import cli
from qbwc_server.clock import FakeClock
from qbwc_server.retention import PruneWorker, Retention, prune
from qbwc_server.store import queue
from qbwc_server.store.companies import company_row
from qbwc_server.store.models import (
    ChangeFeedEntry,
    IdempotencyKey,
    QueuedRequest,
    SyncRecord,
    WebConnectorSession,
    WebhookDelivery,
)
from qbwc_server.webhooks import DELIVERED, FAILED, PENDING, RetryPolicy, SendResult, WebhookService


def _retention(services: Services) -> Retention:
    return Retention.from_settings(services.settings)


def _ids(services: Services, model: Any) -> list[int]:
    with services.db.transaction() as session:
        return list(session.scalars(select(model.id).order_by(model.id)))


def test_the_defaults_are_documented(services: Services) -> None:
    assert _retention(services) == Retention(
        idempotency_keys=timedelta(hours=24), delivered_webhooks=timedelta(days=30),
        failed_webhooks=timedelta(days=90), sessions=timedelta(days=90))


@pytest.fixture
def sync_now(app: Flask, services: Services) -> Callable[[str], Any]:
    """POST /companies/Acme/sync over the API with an Idempotency-Key."""
    _, key = ApiKeyService(services.db, services.clock).add("retention")
    client = app.test_client()
    return lambda idempotency: client.post("/api/v1/companies/Acme/sync", headers={
        "Authorization": f"Bearer {key}", "Idempotency-Key": idempotency})


def test_idempotency_keys_go_24_hours_after_use(services: Services, clock: FakeClock,
                                                sync_now: Callable[[str], Any]) -> None:
    services.companies.add("Acme")
    assert sync_now("old").status_code == 202
    clock.advance(hours=23)
    assert sync_now("new").status_code == 202
    clock.advance(hours=1, seconds=1)
    assert prune(services.db, clock.now(), _retention(services)).idempotency_keys == 1
    with services.db.transaction() as session:
        assert list(session.scalars(select(IdempotencyKey.key))) == ["new"]


def _answering(*statuses: int) -> Callable[[str, bytes, Mapping[str, str]], SendResult]:
    answers = list(statuses)

    def send(url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        status = answers.pop(0) if answers else 200
        return SendResult(status=status, error=None if status < 300 else "down")
    return send


def _changes(services: Services, clock: FakeClock, count: int) -> None:
    with services.db.transaction() as session:
        company_id = company_row(session, "Acme").id
        for n in range(count):
            session.add(ChangeFeedEntry(
                company_id=company_id, record_id=None, kind="customer", change="created",
                qb_id=f"{n}-1", external_id=None, data=json.dumps({"n": n}),
                created_at=clock.now()))


def _states(services: Services) -> list[tuple[int, str]]:
    with services.db.transaction() as session:
        return [(change, state) for change, state in session.execute(
            select(WebhookDelivery.change_id, WebhookDelivery.state)
            .order_by(WebhookDelivery.change_id))]


def test_delivered_webhooks_go_after_30_days_but_the_feed_does_not_restart(
        services: Services, clock: FakeClock) -> None:
    services.companies.add("Acme")
    webhooks = WebhookService(services.db, clock, services.settings, sender=_answering())
    webhooks.add_endpoint("Acme", "https://hooks.example.com/acme")
    _changes(services, clock, 3)
    assert webhooks.deliver_due() == 3
    clock.advance(days=30)
    assert prune(services.db, clock.now(), _retention(services)).webhook_deliveries == 0
    clock.advance(seconds=1)
    assert prune(services.db, clock.now(), _retention(services)).webhook_deliveries == 2
    assert _states(services) == [(3, DELIVERED)]  # the newest: where the endpoint resumes
    assert webhooks.deliver_due() == 0  # not sent entries 1 and 2 again
    _changes(services, clock, 1)
    assert webhooks.deliver_due() == 1
    assert _states(services) == [(3, DELIVERED), (4, DELIVERED)]


def test_failed_webhooks_stay_90_days_and_pending_ones_forever(
        services: Services, clock: FakeClock) -> None:
    services.companies.add("Acme")
    webhooks = WebhookService(services.db, clock, services.settings,
                              sender=_answering(500, 500), policy=RetryPolicy(max_attempts=1))
    webhooks.add_endpoint("Acme", "https://hooks.example.com/acme")
    _changes(services, clock, 2)
    webhooks.deliver_due()  # both fail for good
    _changes(services, clock, 1)
    webhooks._sender = _answering(500)  # noqa: SLF001 (the third waits, pending)
    webhooks.policy = RetryPolicy(max_attempts=5)
    webhooks.deliver_due()
    assert _states(services) == [(1, FAILED), (2, FAILED), (3, PENDING)]
    clock.advance(days=89)
    assert prune(services.db, clock.now(), _retention(services)).webhook_deliveries == 0
    clock.advance(days=1, seconds=1)
    assert prune(services.db, clock.now(), _retention(services)).webhook_deliveries == 2
    assert _states(services) == [(3, PENDING)]
    clock.advance(days=1000)
    prune(services.db, clock.now(), _retention(services))
    assert _states(services) == [(3, PENDING)]


def _session(services: Services, clock: FakeClock, state: str, ended: bool = True) -> int:
    with services.db.transaction() as session:
        row = WebConnectorSession(
            company_id=company_row(session, "Acme").id, ticket_digest=f"{state}-{clock.now()}",
            state=state, started_at=clock.now(), last_seen_at=clock.now(),
            ended_at=clock.now() if ended else None)
        session.add(row)
        session.flush()
        return row.id


def _request(services: Services, clock: FakeClock, session_id: int | None, state: str) -> int:
    with services.db.transaction() as session:
        row = QueuedRequest(company_id=company_row(session, "Acme").id, purpose="test",
                            request_id="1", request_xml="<QBXML/>", state=state,
                            session_id=session_id, created_at=clock.now(),
                            completed_at=clock.now() if state == queue.DONE else None)
        session.add(row)
        session.flush()
        return row.id


def test_finished_sessions_go_after_90_days_with_their_finished_requests(
        services: Services, clock: FakeClock) -> None:
    services.companies.add("Acme")
    closed = _session(services, clock, "closed")
    expired = _session(services, clock, "expired")
    live = _session(services, clock, "open", ended=False)
    done = _request(services, clock, closed, queue.DONE)
    unknown_write = _request(services, clock, closed, queue.UNKNOWN)  # outcome to look up
    queued = _request(services, clock, None, queue.QUEUED)
    live_done = _request(services, clock, live, queue.DONE)  # the open session's own
    pointed_at = _request(services, clock, expired, queue.DONE)
    held = _request(services, clock, expired, queue.DONE)
    with services.db.transaction() as session:
        session.add(SyncRecord(company_id=company_row(session, "Acme").id, kind="payment",
                               data="{}", push_state="sent", queue_item_id=pointed_at,
                               created_at=clock.now(), updated_at=clock.now()))
        session.get_one(WebConnectorSession, live).pending_item_id = held
    clock.advance(days=90)
    assert prune(services.db, clock.now(), _retention(services)).sessions == 0
    clock.advance(seconds=1)
    pruned = prune(services.db, clock.now(), _retention(services))
    assert (pruned.sessions, pruned.requests) == (2, 1)
    assert _ids(services, WebConnectorSession) == [live]  # open, however old
    assert _ids(services, QueuedRequest) == sorted(
        [unknown_write, queued, live_done, pointed_at, held])
    assert done not in _ids(services, QueuedRequest)


def test_the_prune_command_and_the_serve_worker(
        services: Services, clock: FakeClock, database_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    services.companies.add("Acme")
    _session(services, clock, "closed")
    clock.advance(days=91)
    waits: list[float] = []
    worker = PruneWorker(services.db, clock, _retention(services), wait=waits.append)
    assert worker.run(max_passes=1) == 1
    assert waits == [3600.0]  # then once an hour
    assert _ids(services, WebConnectorSession) == []
    _session(services, clock, "failed", ended=False)  # ended by going silent
    monkeypatch.setenv("QBWC_DATABASE_URL", database_url)
    monkeypatch.setenv("QBWC_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("QBWC_CONFIG", str(tmp_path / "absent.toml"))
    result = CliRunner().invoke(cli, ["prune", "--json"])  # the real clock: 2026 is past
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"idempotency_keys": 0, "webhook_deliveries": 0,
                                         "sessions": 1, "requests": 0}
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(WebConnectorSession)) == 0


@pytest.mark.parametrize("name", ["idempotency_keep_hours", "session_keep_days"])
def test_a_retention_under_one_is_refused(name: str, tmp_path: Path) -> None:
    from qbwc_server.config import load_settings
    from qbwc_server.errors import ConfigError

    with pytest.raises(ConfigError, match=f"{name} must be at least 1"):
        load_settings({name: 0}, environ={}, config_file=tmp_path / "absent.toml")
