"""The API blueprint and what every view shares: auth, company scope, JSON in and out, cursors."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from qbwc_server.api.keys import ApiKeyService, ApiKeyView
from qbwc_server.api.problems import Problem, from_error
from qbwc_server.api.ratelimit import RateLimiter
from qbwc_server.api.schemas import DEFAULT_LIMIT, MAX_LIMIT
from qbwc_server.api.validation import bad_text, body_errors, nesting_depth, text_errors
from qbwc_server.errors import QbwcError
from qbwc_server.store.limits import max_length
from qbwc_server.store.models import MAX_ROW_ID, Company
from qbwc_server.timeformat import json_default
from qbxml.numbers import whole_number

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 1024 * 1024
#: No request body the API takes nests deeper than 6; 32 leaves room and bounds the work.
MAX_JSON_DEPTH = 32
#: Views that answer without a key.
PUBLIC_ENDPOINTS = {"api.openapi"}
BEARER = 'Bearer realm="qbwc-server"'

api = Blueprint("api", __name__, url_prefix=API_PREFIX)


def services() -> Any:
    from qbwc_server.app import services_of

    return services_of(current_app)  # type: ignore[arg-type]


def keys() -> ApiKeyService:
    found = current_app.extensions.get("qbwc_api_keys")
    if found is None:
        found = current_app.extensions["qbwc_api_keys"] = ApiKeyService(
            services().db, services().clock)
    assert isinstance(found, ApiKeyService)
    return found


def limiter() -> RateLimiter:
    found = current_app.extensions.get("qbwc_api_rate")
    if found is None:  # setdefault: two first requests at once still share one limiter
        found = current_app.extensions.setdefault("qbwc_api_rate", RateLimiter(
            services().settings.api_requests_per_minute, services().clock))
    assert isinstance(found, RateLimiter)
    return found


# -- auth ---------------------------------------------------------------------------------


@api.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization")
    if not header:
        raise Problem("unauthenticated", "Send an API key: Authorization: Bearer <key>.",
                      headers={"WWW-Authenticate": BEARER})
    scheme, _, token = header.partition(" ")
    key = keys().authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        # One answer for malformed, unknown and revoked keys: nothing to learn by probing.
        raise Problem("unauthenticated", "The API key is malformed, unknown or revoked.",
                      headers={"WWW-Authenticate": f'{BEARER}, error="invalid_token"'})
    g.api_key = key
    wait = limiter().take(key.id)
    if wait is not None:
        raise Problem("rate-limited", f"This API key may make "
                      f"{services().settings.api_requests_per_minute} requests a minute; "
                      f"try again in {wait} s.", headers={"Retry-After": str(wait)})
    check_url_text(request.view_args, request.args)


def check_url_text(values: dict[str, Any] | None, query: Mapping[str, str]) -> None:
    """Path parts and query values are text like any other: no control characters; and no
    company name longer than one can be (no such company exists, and the path is stored
    with an Idempotency-Key)."""
    for where, found in (("path", (values or {}).items()), ("query", query.items())):
        for name, value in found:
            reason = bad_text(value) if isinstance(value, str) else None
            if reason is not None:
                raise Problem("invalid-request", f"The {name} in the {where} {reason}.",
                              errors=[{"field": name, "message": reason}])
    company = (values or {}).get("company")
    if isinstance(company, str) and len(company) > max_length(Company.name):
        raise Problem("not-found", f"no company named {company[:40]!r}… (a company name has "
                      f"at most {max_length(Company.name)} characters)")


def api_key() -> ApiKeyView:
    key = g.api_key
    assert isinstance(key, ApiKeyView)
    return key


def company_name(name: str) -> str:
    """``name`` if this key may use that company; other companies look absent (404)."""
    scope = api_key().company
    if scope is not None and scope != name:
        raise Problem("not-found", f"no company named {name!r}")
    return name


def require_all_companies() -> None:
    if api_key().company is not None:
        raise Problem("forbidden", "This needs an API key for all companies; this key is "
                      f"for {api_key().company!r} only.")


# -- errors -------------------------------------------------------------------------------


@api.errorhandler(Problem)
def on_problem(problem: Problem) -> Response:
    return problem.response()


@api.errorhandler(QbwcError)
def on_error(error: QbwcError) -> Response:
    problem = from_error(error)
    if problem.status >= 500:
        log.error("API %s %s failed: %s", request.method, request.path, error, exc_info=error)
    return problem.response()


@api.errorhandler(HTTPException)
def on_http_error(error: HTTPException) -> Response:
    return http_problem(error).response()


@api.errorhandler(Exception)
def on_unexpected(error: Exception) -> Response:
    log.error("API %s %s failed", request.method, request.path, exc_info=error)
    return Problem("internal-error").response()


def http_problem(error: HTTPException) -> Problem:
    slug = {400: "invalid-request", 404: "not-found", 405: "method-not-allowed",
            413: "body-too-large", 415: "unsupported-media-type"}.get(error.code or 500)
    if slug is None:
        return Problem("internal-error")
    if slug == "method-not-allowed":
        allowed = ", ".join(sorted(error.valid_methods or ()))  # type: ignore[attr-defined]
        return Problem(slug, f"{request.path} takes {allowed}", headers={"Allow": allowed})
    return Problem(slug, f"no API resource at {request.path}" if slug == "not-found" else None)


# -- JSON in and out ----------------------------------------------------------------------


def reply(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, default=json_default), status=status,
                    mimetype="application/json")


def read_body(schema: str) -> dict[str, Any]:
    """The request's JSON object, checked against ``#/components/schemas/<schema>``."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise Problem("body-too-large")
    if request.mimetype != "application/json":
        raise Problem("unsupported-media-type",
                      f"Send JSON with Content-Type: application/json, not "
                      f"{request.mimetype or 'nothing'}.")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise Problem("body-too-large")
    body = load_json(raw)
    errors = text_errors(body) or body_errors(schema, body)
    if errors:
        raise Problem("validation-error", "; ".join(f"{e['field']}: {e['message']}"
                                                    for e in errors), errors=errors)
    assert isinstance(body, dict)
    return body


