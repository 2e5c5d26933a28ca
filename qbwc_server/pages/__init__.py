"""The web pages: admin console, partner settings page, sign-in; server-rendered, no JS needed.

``register(app)`` sets the session cookie policy, adds the blueprints and the template
helpers. Every page blueprint checks a CSRF token on each POST (:mod:`.csrf`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from qbwc_server.pages import csrf
from qbwc_server.pages.partners import PartnerService
from qbwc_server.timeformat import readable

__all__ = ["register"]

SESSION_LIFETIME = timedelta(hours=12)


def register(app: Flask) -> None:
    """Add the pages to ``app`` (called by ``create_app``)."""
    from qbwc_server.app import services_of
    from qbwc_server.pages import admin, auth, context, partner, webhooks

    services = services_of(app)
    app.config.update(
        SESSION_COOKIE_NAME="qbwc_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=urlsplit(services.settings.public_base_url).scheme == "https",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )
    app.extensions[context.EXTENSION] = PartnerService(services.db, services.settings,
                                                       services.clock)
    for blueprint in (auth.blueprint, admin.blueprint, partner.blueprint, webhooks.blueprint):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(csrf_token=csrf.token, current_user=auth.current_user)
    app.jinja_env.filters["when"] = when
    for code in (400, 403, 404):
        app.register_error_handler(code, _error_page)


def when(value: datetime | None) -> str:
    """``2026-01-05 15:00 UTC``, or an em dash for never."""
    return readable(value, never="—")


def _error_page(error: HTTPException) -> tuple[str, int] | HTTPException:
    # The SOAP endpoint and the REST API answer in their own formats.
    if request.path.startswith(("/qbwc", "/api/")):
        return error
    code = error.code or 500
    return render_template("error.html", code=code, title=error.name,
                           message=error.description), code
