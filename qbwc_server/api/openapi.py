"""The OpenAPI 3.1 document of the platform REST API, served at ``/api/v1/openapi.json``.

Hand-written (paths here, schemas in :mod:`.schemas`); the tests check that it is a valid
OpenAPI 3.1 document and that every response they see matches it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from qbwc_server.api.problems import TYPES
from qbwc_server.api.schemas import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    RECORD_KINDS,
    Schema,
    components,
    ref,
)
from qbwc_server.store.limits import max_length
from qbwc_server.store.models import IdempotencyKey

PROBLEM_STATUSES = sorted({status for status, _ in TYPES.values()})


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> Schema:
    return {"description": description,
            "content": {"application/problem+json": {"schema": ref("Problem")}}}


def _param(name: str) -> Schema:
    return {"$ref": f"#/components/parameters/{name}"}


def _op(op_id: str, summary: str, ok: dict[str, Schema], *, errors: tuple[int, ...] = (),
        params: tuple[str, ...] = (), body: str | None = None, tags: tuple[str, ...] = (),
        description: str | None = None, auth: bool = True) -> Schema:
    responses: dict[str, Schema] = dict(ok)
    for status in sorted({*errors, *((401, 404, 429, 500) if auth else ())}):
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    operation: Schema = {"operationId": op_id, "summary": summary, "tags": list(tags),
                         "responses": responses}
    if description:
        operation["description"] = description
    if params:
        operation["parameters"] = [_param(name) for name in params]
    if body:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": ref(body)}}}
    if not auth:
        operation["security"] = []
    return operation


def _record_paths(kind: str, plural: str) -> dict[str, Schema]:
    name = kind.capitalize()
    base = f"/companies/{{company}}/{plural}"
    one = _json(ref(f"{name}Record"), f"The {kind}.")
    paths: dict[str, Schema] = {
        base: {"get": _op(
            f"list_{plural}", f"List {plural}", {"200": _json(ref(f"{name}Page"),
                                                           f"A page of {plural}.")},
            params=("company", "after", "limit", "updated_since"), errors=(400,),
            tags=(plural,), description="Oldest first; pass `next_cursor` back as `after` "
            "for the next page.")},
        f"{base}/{{external_id}}": {
            "get": _op(f"get_{kind}", f"Read a {kind} by the platform's id", {"200": one},
                       params=("company", "external_id"), tags=(plural,)),
            "put": _op(
                f"put_{kind}", f"Create or change a {kind} (by the platform's id)",
                {"200": one}, params=("company", "external_id"), body=f"{name}Input",
                errors=(400, 409, 413, 415, 422), tags=(plural,),
                description=f"Queues the {kind} for QuickBooks. The same body again changes "
                "nothing and answers the same. 409 `not-pushed` when the company does not "
                f"push {plural}; 409 `conflict` while the {kind} is being written or (payments"
                ", deposits) once it is in QuickBooks."),
        },
        f"{base}/qb/{{qb_id}}": {"get": _op(
            f"get_{kind}_by_qb_id", f"Read a {kind} by QuickBooks' id", {"200": one},
            params=("company", "qb_id"), tags=(plural,))},
        f"{base}/{{external_id}}/retry": {"post": _op(
            f"retry_{kind}", f"Send a failed {kind} again", {"200": one},
            params=("company", "external_id", "idempotency_key"),
            errors=(409, 422), tags=(plural,))},
    }
    return paths


def _paths() -> dict[str, Schema]:
    company = ("company",)
    paths: dict[str, Schema] = {
        "/openapi.json": {"get": _op("openapi", "This document", {"200": _json(
            {"type": "object"}, "The OpenAPI document.")}, auth=False, tags=("meta",))},
        "/companies": {
            "get": _op("list_companies", "List the companies this key may see",
                       {"200": _json(ref("CompanyList"), "Companies, by name.")},
                       tags=("companies",)),
            "post": _op("create_company", "Create a company",
                        {"201": _json(ref("Credentials"), "The company and its Web Connector "
                                      "password (shown only now).")},
                        params=("idempotency_key",), body="CompanyInput",
                        errors=(400, 403, 409, 413, 415, 422), tags=("companies",),
                        description="Needs a key for all companies."),
        },
        "/companies/{company}": {"get": _op(
            "get_company", "Read a company", {"200": _json(ref("Company"), "The company.")},
            params=company, tags=("companies",))},
        "/companies/{company}/qwc": {"get": _op(
            "get_qwc", "The company's .qwc file", {"200": {
                "description": "Add this file to the Web Connector.",
                "content": {"application/xml": {"schema": {"type": "string"}}}}},
            params=company, tags=("companies",))},
        "/companies/{company}/password": {"post": _op(
            "rotate_password", "Give the company a new Web Connector password",
            {"200": _json(ref("Credentials"), "The new password (shown only now).")},
            params=("company", "idempotency_key"), errors=(409, 422), tags=("companies",),
            description="The old password stops working at once.")},
        "/companies/{company}/settings": {
            "get": _op("get_settings", "Sync settings",
                       {"200": _json(ref("Settings"), "The settings.")}, params=company,
                       tags=("companies",)),
            "put": _op("put_settings", "Change sync settings",
                       {"200": _json(ref("Settings"), "The settings now.")}, params=company,
                       body="SettingsInput", errors=(400, 413, 415, 422),
                       tags=("companies",)),
        },
        "/companies/{company}/status": {"get": _op(
            "get_status", "Sync status", {"200": _json(ref("Status"), "The status.")},
            params=company, tags=("companies",))},
        "/companies/{company}/sync": {"post": _op(
            "sync_now", "Sync at the next Web Connector run",
            {"202": _json(ref("SyncRequested"), "The next Web Connector run starts a "
                          "session.")},
            params=("company", "idempotency_key"), errors=(409, 422), tags=("companies",))},
        "/companies/{company}/changes": {"get": _op(
            "list_changes", "The change feed",
            {"200": _json(ref("ChangePage"), "Changes after the cursor, oldest first.")},
            params=("company", "after", "limit"), errors=(400,), tags=("changes",),
            description="Everything pulled from QuickBooks (created, updated, archived, "
            "deleted), every push outcome (pushed, linked, reversed, push_failed), and "
            "every conflict between a QuickBooks edit and a platform write (conflict).")},
    }
    for kind, plural in RECORD_KINDS.items():
        paths.update(_record_paths(kind, plural))
    one = {"200": _json(ref("PaymentRecord"), "The payment, queued for reversal.")}
    paths["/companies/{company}/payments/{external_id}/reversal"] = {"post": _op(
        "reverse_payment", "Reverse a payment (bounced, charged back)", one,
        params=("company", "external_id", "idempotency_key"), errors=(409, 422),
        tags=("payments",), description="Deletes the payment in QuickBooks at the next sync.")}
    one = {"200": _json(ref("CustomerRecord"), "The customer, queued to be made inactive.")}
    paths["/companies/{company}/customers/{external_id}/archive"] = {"post": _op(
        "archive_customer", "Archive a customer (IsActive false in QuickBooks)", one,
        params=("company", "external_id", "idempotency_key"), errors=(409, 422),
        tags=("customers",))}
    return paths


def _parameters() -> dict[str, Schema]:
    def path(name: str, description: str) -> Schema:
        return {"name": name, "in": "path", "required": True, "description": description,
                "schema": {"type": "string"}}

    return {
        "company": path("company", "The company's name (URL-encoded). A key for one company "
                        "gets 404 for every other company, as if it did not exist."),
        "external_id": path("external_id", "The platform's own id of the record (no '/')."),
        "qb_id": path("qb_id", "QuickBooks' ListID or TxnID."),
        "after": {"name": "after", "in": "query", "required": False,
                  "description": "An opaque cursor from `next_cursor`.",
                  "schema": {"type": "string"}},
        "limit": {"name": "limit", "in": "query", "required": False,
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                             "default": DEFAULT_LIMIT}},
        "updated_since": {"name": "updated_since", "in": "query", "required": False,
                          "description": "Only records changed at or after this instant "
                          "(with a UTC offset).",
                          "schema": {"type": "string", "format": "date-time"}},
        "idempotency_key": {"name": "Idempotency-Key", "in": "header", "required": False,
                            "description": "Same key and body again: the first answer is "
                            "replayed (header Idempotent-Replayed: true). Same key, other "
                            "body: 422. Keys belong to one API key and last 24 hours.",
                            "schema": {"type": "string", "minLength": 1,
                                       "maxLength": max_length(IdempotencyKey.key)}},
    }


def _responses() -> dict[str, Schema]:
    words = {400: "The query or body is malformed (bad JSON, bad parameter, bad cursor).",
             401: "No API key, a malformed one, or a revoked one (WWW-Authenticate: Bearer).",
             403: "The key is for one company and this needs a key for all companies.",
             404: "No such company (or not this key's), record or path.",
             405: "The path does not take this method.",
             409: "A conflict with the current state; see `type` and `detail`.",
             413: "The body is larger than 1 MiB.",
             415: "The body is not application/json.",
             422: "Fields are invalid or unknown (see `errors`), or the Idempotency-Key was "
                  "used for another request.",
             429: "This API key made too many requests (by default 600 a minute); try again "
                  "after Retry-After seconds.",
             500: "An unexpected error; the server logged it.",
             503: "The database is unavailable; try again (Retry-After)."}
    return {str(status): _problem(words[status]) for status in PROBLEM_STATUSES}


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document (built once; treat it as read-only)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qbwc-server platform API",
            "version": "1.0.0",
            "description": "Push payments, deposits, customers and invoices into QuickBooks "
            "Desktop and read what changed there. JSON in and out; money is a decimal "
            "string; errors are RFC 9457 problem details. See docs/api.md.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in ("companies", *RECORD_KINDS.values(), "changes",
                                             "meta")],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer", "bearerFormat": "qbwc_<prefix>_<secret>",
                "description": "An API key from `qbwc-server apikey add NAME [--company C]`."}},
            "parameters": _parameters(),
            "responses": _responses(),
            "schemas": components(),
        },
    }
