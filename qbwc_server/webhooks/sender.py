"""The HTTP edge: POST one signed body and report what happened, never raise.

Any 2xx acknowledges a delivery. Redirects are not followed (a 3xx is a failure),
and a timeout or a connection error is a failure like a 5xx.
"""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

import attrs

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

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection_class = (http.client.HTTPSConnection if parts.scheme == "https"
                            else http.client.HTTPConnection)
        connection = connection_class(parts.hostname or "", parts.port, timeout=self.timeout)
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
