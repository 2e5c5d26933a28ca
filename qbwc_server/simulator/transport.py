"""How envelopes reach a server: real HTTP to any URL, or straight into a WSGI app.

A transport moves bytes only; it knows nothing about SOAP. Both raise
:class:`~qbwc_server.simulator.errors.TransportError` when no answer came back.
"""

from __future__ import annotations

import http.client
import io
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

import attrs

from qbwc_server.simulator.errors import TransportError

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@attrs.frozen(kw_only=True)
class HttpAnswer:
    """What came back: the HTTP status and the body."""

    status: int
    body: bytes


class Transport(Protocol):
    """Posts one envelope and returns the server's answer."""

    def post(self, body: bytes, headers: Mapping[str, str]) -> HttpAnswer: ...


class HttpTransport:
    """POSTs to a URL with :mod:`http.client`, one connection per call.

    Args:
        url: the AppURL, e.g. ``http://localhost:8080/qbwc``.
        timeout: seconds to wait for connect and for the answer.
    """

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self._parts = parts
        self._timeout = timeout

    def post(self, body: bytes, headers: Mapping[str, str]) -> HttpAnswer:
        parts = self._parts
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname or "", parts.port, timeout=self._timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            # One connection per call, so say so: the server need not keep it alive.
            connection.request("POST", path, body=body,
                               headers={**headers, "Connection": "close"})
            response = connection.getresponse()
            return HttpAnswer(status=response.status, body=response.read())
        except (OSError, http.client.HTTPException) as exc:
            raise TransportError(f"POST {self.url} failed: {exc}") from exc
        finally:
            connection.close()


class WsgiTransport:
    """Calls a WSGI application directly, with no socket (for fast tests).

    Args:
        app: any WSGI callable, e.g. the Flask app from ``create_app``.
        path: where the SOAP endpoint is mounted.
    """

    def __init__(self, app: WsgiApp, *, path: str = "/qbwc") -> None:
        self._app = app
        self._path = path

    def post(self, body: bytes, headers: Mapping[str, str]) -> HttpAnswer:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": self._path,
            "QUERY_STRING": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
        }
        setup_testing_defaults(environ)
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value
        captured: dict[str, int] = {}

        def start_response(status: str, _headers: list[tuple[str, str]], *_: Any) -> None:
            captured["status"] = int(status.split(" ", 1)[0])

        chunks = self._app(environ, start_response)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if "status" not in captured:
            raise TransportError("the WSGI application never started a response")
        return HttpAnswer(status=captured["status"], body=payload)