def load_json(raw: bytes) -> Any:
    """``raw`` parsed, nesting at most :data:`MAX_JSON_DEPTH` deep.

    The parser refuses past Python's recursion limit by itself (RecursionError); what it
    accepts is measured before the schema validator or the encoder, which recurse too, see it.
    """
    try:
        body = json.loads(raw)
    except RecursionError:
        body = None
        depth = MAX_JSON_DEPTH + 1
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem("invalid-request", f"The body is not valid JSON: {exc}") from exc
    else:
        depth = nesting_depth(body)
    if depth > MAX_JSON_DEPTH:
        raise Problem("invalid-request", f"The body nests arrays and objects more than "
                      f"{MAX_JSON_DEPTH} deep; no request needs that.")
    return body


# -- query parameters and cursors ---------------------------------------------------------


def limit_arg() -> int:
    text = request.args.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    limit = whole_number(text, maximum=MAX_LIMIT)
    if limit is None or limit < 1:
        raise _bad_query("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
    return limit


def cursor_arg(scope: str) -> int:
    """The position ``?after=`` names (0 without one)."""
    text = request.args.get("after")
    if not text:
        return 0
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        got_scope, _, number = decoded.partition(":")
        position = whole_number(number, maximum=MAX_ROW_ID)
        if got_scope == scope and position is not None:
            return position
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise _bad_query("after", "is not a cursor this list gave out")


def cursor(scope: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{scope}:{position}".encode()).decode().rstrip("=")


def datetime_arg(name: str) -> datetime | None:
    text = request.args.get(name)
    if text is None:
        return None
    try:
        # An unencoded "+01:00" arrives as " 01:00" (a + in a query string is a space).
        value = datetime.fromisoformat(text.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None or value.utcoffset() is None:
        raise _bad_query(name, "must be an ISO 8601 date and time with a UTC offset, e.g. "
                         "2026-01-05T09:00:00Z")
    return value


def _bad_query(name: str, message: str) -> Problem:
    return Problem("invalid-request", f"{name} {message}",
                   errors=[{"field": name, "message": message}])
