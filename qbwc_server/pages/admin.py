"""The admin console: companies, their Web Connector passwords, cadence, pause, partner access.

Webhook endpoints and deliveries are in :mod:`.webhooks` (shown on each company's page too).
"""

from __future__ import annotations

from typing import Any

import attrs
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from qbwc_server.errors import ConflictError, InvalidInputError, NotFoundError
from qbwc_server.pages import csrf, webhooks
from qbwc_server.pages.auth import admin_required
from qbwc_server.pages.context import partners, services
from qbwc_server.pages.partners import INVITE_VALID_FOR
from qbwc_server.store.companies import CompanyView
from qbwc_server.store.models import MAX_ROW_ID
from qbxml.numbers import whole_number

blueprint = csrf.protect(Blueprint("admin", __name__, url_prefix="/admin"))
MAX_CADENCE = 24 * 60  # minutes


@attrs.frozen(kw_only=True)
class CompanyRow:
    view: CompanyView
    records: dict[str, int]  # kind -> records QuickBooks and the platform share
    failed: int
    waiting: int  # pushes not yet answered (pending, sent, unknown)


def _company_row(view: CompanyView) -> CompanyRow:
    counts = services().sync.counts(view.name)
    records = {kind: sum(n for state, n in by_state.items() if state != "deleted")
               for kind, by_state in sorted(counts.items())}
    failed = sum(by_state.get("failed", 0) for by_state in counts.values())
    waiting = sum(by_state.get(state, 0) for by_state in counts.values()
                  for state in ("pending", "sent", "unknown"))
    return CompanyRow(view=view, records=records, failed=failed, waiting=waiting)


def _get(name: str) -> CompanyView:
    try:
        return services().companies.get(name)
    except NotFoundError:
        abort(404, description=f"No company named {name!r}.")


@blueprint.get("/")
@admin_required
def companies() -> str:
    rows = [_company_row(view) for view in services().companies.list()]
    return render_template("admin/companies.html", rows=rows, form={}, errors={})


@blueprint.post("/companies")
@admin_required
def add_company() -> Any:
    name = request.form.get("name", "").strip()
    cadence = request.form.get("cadence", "").strip()
    errors: dict[str, str] = {}
    minutes = None
    if cadence:
        minutes = whole_number(cadence, maximum=MAX_CADENCE)
        if minutes is None or minutes < 1:
            errors["cadence"] = "Enter whole minutes between 1 and 1440."
    if not errors:
        try:
            view, password = services().companies.add(name, cadence_minutes=minutes)
        except (InvalidInputError, ConflictError) as exc:
            errors["name"] = str(exc)
        else:
            # Shown in this answer only: the store keeps a scrypt hash.
            return render_template("admin/secret.html", company=view, password=password,
                                   title=f"{view.name} added", link=None)
    rows = [_company_row(v) for v in services().companies.list()]
    return render_template("admin/companies.html", rows=rows, errors=errors,
                           form={"name": name, "cadence": cadence}), 400


@blueprint.get("/companies/<name>")
@admin_required
def company(name: str) -> str:
    return company_page(_get(name))


def company_page(view: CompanyView, errors: dict[str, str] | None = None,
                 form: dict[str, str] | None = None) -> str:
    """A company's admin page; ``errors`` sit next to their fields (``form`` refills them)."""
    return render_template("admin/company.html", row=_company_row(view),
                           partners=partners().of_company(view.name), errors=errors or {},
                           form=form or {}, **webhooks.panel(view.name))


@blueprint.post("/companies/<name>/password")
@admin_required
def rotate_password(name: str) -> str:
    view = _get(name)
    password = services().companies.rotate_password(view.name)
    return render_template("admin/secret.html", company=view, password=password, link=None,
                           title=f"New Web Connector password for {view.name}")


@blueprint.post("/companies/<name>/cadence")
@admin_required
def set_cadence(name: str) -> Any:
    view = _get(name)
    value = request.form.get("cadence", "").strip()
    minutes = whole_number(value, maximum=MAX_CADENCE)
    if minutes is None or minutes < 1:
        return _company_with_errors(view, {"cadence": "Enter whole minutes between 1 and 1440."},
                                    {"cadence": value})
    services().companies.set_cadence(view.name, minutes)
    flash(f"{view.name} now syncs every {minutes} minutes. Download the .qwc again so the "
          "Web Connector's own schedule matches.")
    return redirect(url_for("admin.company", name=view.name))


@blueprint.post("/companies/<name>/pause")
@admin_required
def set_paused(name: str) -> Response:
    view = _get(name)
    paused = request.form.get("paused") == "1"
    services().companies.set_paused(view.name, paused)
    flash(f"{view.name} is paused: its Web Connector is told there is nothing to do."
          if paused else f"{view.name} syncs again.")
    return redirect(url_for("admin.company", name=view.name))


@blueprint.post("/companies/<name>/sync-now")
@admin_required
def sync_now(name: str) -> Response:
    view = _get(name)
    services().companies.request_sync(view.name)
    flash(f"{view.name} syncs at the next Web Connector run.")
    return redirect(url_for("admin.company", name=view.name))


@blueprint.post("/companies/<name>/partners")
@admin_required
def add_partner(name: str) -> Any:
    view = _get(name)
    email = request.form.get("email", "").strip()
    how = request.form.get("how", "")
    try:
        if how == "password":
            partner, password = partners().add(view.name, email)
            return render_template("admin/secret.html", company=view, password=password,
                                   link=None, login=partner.email,
                                   title=f"Partner sign-in for {view.name}")
        if how == "invite":
            invite, token = partners().invite(view.name, email or None)
            return render_template("admin/secret.html", company=view, password=None,
                                   link=partners().invite_link(token), invite=invite,
                                   days=INVITE_VALID_FOR.days,
                                   title=f"Invite link for {view.name}")
    except (InvalidInputError, ConflictError) as exc:
        return _company_with_errors(view, {"email": str(exc)}, {"email": email})
    return _company_with_errors(view, {"how": "Choose a password or an invite link."},
                                {"email": email})


@blueprint.post(f"/companies/<name>/partners/<int(max={MAX_ROW_ID}):partner_id>/remove")
@admin_required
def remove_partner(name: str, partner_id: int) -> Response:
    view = _get(name)
    try:
        partner = partners().remove(view.name, partner_id)
    except NotFoundError as exc:
        abort(404, description=str(exc))
    flash(f"{partner.email} can no longer sign in; their open sessions have ended.")
    return redirect(url_for("admin.company", name=view.name))


def _company_with_errors(view: CompanyView, errors: dict[str, str],
                         form: dict[str, str]) -> tuple[str, int]:
    return company_page(view, errors, form), 400
