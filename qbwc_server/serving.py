"""The production WSGI server (waitress), shared by ``qbwc-server serve`` and the tests."""

from __future__ import annotations

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
