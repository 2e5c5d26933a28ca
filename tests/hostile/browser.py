"""A browser over real HTTP, small enough to read: one cookie jar, forms with the CSRF token,
redirects shown rather than followed (the hostile cases are about where they point)."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode

import attrs

_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@attrs.frozen
class Answer:
    status: int
    location: str | None
    text: str


class Browser:
    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self._host, self._port = host, int(port)
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Answer:
        return self._send("GET", path, None)

    def post(self, path: str, form: dict[str, str] | None = None) -> Answer:
        """Post a form as the page would: with this session's CSRF token."""
        return self._send("POST", path, {"csrf_token": self.csrf_token(), **(form or {})})

    def csrf_token(self) -> str:
        match = _CSRF_RE.search(self.get("/signin").text)
        assert match, "no CSRF token on the sign-in page"
        return match.group(1)

    def _send(self, method: str, path: str, form: dict[str, str] | None) -> Answer:
        conn = http.client.HTTPConnection(self._host, self._port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return Answer(status=response.status, location=response.getheader("Location"),
                          text=response.read().decode("utf-8", "replace"))
        finally:
            conn.close()
