"""The partner settings page of one company: accounts, start date, directions, mappings,
history, retry.

A partner only ever sees their own company (any other name answers 404, as if it did not
exist); admins may open every company's page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from mappers import MAPPING_TABLES
from qbwc_server.errors import ConflictError, NotFoundError
from qbwc_server.pages import csrf, forms, history, mapping_form
from qbwc_server.pages.auth import current_user
from qbwc_server.pages.context import services
from qbwc_server.store.companies import CompanyView
from qbwc_server.sync.profile import DIRECTIONS, KINDS

blueprint = csrf.protect(Blueprint("partner", __name__, url_prefix="/company"))


def _company(name: str) -> CompanyView | Response:
    """The company if the signed-in user may see it; a redirect to sign in; or 404."""
    user = current_user()
    if user is None:
        return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
    if not user.is_admin and user.company != name:
        abort(404, description="No such company.")
    try:
        return services().companies.get(name)
    except NotFoundError:
        abort(404, description="No such company.")


def _accounts(company: str) -> list[forms.AccountChoice]:
    records = services().sync.records(company, "account", limit=1000)
    return [forms.AccountChoice.from_data(r.data) for r in records if not r.is_deleted]


def _items(company: str) -> list[mapping_form.ItemChoice]:
    records = services().sync.records(company, "item", limit=1000)
    return [mapping_form.ItemChoice.from_data(r.data) for r in records if not r.is_deleted]


def _render_settings(view: CompanyView, *, form: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None) -> str:
    profile = services().sync.profile(view.name)
    accounts, items = _accounts(view.name), _items(view.name)
    known = {a.value: a for a in accounts}
    if form is None:
        form = {"payment_account": profile.payment_account or "",
                "deposit_account": profile.deposit_account or "",
                "sync_after": profile.sync_after or "",
                **{f"direction_{kind}": profile.directions.get(kind, "off") for kind in KINDS},
                **mapping_form.fields(profile.mappings)}
        # Stored settings can go stale: QuickBooks users rename and deactivate accounts and
        # items.
        errors = {field: message for field in ("payment_account", "deposit_account")
                  if (message := forms.account_problem(form[field], known))}
        errors = errors or forms.deposit_rule(form, known)
        errors.update(mapping_form.validate(form, items)[1])
    return render_template(
        "partner/settings.html", company=view, form=form, errors=errors or {},
        accounts=forms.offered(accounts), has_accounts=bool(accounts), kinds=KINDS,
        directions=DIRECTIONS, kind_labels=forms.KIND_LABELS,
        direction_labels=forms.DIRECTION_LABELS, counts=services().sync.counts(view.name),
        items=mapping_form.offered(items), has_items=bool(items),
        suggested=mapping_form.SUGGESTED,
        rows={table: mapping_form.row_count(form, table) for table in MAPPING_TABLES})


@blueprint.get("/<name>")
def settings(name: str) -> Any:
    view = _company(name)
    if isinstance(view, Response):
        return view
    return _render_settings(view)


@blueprint.post("/<name>/settings")
def save_settings(name: str) -> Any:
    view = _company(name)
    if isinstance(view, Response):
        return view
    form = {key: request.form.get(key, "") for key in
            ("payment_account", "deposit_account", "sync_after",
             *(f"direction_{kind}" for kind in KINDS))}
    change, errors = forms.validate_settings(form, _accounts(view.name),
                                             today=services().clock.now().date())
    mapping_fields = mapping_form.submitted(request.form)
    mappings, mapping_errors = mapping_form.validate(mapping_fields, _items(view.name))
    if change is None or mappings is None:
        return _render_settings(view, form={**form, **mapping_fields},
                                errors={**errors, **mapping_errors}), 400
    services().sync.configure(view.name, directions=change.directions,
                              payment_account=change.payment_account,
                              deposit_account=change.deposit_account,
                              sync_after=change.sync_after, mappings=mappings)
    flash("Settings saved. They apply from the next Web Connector run.")
    return redirect(url_for("partner.settings", name=view.name))


@blueprint.post("/<name>/sync-now")
def sync_now(name: str) -> Any:
    view = _company(name)
    if isinstance(view, Response):
        return view
    services().companies.request_sync(view.name)
    flash("The next Web Connector run will sync, even if it comes early.")
    page = "partner.activity" if request.form.get("back") == "activity" else "partner.settings"
    return redirect(url_for(page, name=view.name))


@blueprint.get("/<name>/activity")
def activity(name: str) -> Any:
    view = _company(name)
    if isinstance(view, Response):
        return view
    db = services().db
    return render_template("partner/activity.html", company=view,
                           sessions=history.sessions(db, view.name),
                           records=history.push_records(db, view.name),
                           conflicts=history.conflicts(db, view.name))


@blueprint.post("/<name>/retry")
def retry(name: str) -> Any:
    view = _company(name)
    if isinstance(view, Response):
        return view
    kind, external_id = request.form.get("kind", ""), request.form.get("external_id", "")
    try:
        services().sync.retry(view.name, kind, external_id)
    except (NotFoundError, ConflictError) as exc:
        flash(f"Not retried: {exc}.", "error")
    else:
        flash(f"{kind} {external_id} will be sent again at the next Web Connector run.")
    return redirect(url_for("partner.activity", name=view.name))
