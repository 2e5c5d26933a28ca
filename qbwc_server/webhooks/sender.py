"""The HTTP edge: POST one signed body and report what happened, never raise.

Any 2xx acknowledges a delivery. Redirects are not followed (a 3xx is a failure),
and a timeout or a connection error is a failure like a 5xx. Unless private addresses are
allowed, the host is resolved first and the connection goes to the checked public address
(see :mod:`qbwc_server.webhooks.addresses`); a private one fails the attempt unsent.
"""

from __future__ import annotations

import http.client
import socket
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

import attrs

from qbwc_server.webhooks.addresses import resolve_public
from qbwc_server.webhooks.errors import PrivateAddressError

DEFAULT_TIMEOUT = 10.0
_ERROR_BODY_CHARS = 200


@attrs.frozen(kw_only=True)
class SendResult:
    """One attempt's outcome: the HTTP status (None when none came back) and an error text."""

    status: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Sender(Protocol):
    """Whatever sends a delivery (tests may wrap or replace the real one)."""

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult: ...


class HttpSender:
    """POSTs with :mod:`http.client` (certificates verified), with one timeout per attempt."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, *, allow_private: bool = False
                 ) -> None:
        self.timeout = timeout
        self.allow_private = allow_private

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        https = parts.scheme == "https"
        host, port = parts.hostname or "", parts.port or (443 if https else 80)
        connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
        connection = connection_class(host, port, timeout=self.timeout)
        if not self.allow_private:
            try:
                address = resolve_public(host, port)
            except (PrivateAddressError, OSError) as exc:
                return SendResult(status=None, error=f"not sent: {exc}"[:500])
            # Connect to the address checked; the Host header and TLS still name the host.
            connection._create_connection = (  # type: ignore[attr-defined]
                lambda _where, timeout, source: socket.create_connection(
                    (address, port), timeout, source))
        try:
            connection.request("POST", path, body=body, headers=dict(headers))
            response = connection.getresponse()
            text = response.read(64 * 1024).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            return SendResult(status=None, error=f"{type(exc).__name__}: {exc}"[:500])
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return SendResult(status=response.status)
        snippet = " ".join(text.split())[:_ERROR_BODY_CHARS]
        return SendResult(status=response.status,
                          error=f"HTTP {response.status} {response.reason}: {snippet}".strip())
