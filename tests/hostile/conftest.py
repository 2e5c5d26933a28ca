"""A served app per module, as ``qbwc-server serve`` runs it, and a way to see its whole store."""

from __future__ import annotations

import http.client
import logging
import socket
from collections.abc import Iterable, Iterator, Mapping

import attrs
import pytest
from flask import Flask
from sqlalchemy import func, select

from qbwc_server.app import Services, create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.serving import BackgroundServer
from qbwc_server.store.database import Database, make_engine
from qbwc_server.store.models import Base
from tests.conftest import settings_for
from tests.logs import assert_no_traceback

__all__ = ["LIMIT", "Served", "assert_no_traceback", "row_counts"]

LIMIT = 4 * 1024 * 1024
"""QBWC_MAX_BODY_BYTES of the served app: room for the 1 MB attacks to reach the pre-parse."""


@attrs.frozen
class Served:
    app: Flask
    services: Services
    url: str

    def post(self, body: bytes | Iterable[bytes], headers: Mapping[str, str],
             *, chunked: bool = False) -> tuple[int, bytes]:
        """POST to /qbwc over real HTTP; ``chunked`` sends no Content-Length."""
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request("POST", "/qbwc", body=body, headers=dict(headers),
                         encode_chunked=chunked)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def post_unfinished(self, headers: Mapping[str, str], body_start: bytes) -> tuple[int, bytes]:
        """Send the headers and the start of a body, then read the answer: what a client sees
        from a server that refuses a body before it has all arrived."""
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            sock.sendall(f"POST /qbwc HTTP/1.1\r\nHost: {host}\r\n{lines}\r\n".encode()
                         + body_start)
            response = http.client.HTTPResponse(sock)
            response.begin()
            return response.status, response.read()


@pytest.fixture(scope="module")
def served(module_database_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Served]:
    db = Database(make_engine(module_database_url))
    settings = attrs.evolve(settings_for(module_database_url, tmp_path_factory.mktemp("cfg")),
                            max_body_bytes=LIMIT)
    app = create_app(settings, clock=FakeClock(), db=db)
    with BackgroundServer(app) as server:
        yield Served(app=app, services=services_of(app), url=server.url)
    db.engine.dispose()


def row_counts(services: Services) -> dict[str, int]:
    """Rows in every table of the store."""
    with services.db.transaction() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables}


@pytest.fixture
def unchanged_store(served: Served, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A case leaves every table as it was and logs no traceback."""
    caplog.set_level(logging.DEBUG)
    before = row_counts(served.services)
    yield
    assert row_counts(served.services) == before
    assert_no_traceback(caplog.records)
