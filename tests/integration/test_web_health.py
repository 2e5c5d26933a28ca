"""Health check and the plain pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine

from qbwc_server.app import create_app
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.store.database import Database


def test_healthz_reports_the_database(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_gone(
    settings: Settings, clock: FakeClock, tmp_path: Any
) -> None:
    broken = Database(create_engine(f"sqlite:///{tmp_path}/missing-dir/x/y.db"))
    response = create_app(settings, clock=clock, db=broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_get_on_the_endpoint_explains_itself(client: Any) -> None:
    response = client.get("/qbwc")
    assert response.status_code == 200
    assert b"?wsdl" in response.data
