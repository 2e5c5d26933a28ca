"""Security headers on every response the app gives: pages, API, SOAP, files and errors.

One hook for the whole app, so a new route or an error page cannot be left out.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Plain server-rendered pages: our own CSS, no scripts, forms post to us only.
    "Content-Security-Policy": "default-src 'self'; script-src 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
}
#: Pages and answers carry sign-in state and company data; files that say otherwise keep theirs.
DEFAULT_CACHE_CONTROL = "no-store"


def add_security_headers(response: Response) -> Response:
    """``after_request`` hook; a header a view set on purpose is kept."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", DEFAULT_CACHE_CONTROL)
    return response
