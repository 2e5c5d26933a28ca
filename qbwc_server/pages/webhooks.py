"""Webhook endpoints and the delivery log in the admin console.

Installation-wide endpoints (every company's changes) live on ``/admin/webhooks/``; a
company's own endpoints and its deliveries on its admin page. Signing secrets are shown
once, on the page that answers the add or the rotation; removing asks first, on a page of
its own (no JavaScript needed).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from qbwc_server.errors import InvalidInputError, NotFoundError
from qbwc_server.pages import csrf
from qbwc_server.pages.auth import admin_required
from qbwc_server.pages.context import services
from qbwc_server.webhooks import EndpointView

blueprint = csrf.protect(Blueprint("webhooks", __name__, url_prefix="/admin/webhooks"))
LOG_SIZE = 50


def panel(company: str | None) -> dict[str, Any]:
    """What ``admin/_webhooks.html`` shows: the endpoints and the newest deliveries.

    With a company: its own endpoints, and every delivery of its changes (to its own and to
    installation-wide endpoints). Without: the installation-wide endpoints and all deliveries.
    """
    webhooks = services().webhooks
    endpoints = webhooks.endpoints(company)
    if company is None:
        endpoints = [e for e in endpoints if e.company is None]
    return {"endpoints": endpoints, "deliveries": webhooks.deliveries(company, limit=LOG_SIZE),
            "webhook_company": company}


def _render_index(errors: dict[str, str] | None = None,
                  form: dict[str, str] | None = None) -> str:
    company_endpoints = [e for e in services().webhooks.endpoints() if e.company is not None]
    return render_template("admin/webhooks.html", company_endpoints=company_endpoints,
                           errors=errors or {}, form=form or {}, **panel(None))


def _endpoint(endpoint_id: int) -> EndpointView:
    try:
        return services().webhooks.endpoint(endpoint_id)
    except NotFoundError:
        abort(404, description=f"No webhook endpoint {endpoint_id}.")


def _back(company: str | None) -> Response:
    """To the page the form came from: the company's page, or the Webhooks page."""
    if company:
        try:
            return redirect(url_for("admin.company", name=services().companies.get(company).name))
        except NotFoundError:
            pass
    return redirect(url_for("webhooks.index"))


@blueprint.get("/")
@admin_required
def index() -> str:
    return _render_index()


@blueprint.post("/endpoints")
@admin_required
def add_endpoint() -> Any:
    company = request.form.get("company", "").strip() or None
    url = request.form.get("url", "").strip()
    description = request.form.get("description", "").strip()
    try:
        endpoint, secret = services().webhooks.add_endpoint(company, url, description or None)
    except NotFoundError:
        abort(404, description=f"No company named {company!r}.")
    except InvalidInputError as exc:
        errors, form = {"webhook_url": str(exc)}, {"webhook_url": url,
                                                   "webhook_description": description}
        if company is None:
            return _render_index(errors, form), 400
        from qbwc_server.pages.admin import company_page  # admin shows our panel

        return company_page(services().companies.get(company), errors, form), 400
    return render_template("admin/webhook_secret.html", endpoint=endpoint, secret=secret,
                           title="Webhook endpoint added")


@blueprint.post("/endpoints/<int:endpoint_id>/secret")
@admin_required
def rotate_secret(endpoint_id: int) -> str:
    endpoint = _endpoint(endpoint_id)
    secret = services().webhooks.rotate_secret(endpoint.id)
    return render_template("admin/webhook_secret.html", endpoint=endpoint, secret=secret,
                           title="New signing secret")


@blueprint.get("/endpoints/<int:endpoint_id>/remove")
@admin_required
def confirm_remove(endpoint_id: int) -> str:
    return render_template("admin/webhook_remove.html", endpoint=_endpoint(endpoint_id))


@blueprint.post("/endpoints/<int:endpoint_id>/remove")
@admin_required
def remove(endpoint_id: int) -> Response:
    endpoint = _endpoint(endpoint_id)
    services().webhooks.remove_endpoint(endpoint.id)
    flash(f"Removed {endpoint.url} and its delivery log; nothing more is sent to it.")
    return _back(endpoint.company)


@blueprint.post("/deliveries/<int:delivery_id>/redeliver")
@admin_required
def redeliver(delivery_id: int) -> Response:
    try:
        services().webhooks.redeliver(delivery_id)
    except NotFoundError:
        abort(404, description=f"No webhook delivery {delivery_id}.")
    flash(f"Delivery {delivery_id} will be sent again shortly, with a fresh set of attempts.")
    return _back(request.form.get("back"))
