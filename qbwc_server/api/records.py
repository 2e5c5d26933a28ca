"""Record endpoints: customers, invoices, payments and deposits, by the platform's id or
QuickBooks', with upserts, payment reversal, customer archive and retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response

from mappers import Customer, Deposit, Invoice, MapperError, Payment
from qbwc_server.api.http import (
    api,
    company_name,
    cursor,
    cursor_arg,
    datetime_arg,
    limit_arg,
    read_body,
    reply,
    services,
)
from qbwc_server.api.idempotency import idempotent
from qbwc_server.api.problems import Problem, field_error
from qbwc_server.api.schemas import RECORD_KINDS
from qbwc_server.store.limits import max_length
from qbwc_server.store.models import SyncRecord
from qbwc_server.sync.profile import pushes
from qbwc_server.sync.serialize import from_json
from qbwc_server.sync.service import RecordView

KINDS = {plural: kind for kind, plural in RECORD_KINDS.items()}
CLASSES: dict[str, type[Any]] = {"customer": Customer, "invoice": Invoice, "payment": Payment,
                                 "deposit": Deposit}
PLURALS = "<any(" + ", ".join(RECORD_KINDS.values()) + "):plural>"
MAX_EXTERNAL_ID = max_length(SyncRecord.external_id)


def record_json(view: RecordView) -> dict[str, Any]:
    return {"kind": view.kind, "external_id": view.external_id, "qb_id": view.qb_id,
            "label": view.label, "deleted": view.is_deleted,
            "push": {"state": view.push_state, "action": view.push_action,
                     "error": view.push_error},
            "updated_at": view.updated_at, "data": view.data}


@api.get(f"/companies/<company>/{PLURALS}")
def list_records(company: str, plural: str) -> Response:
    name, kind = company_name(company), KINDS[plural]
    after, limit, since = cursor_arg(kind), limit_arg(), datetime_arg("updated_since")
    views = services().sync.records(name, kind, after_id=after, updated_since=since,
                                    limit=limit + 1)
    page = views[:limit]
    more = len(views) > limit
    return reply({"data": [record_json(view) for view in page],
                  "next_cursor": cursor(kind, page[-1].id) if more else None})


@api.get(f"/companies/<company>/{PLURALS}/<external_id>")
def get_record(company: str, plural: str, external_id: str) -> Response:
    view = services().sync.record(company_name(company), KINDS[plural], external_id=external_id)
    return reply(record_json(view))


@api.get(f"/companies/<company>/{PLURALS}/qb/<qb_id>")
def get_record_by_qb_id(company: str, plural: str, qb_id: str) -> Response:
    view = services().sync.record(company_name(company), KINDS[plural], qb_id=qb_id)
    return reply(record_json(view))


@api.put(f"/companies/<company>/{PLURALS}/<external_id>")
def put_record(company: str, plural: str, external_id: str) -> Response:
    name, kind = company_name(company), KINDS[plural]
    if len(external_id) > MAX_EXTERNAL_ID:
        raise field_error("external_id", f"at most {MAX_EXTERNAL_ID} characters")
    body = read_body(f"{kind.capitalize()}Input")
    if body.get("external_id", external_id) != external_id:
        raise field_error("external_id", f"is {body['external_id']!r} but the URL says "
                          f"{external_id!r}; leave it out or make them equal")
    _require_push(name, kind, plural)
    try:
        record = from_json(CLASSES[kind], {**body, "external_id": external_id})
    except (ValueError, TypeError, MapperError) as exc:
        raise Problem("validation-error", f"The {kind} is not valid: {exc}") from exc
    # "add" also changes a record QuickBooks already has: the push step sends a Mod then.
    return reply(record_json(services().sync.submit(name, kind, record)))


@api.post("/companies/<company>/payments/<external_id>/reversal")
@idempotent()
def reverse_payment(company: str, external_id: str) -> Response:
    return _act(company, "payment", external_id, services().sync.reverse_payment)


@api.post("/companies/<company>/customers/<external_id>/archive")
@idempotent()
def archive_customer(company: str, external_id: str) -> Response:
    return _act(company, "customer", external_id, services().sync.archive_customer)


@api.post(f"/companies/<company>/{PLURALS}/<external_id>/retry")
@idempotent()
def retry_record(company: str, plural: str, external_id: str) -> Response:
    view = services().sync.retry(company_name(company), KINDS[plural], external_id)
    return reply(record_json(view))


def _act(company: str, kind: str, external_id: str,
         action: Callable[[str, str], RecordView]) -> Response:
    name = company_name(company)
    _require_push(name, kind, RECORD_KINDS[kind])
    return reply(record_json(action(name, external_id)))


def _require_push(company: str, kind: str, plural: str) -> None:
    directions = services().sync.profile(company).directions
    if not pushes(directions, kind):
        raise Problem("not-pushed", f"{company} does not push {plural} to QuickBooks (direction "
                      f"{directions.get(kind, 'off')!r}); set directions.{kind} to 'push' or "
                      "'both' with PUT /companies/{company}/settings first.")
