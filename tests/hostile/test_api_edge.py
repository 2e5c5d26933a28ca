"""Hostile requests to the REST API, over real HTTP on both databases: each gets a clean RFC 9457
problem (never a 500, never a 503 that tells the client to retry forever), logs no traceback,
and leaves the store as it was."""

from __future__ import annotations

import base64
import http.client
import json
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs
import pytest
from sqlalchemy import text

from qbwc_server.api import ApiKeyService
from qbwc_server.api.http import MAX_JSON_DEPTH
from qbwc_server.app import create_app, services_of
from qbwc_server.serving import BackgroundServer
from tests.conftest import settings_for
from tests.hostile.conftest import Served, assert_no_traceback, row_counts

CUSTOMER = {"name": "Ada Lovelace"}


@attrs.frozen
class Answer:
    status: int
    headers: Mapping[str, str]
    body: Any

    @property
    def slug(self) -> str:
        return str(self.body["type"]).removeprefix("urn:qbwc:problem:")


@attrs.frozen
class Api:
    served: Served
    key: str

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: Mapping[str, str] | None = None) -> Answer:
        host, port = self.served.url.removeprefix("http://").rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        sent = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, "/api/v1" + path, body=body, headers=sent)
            response = conn.getresponse()
            raw = response.read()
            return Answer(response.status, dict(response.getheaders()),
                          json.loads(raw) if raw else None)
        finally:
            conn.close()


@pytest.fixture(scope="module")
def api(served: Served) -> Api:
    services = served.services
    services.companies.add("Acme")
    services.sync.configure("Acme", directions={"customer": "both"})
    _, key = ApiKeyService(services.db, services.clock).add("hostile")
    return Api(served, key)


