"""CSRF protection for the server-rendered forms: one random token per browser session.

Every form carries the token in a hidden ``csrf_token`` field; every POST to a protected
blueprint must send it back, compared in constant time. The token lives in the signed
session cookie and is replaced at sign-in and sign-out. ``SameSite=Lax`` cookies already stop
most cross-site POSTs; the token covers older browsers and same-site attackers.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, request, session

from qbwc_server.security import same_secret

FIELD = "csrf_token"
_KEY = "csrf"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def token() -> str:
    """This session's token, created on first use (templates call it as ``csrf_token()``)."""
    value = session.get(_KEY)
    if not isinstance(value, str) or not value:
        value = session[_KEY] = secrets.token_urlsafe(32)
    return value


def rotate() -> None:
    """A fresh token (sign-in and sign-out start a new session)."""
    session[_KEY] = secrets.token_urlsafe(32)


def check() -> None:
    """Refuse an unsafe request whose token is missing or wrong (400)."""
    if request.method not in _UNSAFE:
        return
    expected = session.get(_KEY)
    sent = request.form.get(FIELD) or request.headers.get("X-CSRF-Token") or ""
    if not isinstance(expected, str) or not expected or not sent or not same_secret(sent, expected):
        abort(400, description="This form has expired or did not come from this site. "
                               "Go back, reload the page and try again.")


def protect(blueprint: Blueprint) -> Blueprint:
    """Check the token before every request to ``blueprint``."""
    blueprint.before_request(check)
    return blueprint
