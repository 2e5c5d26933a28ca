"""Errors as RFC 9457 problem details (``application/problem+json``), in one shape.

Every error the API returns is a :class:`Problem`: ``type`` (a ``urn:qbwc:problem:`` name
that docs/api.md lists), ``title``, ``status``, ``detail``, ``instance`` (the request path)
and, for field validation, ``errors`` (``[{"field": "amount", "message": "..."}]``). Server
errors (:class:`~qbwc_server.errors.QbwcError` subclasses) are translated by one table.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request

from qbwc_server.errors import (
    ConfigError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    QbwcError,
    StoreUnavailableError,
)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:qbwc:problem:"

#: slug -> (status, title). docs/api.md and the OpenAPI document list the same names.
TYPES: dict[str, tuple[int, str]] = {
    "invalid-request": (400, "The request is not valid"),
    "unauthenticated": (401, "A valid API key is needed"),
    "forbidden": (403, "This API key may not do that"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "conflict": (409, "The request conflicts with the current state"),
    "not-pushed": (409, "The company does not push this record type"),
    "idempotency-key-in-use": (409, "A request with this Idempotency-Key is still running"),
    "body-too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "Send JSON (Content-Type: application/json)"),
    "validation-error": (422, "The request body has invalid fields"),
    "idempotency-key-reused": (422, "This Idempotency-Key was used for a different request"),
    "rate-limited": (429, "Too many requests with this API key; slow down"),
    "internal-error": (500, "Internal server error"),
    "unavailable": (503, "The database is unavailable; try again later"),
}

#: Server errors -> problem type; the first matching class wins.
ERROR_TYPES: tuple[tuple[type[QbwcError], str], ...] = (
    (NotFoundError, "not-found"),
    (ConflictError, "conflict"),
    (InvalidInputError, "validation-error"),
    (StoreUnavailableError, "unavailable"),
    (ConfigError, "internal-error"),
)


class Problem(Exception):
    """An error answer; raise it anywhere in a view."""

    def __init__(
        self,
        slug: str,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        status, title = TYPES[slug]
        super().__init__(detail or title)
        self.slug, self.status, self.title = slug, status, title
        self.detail = detail or title
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": request.path,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return body

    def response(self) -> Response:
        return Response(json.dumps(self.body()), status=self.status, headers=self.headers,
                        mimetype=PROBLEM_JSON)


def from_error(error: QbwcError) -> Problem:
    """The problem a server error becomes; its message is meant for people, so it is kept."""
    for cls, slug in ERROR_TYPES:
        if isinstance(error, cls):
            if slug == "internal-error":
                return Problem(slug)
            if slug == "unavailable":
                return Problem(slug, headers={"Retry-After": "5"})
            fields = getattr(error, "fields", ())
            return Problem(slug, str(error), errors=[
                {"field": field, "message": message} for field, message in fields] or None)
    return Problem("internal-error")


def field_error(field: str, message: str) -> Problem:
    """A 422 naming one field."""
    return Problem("validation-error", f"{field}: {message}",
                   errors=[{"field": field, "message": message}])
