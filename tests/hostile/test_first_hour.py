"""What a new user runs into first, over real HTTP: every answer carries the security
headers (error pages too), and a company named in any script can download its ``.qwc``.
Each case: a clean answer, no traceback in the log, the store unchanged."""

from __future__ import annotations

import http.client
import logging
from collections.abc import Iterator, Mapping
from urllib.parse import quote

import attrs
import pytest
from lxml import etree
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter, PathConverter

from qbwc_server.api import ApiKeyService
from qbwc_server.headers import SECURITY_HEADERS
from tests.hostile.conftest import Served, assert_no_traceback, row_counts
from tests.integration.pages_helpers import sign_in_admin

NON_LATIN = "日本"
QWC_HEADER = "attachment; filename=\"company.qwc\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.qwc"


@attrs.frozen
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def _request(served: Served, method: str, path: str,
             headers: Mapping[str, str] | None = None) -> Answer:
    host, port = served.url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, path, body=b"" if method in ("POST", "PUT") else None,
                     headers=dict(headers or {}))
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


@attrs.frozen
class Visitor:
    """An admin's session cookie and an API key, made before the store is watched."""

    cookie: str
    api_key: str
    username: str


@pytest.fixture(scope="module")
def visitor(served: Served) -> Visitor:
    view, _ = served.services.companies.add(NON_LATIN)  # accepted at creation
    _, key = ApiKeyService(served.services.db, served.services.clock).add("first-hour")
    client = served.app.test_client()
    sign_in_admin(client, served.services)
    cookie = client.get_cookie("qbwc_session")
    assert cookie is not None
    return Visitor(cookie=f"qbwc_session={cookie.value}", api_key=key, username=view.username)


@pytest.fixture
def quiet_store(served: Served, visitor: Visitor,
                caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    before = row_counts(served.services)
    yield
    assert row_counts(served.services) == before
    assert_no_traceback(caplog.records)


def _sample(rule: Rule) -> str:
    """A path the rule matches, with made-up values (nothing by those names exists)."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            values[name] = 999
        elif isinstance(converter, PathConverter):
            values[name] = "style.css"
        else:
            values[name] = "Nobody"
    return rule.build(values)[1]  # type: ignore[index]


def _every_route(served: Served) -> list[tuple[str, str]]:
    routes = [(method, _sample(rule)) for rule in served.app.url_map.iter_rules()
              for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    return [*routes,
            ("GET", "/no-such-page"),  # the pages' 404
            ("GET", "/api/v1/no-such-thing"),  # the API's 404 problem
            ("DELETE", "/"),  # 405
            ("PUT", "/support"),  # 405
            ("DELETE", "/api/v1/companies")]  # the API's 405 problem


@pytest.mark.usefixtures("quiet_store")
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_every_answer_carries_the_security_headers(served: Served, visitor: Visitor,
                                                   signed_in: bool) -> None:
    headers = {"Cookie": visitor.cookie} if signed_in else {}
    missing: dict[str, list[str]] = {}
    statuses: set[int] = set()
    for method, path in _every_route(served):
        answer = _request(served, method, path, headers)
        statuses.add(answer.status)
        # SOAP 1.1 sends its faults with 500 (WS-I BP R1126); nothing else may.
        assert answer.status < 500 or path == "/qbwc", (method, path, answer.status)
        absent = [name for name, value in SECURITY_HEADERS.items()
                  if answer.headers.get(name) != value]
        if answer.headers.get("Cache-Control") is None:
            absent.append("Cache-Control")
        if absent:
            missing[f"{method} {path} ({answer.status})"] = absent
    assert missing == {}
    assert {200, 404, 405} <= statuses  # real pages, missing ones and wrong methods


@pytest.mark.usefixtures("quiet_store")
def test_a_non_latin_company_downloads_its_qwc_from_the_api(served: Served,
                                                            visitor: Visitor) -> None:
    answer = _request(served, "GET", f"/api/v1/companies/{quote(NON_LATIN)}/qwc",
                      {"Authorization": f"Bearer {visitor.api_key}"})
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Disposition"] == QWC_HEADER
    assert etree.fromstring(answer.body).findtext("UserName") == visitor.username


@pytest.mark.usefixtures("quiet_store")
def test_a_non_latin_company_downloads_its_qwc_from_the_admin_console(
        served: Served, visitor: Visitor) -> None:
    answer = _request(served, "GET", f"/admin/companies/{quote(NON_LATIN)}/qwc",
                      {"Cookie": visitor.cookie})
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Disposition"] == QWC_HEADER
    assert etree.fromstring(answer.body).findtext("UserName") == visitor.username
