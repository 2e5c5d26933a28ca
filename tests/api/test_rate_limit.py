"""The per-key rate limit: a token bucket answering 429 with Retry-After once it is empty."""

from __future__ import annotations

import attrs
from flask import Flask

from qbwc_server.api import ApiKeyService
from qbwc_server.app import create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.store.database import Database
from tests.api.conftest import ApiClient, assert_problem


def _app(settings: Settings, clock: FakeClock, db: Database, per_minute: int) -> Flask:
    return create_app(attrs.evolve(settings, api_requests_per_minute=per_minute),
                      clock=clock, db=db)


def _client(app: Flask, name: str) -> ApiClient:
    services = services_of(app)
    _, key = ApiKeyService(services.db, services.clock).add(name)
    return ApiClient(app.test_client(), key)


def test_a_key_past_its_limit_gets_429_with_retry_after(
        settings: Settings, clock: FakeClock, db: Database) -> None:
    app = _app(settings, clock, db, per_minute=3)
    busy, other = _client(app, "busy"), _client(app, "other")
    assert [busy.get("/companies").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/companies")
    assert_problem(refused, 429, "rate-limited")
    assert refused.headers["Retry-After"] == "20"  # 3 a minute: a token every 20 s
    assert "3 requests a minute" in refused.get_json()["detail"]
    assert other.get("/companies").status_code == 200  # each key has its own bucket
    clock.advance(seconds=19)
    assert_problem(busy.get("/companies"), 429, "rate-limited")
    clock.advance(seconds=1)
    assert busy.get("/companies").status_code == 200
    assert_problem(busy.get("/companies"), 429, "rate-limited")


def test_the_bucket_refills_to_a_burst_of_the_limit_not_more(
        settings: Settings, clock: FakeClock, db: Database) -> None:
    app = _app(settings, clock, db, per_minute=2)
    api = _client(app, "idle")
    clock.advance(hours=5)  # idle for hours: still only a minute's worth at once
    assert [api.get("/companies").status_code for _ in range(3)] == [200, 200, 429]


def test_unauthenticated_requests_take_no_token(
        settings: Settings, clock: FakeClock, db: Database) -> None:
    app = _app(settings, clock, db, per_minute=1)
    api = _client(app, "one")
    for _ in range(3):
        assert_problem(api.get("/companies", key="qbwc_bad"), 401, "unauthenticated")
    assert api.get("/companies").status_code == 200


def test_zero_turns_the_limit_off(settings: Settings, clock: FakeClock, db: Database) -> None:
    api = _client(_app(settings, clock, db, per_minute=0), "unlimited")
    assert {api.get("/companies").status_code for _ in range(50)} == {200}


def test_the_default_is_600_a_minute(settings: Settings) -> None:
    assert settings.api_requests_per_minute == 600
