"""The production WSGI server (waitress), shared by ``qbwc-server serve`` and the tests."""

from __future__ import annotations

import threading
from typing import Any

import waitress.server
from flask import Flask
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.task import ErrorTask
from waitress.utilities import RequestEntityTooLarge

from qbwc_server.qwc import SOAP_PATH
from qbwc_server.soap_guard import fault_envelope, too_large

# waitress counts a chunked body with its framing: leave room so that our own count (of the
# body alone) decides up to the limit, and waitress only stops what is far past it.
FRAMING_ROOM = 64 * 1024


def make_server(app: Flask, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server for ``app``; ``port=0`` picks a free port (``server.effective_port``)."""
    from qbwc_server.app import services_of

    settings = services_of(app).settings
    limit = settings.max_body_bytes
    # Only the proxy we were told about may name the client (sign-in limits count by it).
    proxy = ({"trusted_proxy": settings.trusted_proxy, "trusted_proxy_count": 1,
              "trusted_proxy_headers": {"x-forwarded-for"}} if settings.trusted_proxy else {})
    server = waitress.server.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="qbwc-server",
        max_request_body_size=limit + FRAMING_ROOM + 1,
        # Bodies up to 2 MiB stay in memory: spooling each one to a temporary file (waitress's
        # default starts at 512 KB) was most of the CPU a megabyte of hostile SOAP costs
        # (bench/hostile.py). Larger bodies, QuickBooks' big pages, still go to a file.
        inbuf_overflow=2 * 1024 * 1024,
        clear_untrusted_proxy_headers=True,
        **proxy,
    )
    server.channel_class = _channel_answering_413_with_a_fault(limit)
    return server


def _channel_answering_413_with_a_fault(limit: int) -> type[HTTPChannel]:
    """waitress's channel, except that a body over ``limit`` by its Content-Length is refused
    from the headers (waitress's own bound has room for chunk framing), and a body waitress
    refuses on the SOAP path gets the documented SOAP fault instead of a plain-text 413."""

    class SoapErrorTask(ErrorTask):  # type: ignore[misc]
        def execute(self) -> None:
            if not (isinstance(self.request.error, RequestEntityTooLarge)
                    and self.request.path == SOAP_PATH):
                super().execute()
                return
            self.status = "413 Request Entity Too Large"
            rejected = too_large(limit)
            body = fault_envelope(rejected.code, rejected.text)
            self.response_headers.append(("Content-Type", "text/xml; charset=utf-8"))
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class LimitedParser(HTTPRequestParser):  # type: ignore[misc]
        def parse_header(self, header_plus: bytes) -> None:
            super().parse_header(header_plus)
            if not self.chunked and self.content_length > limit:
                # As waitress does past its own bound: answered now, the body never read.
                self.error = RequestEntityTooLarge(f"exceeds max_body of {limit}")
                self.completed = True

    class SoapChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = SoapErrorTask
        parser_class = LimitedParser

    return SoapChannel


class BackgroundServer:
    """Serves ``app`` on a loopback port from a thread, and stops cleanly.

    The server's event loop runs and is closed in the same thread: closing
    waitress's sockets from another thread races with its select loop.
    """

    def __init__(self, app: Flask, host: str = "127.0.0.1", threads: int = 4) -> None:
        self._server = make_server(app, host, 0, threads)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="qbwc-test-server", daemon=True)
        self.url = f"http://{host}:{self._server.effective_port}"

    def _loop(self) -> None:
        server = self._server
        try:
            while not self._stop.is_set():
                server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        finally:
            # Keep-alive connections are channels in the same map; close them with the listener.
            for channel in list(server._map.values()):
                channel.close()
            server.task_dispatcher.shutdown()

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
