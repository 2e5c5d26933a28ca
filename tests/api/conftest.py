"""API fixtures: the app on SQLite and PostgreSQL, API keys, a client that checks every answer
against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from qbwc_server.api import ApiKeyService
from qbwc_server.app import Services, create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.store.database import Database
from tests.api.openapi_check import check_response


class ApiClient:
    """Flask's test client speaking to /api/v1 with a bearer key; every response is checked."""

    def __init__(self, client: Any, key: str | None) -> None:
        self._client = client
        self.key = key

    def request(self, method: str, path: str, *, json: Any = None, data: Any = None,
                headers: dict[str, str] | None = None, key: str | None = None,
                content_type: str | None = None,
                query_string: dict[str, str] | None = None) -> Any:
        sent = dict(headers or {})
        token = key if key is not None else self.key
        if token and "Authorization" not in sent:
            sent["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("/api/") else "/api/v1" + path
        response = self._client.open(url, method=method, json=json, data=data, headers=sent,
                                     content_type=content_type, query_string=query_string)
        check_response(url, method, response)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)


@pytest.fixture
def app(settings: Settings, clock: FakeClock, db: Database) -> Flask:
    return create_app(settings, clock=clock, db=db)


@pytest.fixture
def services(app: Flask) -> Services:
    return services_of(app)


@pytest.fixture
def keys(services: Services) -> ApiKeyService:
    return ApiKeyService(services.db, services.clock)


@pytest.fixture
def api(app: Flask, keys: ApiKeyService) -> ApiClient:
    """A client with a key for every company."""
    _, key = keys.add("platform")
    return ApiClient(app.test_client(), key)


@pytest.fixture
def acme(services: Services) -> str:
    """A company that pushes everything the API writes (customers and invoices too)."""
    services.companies.add("Acme")
    services.sync.configure("Acme", directions={"customer": "both", "invoice": "both"})
    return "Acme"


def problem_type(response: Any) -> str:
    return str(response.get_json()["type"]).removeprefix("urn:qbwc:problem:")


def assert_problem(response: Any, status: int, slug: str) -> None:
    """The response is a problem of this status and type."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert problem_type(response) == slug
