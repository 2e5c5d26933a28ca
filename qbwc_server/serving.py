"""The production WSGI server (waitress), shared by ``qbwc-server serve`` and the tests."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask


def make_server(app: Flask, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server for ``app``; ``port=0`` picks a free port (``server.effective_port``)."""
    import waitress.server

    from qbwc_server.app import services_of

    limit = services_of(app).settings.max_body_bytes
    return waitress.server.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="qbwc-server",
        # One byte over our own limit so the SOAP endpoint answers with its own fault.
        max_request_body_size=limit + 1,
        clear_untrusted_proxy_headers=True,
    )


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
