"""Company endpoints: create, read, .qwc, password, settings, status, sync now, change feed."""

from __future__ import annotations

from typing import Any

from flask import Response

from qbwc_server.api.http import (
    api,
    api_key,
    company_name,
    cursor,
    cursor_arg,
    limit_arg,
    read_body,
    reply,
    require_all_companies,
    services,
)
from qbwc_server.api.idempotency import idempotent
from qbwc_server.api.openapi import document
from qbwc_server.qwc import qwc_download_header
from qbwc_server.store.companies import CompanyView
from qbwc_server.sync.step import SyncProfile

FEED_SCOPE = "changes"


def company_json(view: CompanyView) -> dict[str, Any]:
    return {
        "name": view.name, "username": view.username, "status": view.status,
        "cadence_minutes": view.cadence_minutes, "company_file_path": view.company_file_path,
        "paused": view.is_paused, "created_at": view.created_at,
        "last_contact_at": view.last_contact_at, "last_sync_at": view.last_sync_at,
        "last_error": view.last_error, "last_error_at": view.last_error_at,
        "queued": view.queued,
        "quickbooks": {"product": view.qb_product_name, "company_name": view.qb_company_name,
                       "qbxml_versions": list(view.qb_versions)},
    }


def settings_json(profile: SyncProfile) -> dict[str, Any]:
    return {"directions": dict(profile.directions), "payment_account": profile.payment_account,
            "deposit_account": profile.deposit_account, "sync_after": profile.sync_after,
            "batch_size": profile.batch_size, "page_size": profile.page_size,
            "mappings": profile.mappings.to_json()}


def _no_password(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "password": None}


@api.get("/openapi.json")
def openapi() -> Response:
    return reply(document())


@api.get("/companies")
def list_companies() -> Response:
    scope = api_key().company
    views = [view for view in services().companies.list() if scope in (None, view.name)]
    return reply({"data": [company_json(view) for view in views]})


@api.post("/companies")
@idempotent(redact=_no_password)
def create_company() -> Response:
    require_all_companies()
    body = read_body("CompanyInput")
    view, password = services().companies.add(
        body["name"], cadence_minutes=body.get("cadence_minutes"),
        company_file_path=body.get("company_file_path", ""))
    return reply({"company": company_json(view), "username": view.username,
                  "password": password}, 201)


@api.get("/companies/<company>")
def get_company(company: str) -> Response:
    return reply(company_json(services().companies.get(company_name(company))))


@api.get("/companies/<company>/qwc")
def get_qwc(company: str) -> Response:
    body = services().companies.qwc(company_name(company))
    return Response(body, mimetype="application/xml", headers={
        "Content-Disposition": qwc_download_header(company)})


@api.post("/companies/<company>/password")
@idempotent(redact=_no_password)
def rotate_password(company: str) -> Response:
    name = company_name(company)
    password = services().companies.rotate_password(name)
    view = services().companies.get(name)
    return reply({"company": company_json(view), "username": view.username,
                  "password": password})


@api.get("/companies/<company>/settings")
def get_settings(company: str) -> Response:
    return reply(settings_json(services().sync.profile(company_name(company))))


@api.put("/companies/<company>/settings")
def put_settings(company: str) -> Response:
    name = company_name(company)
    body = read_body("SettingsInput")
    cleared = {key: (body[key] or "") for key in ("payment_account", "deposit_account",
                                                  "sync_after") if key in body}
    profile = services().sync.configure(
        name, directions=body.get("directions"), batch_size=body.get("batch_size"),
        page_size=body.get("page_size"), mappings=body.get("mappings"), **cleared)
    return reply(settings_json(profile))


@api.get("/companies/<company>/status")
def get_status(company: str) -> Response:
    name = company_name(company)
    view = services().companies.get(name)
    return reply({"company": view.name, "status": view.status,
                  "last_contact_at": view.last_contact_at, "last_sync_at": view.last_sync_at,
                  "last_error": view.last_error, "last_error_at": view.last_error_at,
                  "queued": view.queued, "records": services().sync.counts(name)})


@api.post("/companies/<company>/sync")
@idempotent()
def sync_now(company: str) -> Response:
    name = company_name(company)
    services().companies.request_sync(name)
    return reply({"company": name, "sync_requested": True}, 202)


@api.get("/companies/<company>/changes")
def list_changes(company: str) -> Response:
    name = company_name(company)
    after, limit = cursor_arg(FEED_SCOPE), limit_arg()
    changes = services().sync.changes(name, after=after, limit=limit + 1)
    page = changes[:limit]
    last = page[-1].id if page else after
    return reply({
        "data": [{"cursor": cursor(FEED_SCOPE, change.id), "kind": change.kind,
                  "change": change.change, "qb_id": change.qb_id,
                  "external_id": change.external_id, "data": change.data,
                  "created_at": change.created_at} for change in page],
        "next_cursor": cursor(FEED_SCOPE, last) if last else None,
        "has_more": len(changes) > limit,
    })
