"""The platform REST API under ``/api/v1/``: bearer API keys, JSON, RFC 9457 problems.

See docs/api.md; the OpenAPI 3.1 document is served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from qbwc_server.api import companies as _companies  # noqa: F401  (registers the views)
from qbwc_server.api import records as _records  # noqa: F401  (registers the views)
from qbwc_server.api.http import API_PREFIX, api, http_problem
from qbwc_server.api.keys import ApiKeyService, ApiKeyView
from qbwc_server.api.openapi import document

__all__ = ["API_PREFIX", "ApiKeyService", "ApiKeyView", "document", "init_app"]


def init_app(app: Flask) -> None:
    """Mount the API; unknown API paths and methods answer in problem form too.

    Routing fails before any blueprint is chosen, so 404 and 405 need app-wide handlers.
    Ours speak only for paths under /api/ and hand every other path to the handler that was
    there before (the web pages' error page), so call this after the pages are registered.
    """
    app.register_blueprint(api)
    for error_class in (NotFound, MethodNotAllowed):
        previous = app.error_handler_spec[None][error_class.code].get(error_class)
        app.register_error_handler(error_class, _routing_problem(previous))


Handler = Callable[[HTTPException], ResponseReturnValue | HTTPException]


def _routing_problem(previous: Handler | None) -> Handler:
    def handle(error: HTTPException) -> ResponseReturnValue | HTTPException:
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            return http_problem(error).response()
        return previous(error) if previous is not None else error

    return handle
