"""Which client a sign-in counts against: the TCP peer, or what a trusted proxy reports."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

import attrs
import pytest

from qbwc_server.app import create_app
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.errors import ConfigError
from qbwc_server.serving import BackgroundServer
from qbwc_server.store.database import Database
from tests.soap_client import envelope, headers, result_element

PER_CLIENT = 2


def serve(settings: Settings, clock: FakeClock, db: Database, **changes: str
          ) -> Iterator[str]:
    app = create_app(attrs.evolve(settings, login_checks_per_client_per_minute=PER_CLIENT,
                                  **changes), clock=clock, db=db)
    with BackgroundServer(app) as server:
        yield server.url


@pytest.fixture
def direct(settings: Settings, clock: FakeClock, db: Database) -> Iterator[str]:
    yield from serve(settings, clock, db)


@pytest.fixture
def behind_proxy(settings: Settings, clock: FakeClock, db: Database) -> Iterator[str]:
    yield from serve(settings, clock, db, trusted_proxy="127.0.0.1")


def authenticate(url: str, name: str, forwarded_for: str) -> str:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", "/qbwc", body=envelope("authenticate", strUserName=name,
                                                    strPassword="guess"),
                     headers={**headers("authenticate"), "X-Forwarded-For": forwarded_for})
        answer = conn.getresponse().read()
    finally:
        conn.close()
    return result_element(answer, "authenticate")[1].text or ""


def test_a_forwarded_address_is_ignored_by_default(direct: str, scrypt_runs: list[str]) -> None:
    # Otherwise every request could claim a new address and a fresh bucket.
    for n in range(PER_CLIENT + 2):
        assert authenticate(direct, f"fresh-{n}", f"192.0.2.{n}") == "nvu"
    assert len(scrypt_runs) == PER_CLIENT


def test_a_trusted_proxy_names_the_client(behind_proxy: str, scrypt_runs: list[str]) -> None:
    for n in range(PER_CLIENT + 2):
        authenticate(behind_proxy, f"fresh-{n}", "192.0.2.1")
    assert len(scrypt_runs) == PER_CLIENT
    authenticate(behind_proxy, "fresh-other", "192.0.2.2")  # someone else behind the proxy
    assert len(scrypt_runs) == PER_CLIENT + 1


def test_the_trusted_proxy_must_be_an_address(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="must be the proxy's IP address"):
        attrs.evolve(settings, trusted_proxy="proxy.internal")