@pytest.fixture
def quiet_store(api: Api, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every case: the store unchanged and no traceback in the log."""
    caplog.set_level(logging.DEBUG)
    before = row_counts(api.served.services)
    yield
    assert row_counts(api.served.services) == before
    assert_no_traceback(caplog.records)


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


LONG = "x" * 5000
# (method, path, body, extra headers) -> (status, problem type, text in the detail)
CASES: dict[str, tuple[tuple[str, str, bytes | None, dict[str, str]], tuple[int, str, str]]] = {
    # once a RecursionError and a 500
    "json-nested-1000-deep": (
        ("PUT", "/companies/Acme/customers/c1", b"[" * 1000 + b"]" * 1000, {}),
        (400, "invalid-request", f"more than {MAX_JSON_DEPTH} deep")),
    "json-nested-100000-deep-unclosed": (
        ("PUT", "/companies/Acme/customers/c1", b'{"a":' * 100_000, {}),
        (400, "invalid-request", f"more than {MAX_JSON_DEPTH} deep")),
    # just past the bound, well within the parser's recursion
    "json-nested-just-too-deep": (
        ("PUT", "/companies/Acme/customers/c1",
         _json({"name": "Ada", "bill_address": {"lines": [[[]]]}}).replace(
             b"[[[]]]", b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH), {}),
        (400, "invalid-request", f"more than {MAX_JSON_DEPTH} deep")),
    # the Idempotency-Key digest parses the body before the view does
    "json-deep-with-an-idempotency-key": (
        ("POST", "/companies", b"[" * 5000 + b"]" * 5000, {"Idempotency-Key": "deep-1"}),
        (400, "invalid-request", "deep")),
    "json-not-utf8": (
        ("PUT", "/companies/Acme/customers/c1", b'{"name": "\xff\xfe"}', {}),
        (400, "invalid-request", "not valid JSON")),
    "json-5000-digit-number": (
        ("POST", "/companies", b'{"name": "N", "cadence_minutes": ' + b"9" * 5000 + b"}", {}),
        (400, "invalid-request", "not valid JSON")),
    "json-over-the-size-limit": (
        ("PUT", "/companies/Acme/customers/c1",
         _json({"name": "Ada", "note": "x" * (1024 * 1024)}), {}),
        (413, "body-too-large", "too large")),
    # NUL: PostgreSQL refused it with a 503 and Retry-After; SQLite stored it
    "nul-in-a-record-field": (
        ("PUT", "/companies/Acme/customers/c1", _json({"name": "Ada\u0000Lovelace"}), {}),
        (422, "validation-error", "name: contains the control character U+0000")),
    "nul-in-a-company-name": (
        ("POST", "/companies", _json({"name": "Nul\u0000Corp"}), {}),
        (422, "validation-error", "name: contains the control character U+0000")),
    "nul-in-a-settings-account": (
        ("PUT", "/companies/Acme/settings", _json({"payment_account": "Bank\u0000"}), {}),
        (422, "validation-error", "payment_account: contains the control character")),
    "escape-character-in-a-nested-field": (
        ("PUT", "/companies/Acme/customers/c1",
         _json({"name": "Ada", "bill_address": {"lines": ["1 Way\u001b[2J"]}}), {}),
        (422, "validation-error", "bill_address.lines.0: contains the control character U+001B")),
    "nul-in-a-field-name": (
        ("PUT", "/companies/Acme/customers/c1", _json({"name": "Ada", "x\u0000": 1}), {}),
        (422, "validation-error", "the field name contains the control character U+0000")),
    # a lone surrogate cannot be encoded for PostgreSQL
    "lone-surrogate": (
        ("PUT", "/companies/Acme/customers/c1", b'{"name": "Ada \\ud800"}', {}),
        (422, "validation-error", "U+D800")),
    # path parts
    "nul-in-the-company-path": (
        ("GET", "/companies/Acme%00", None, {}),
        (400, "invalid-request", "The company in the path contains the control character")),
    "nul-in-the-external-id-path": (
        ("PUT", "/companies/Acme/customers/c%001", _json(CUSTOMER), {}),
        (400, "invalid-request", "external_id in the path contains the control character")),
    "nul-in-a-qb-id-path": (
        ("GET", "/companies/Acme/customers/qb/80%00", None, {}),
        (400, "invalid-request", "qb_id in the path contains the control character")),
    "company-name-longer-than-a-column": (
        ("GET", f"/companies/{LONG}", None, {}),
        (404, "not-found", "at most 100 characters")),
    "long-company-with-an-idempotency-key": (
        ("POST", f"/companies/{LONG}/sync", None, {"Idempotency-Key": "long-path"}),
        (404, "not-found", "at most 100 characters")),
    "long-external-id-put": (
        ("PUT", f"/companies/Acme/customers/{LONG}", _json(CUSTOMER), {}),
        (422, "validation-error", "at most 100 characters")),
    "long-external-id-retry-with-an-idempotency-key": (
        ("POST", f"/companies/Acme/customers/{'e' * 480}/retry", None,
         {"Idempotency-Key": "long-retry"}),
        (404, "not-found", "")),
    "long-external-id-get": (
        ("GET", f"/companies/Acme/customers/{LONG}", None, {}),
        (404, "not-found", "")),
    "long-qb-id-get": (
        ("GET", f"/companies/Acme/customers/qb/{LONG}", None, {}),
        (404, "not-found", "")),
    # Idempotency-Key header
    "idempotency-key-too-long": (
        ("POST", "/companies/Acme/sync", None, {"Idempotency-Key": "k" * 201}),
        (400, "invalid-request", "longer than 200 characters")),
    # (waitress itself refuses C0 controls in headers; a C1 control arrives as Latin-1)
    "idempotency-key-with-a-control-character": (
        ("POST", "/companies/Acme/sync", None, {"Idempotency-Key": "k\u0085y"}),
        (400, "invalid-request", "control character U+0085")),
    # cursors and numbers in the query
    "cursor-past-2-63": (
        ("GET", f"/companies/Acme/customers?after={_cursor('customer:' + str(2**63))}", None,
         {}), (400, "invalid-request", "after is not a cursor")),
    "cursor-past-2-31": (
        ("GET", f"/companies/Acme/changes?after={_cursor('changes:' + str(2**31))}", None, {}),
        (400, "invalid-request", "after is not a cursor")),
    "cursor-with-nul": (
        ("GET", f"/companies/Acme/changes?after={_cursor('changes:1' + chr(0))}", None, {}),
        (400, "invalid-request", "after is not a cursor")),
    "nul-in-the-cursor-text": (
        ("GET", "/companies/Acme/changes?after=%00", None, {}),
        (400, "invalid-request", "The after in the query contains the control character")),
    "limit-superscript": (
        ("GET", f"/companies/Acme/customers?limit={quote('²')}", None, {}),
        (400, "invalid-request", "limit must be a whole number")),
    "limit-5000-digits": (
        ("GET", f"/companies/Acme/customers?limit={'9' * 5000}", None, {}),
        (400, "invalid-request", "limit must be a whole number")),
    "updated-since-with-nul": (
        ("GET", "/companies/Acme/customers?updated_since=2026-01-01T00:00:00Z%00", None, {}),
        (400, "invalid-request", "The updated_since in the query contains the control")),
}


@pytest.mark.usefixtures("quiet_store")
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_requests_get_a_clean_problem(api: Api, case: str) -> None:
    (method, path, body, headers), (status, slug, text) = CASES[case]
    answer = api.call(method, path, body, headers)
    assert (answer.status, answer.slug) == (status, slug), answer.body
    assert text in answer.body["detail"]
    assert "Retry-After" not in answer.headers
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_a_statement_the_database_refuses_is_a_500_not_a_503(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # A refused statement fails the same way on every retry: no Retry-After. On SQLite a
    # missing table is an OperationalError, like an outage; it is not one.
    services = api.served.services

    def broken(name: str) -> None:
        with services.db.transaction() as session:
            session.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(services.companies, "get", broken)
    answer = api.call("GET", "/companies/Acme")
    assert (answer.status, answer.slug) == (500, "internal-error")
    assert "Retry-After" not in answer.headers


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_unreachable_database_is_a_503_with_retry_after(
        engine: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = {"sqlite": f"sqlite:///{tmp_path}",  # a folder: SQLite cannot open it
           "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/none"}[engine]
    app = create_app(settings_for(url, tmp_path))
    with BackgroundServer(app) as server:
        api = Api(Served(app=app, services=services_of(app), url=server.url),
                  "qbwc_abcdefgh_" + "a" * 40)
        answer = api.call("GET", "/companies")
    services_of(app).db.engine.dispose()
    assert (answer.status, answer.slug) == (503, "unavailable")
    assert answer.headers["Retry-After"] == "5"
