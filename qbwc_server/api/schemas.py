"""The JSON schemas of the API (``components.schemas`` of the OpenAPI document).

Written by hand, like the rest of the document. Request bodies (``...Input``) are strict:
unknown fields are refused (``additionalProperties: false``), and the API validates every
body against these very schemas, so the document and the server cannot disagree. Money
always travels as a decimal string (``"12.50"``), never a JSON number: a float has already
lost cents.
"""

from __future__ import annotations

from typing import Any

from mappers.mappings import CODE_LIMIT, MAX_ROWS, NAME_LIMITS
from qbwc_server.sync.profile import DIRECTIONS, KINDS

Schema = dict[str, Any]

#: Record types the REST API serves, singular -> plural (the URL segment).
RECORD_KINDS = {"customer": "customers", "invoice": "invoices", "payment": "payments",
                "deposit": "deposits"}
#: Page sizes of lists and the change feed.
DEFAULT_LIMIT, MAX_LIMIT = 100, 500
MAPPING_KEYS = ("item", "payment_method", "tax_code", "default_item", "default_payment_method")
PUSH_STATES = ["none", "pending", "sent", "unknown", "synced", "failed"]
CHANGES = ["created", "updated", "archived", "deleted", "pushed", "linked", "reversed",
           "push_failed", "conflict"]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    if set(schema) == {"type"} and isinstance(schema["type"], str):
        return {"type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def text(max_length: int | None = None, **extra: Any) -> Schema:
    schema: Schema = {"type": "string", **extra}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def strict(properties: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    """An object with exactly these properties (a request body, or our own envelope)."""
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False,
                      **extra}
    if required:
        schema["required"] = list(required)
    return schema


def mappings_schema(*, required: bool) -> Schema:
    """The mapping tables (platform code -> QuickBooks name) and their defaults."""
    def table(kind: str, what: str) -> Schema:
        return {"type": "object", "maxProperties": MAX_ROWS,
                "propertyNames": {"minLength": 1, "maxLength": CODE_LIMIT},
                "additionalProperties": text(NAME_LIMITS[kind], minLength=1),
                "description": f"Platform code -> QuickBooks {what} name."}

    return strict(
        {"item": table("item", "item"),
         "payment_method": table("payment_method", "payment method"),
         "tax_code": table("tax_code", "sales-tax code"),
         "default_item": nullable(text(NAME_LIMITS["item"], description=(
             "The QuickBooks item of invoice lines whose item is not mapped."))),
         "default_payment_method": nullable(text(NAME_LIMITS["payment_method"], description=(
             "The QuickBooks payment method of payments whose method is not mapped; null: "
             "such payments are recorded without a method.")))},
        MAPPING_KEYS if required else (),
        description="Applied when a payment or invoice is pushed; see docs/sync.md.")


def described(properties: dict[str, Schema], required: tuple[str, ...] = (),
              **extra: Any) -> Schema:
    """A canonical record as the store holds it: these fields, and maybe newer ones."""
    schema: Schema = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


MONEY: Schema = {
    "type": "string",
    "pattern": r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$",
    "description": "Money as a decimal string with at most two decimals, e.g. \"12.50\".",
    "examples": ["12.50"],
}
QUANTITY: Schema = {
    "type": "string",
    "pattern": r"^-?[0-9]{1,15}(\.[0-9]{1,5})?$",
    "description": "A quantity or rate as a decimal string, e.g. \"1.5\".",
}
DATE: Schema = {"type": "string", "format": "date"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
N_TEXT = nullable(text())
N_MONEY = nullable(ref("Money"))
N_DATE = nullable(ref("Date"))
N_DATE_TIME = nullable(ref("DateTime"))


def _inputs() -> dict[str, Schema]:
    entity = strict(
        {"qb_id": text(40, description="QuickBooks' ListID or TxnID."),
         "name": text(209, description="Full name (Parent:Job), or a transaction's number.")},
        minProperties=1,
        description="A QuickBooks object, by id or by name (at least one).",
    )
    address = strict({"lines": {"type": "array", "items": text(41), "maxItems": 5},
                      "city": text(31), "region": text(21), "postal_code": text(13),
                      "country": text(31), "note": text(41)})
    external = text(100, description="The platform's id; if given it must equal the one in "
                    "the URL.")
    line = strict({"item": ref("EntityRefInput"), "description": text(4095),
                   "quantity": ref("Quantity"), "rate": ref("Quantity"), "amount": ref("Money"),
                   "tax_code": ref("EntityRefInput"), "service_date": ref("Date")})
    application = strict(
        {"amount": ref("Money"), "invoice": ref("EntityRefInput"),
         "invoice_external_id": text(100, description="The platform's id of the invoice.")},
        ("amount",), description="Part of the payment applied to one invoice: give `invoice` "
        "(QuickBooks' TxnID or the invoice number) or `invoice_external_id`.")
    deposited = strict(
        {"payment": ref("EntityRefInput"), "amount": ref("Money")}, ("payment",),
        description="A payment in the deposit: `payment.name` is the platform's external id "
        "of a payment pushed through this API, or `payment.qb_id` QuickBooks' TxnID.")
    return {
        "EntityRefInput": entity,
        "AddressInput": address,
        "CustomerInput": strict(
            {"external_id": external, "name": text(41, minLength=1), "company_name": text(41),
             "first_name": text(25), "last_name": text(25), "email": text(1023),
             "phone": text(21), "bill_address": ref("AddressInput"),
             "ship_address": ref("AddressInput"), "is_active": {"type": "boolean"},
             "parent": ref("EntityRefInput")},
            ("name",)),
        "InvoiceLineInput": line,
        "InvoiceInput": strict(
            {"external_id": external, "customer": ref("EntityRefInput"), "number": text(11),
             "txn_date": ref("Date"), "due_date": ref("Date"), "terms": text(31),
             "memo": text(4095),
             "lines": {"type": "array", "items": ref("InvoiceLineInput"), "minItems": 1},
             "total": ref("Money"), "tax_total": ref("Money")},
            ("customer", "lines")),
        "PaymentApplicationInput": application,
        "PaymentInput": strict(
            {"external_id": external, "customer": ref("EntityRefInput"), "amount": ref("Money"),
             "date": ref("Date"), "method": text(31), "reference": text(20),
             "memo": text(4095),
             "applications": {"type": "array", "items": ref("PaymentApplicationInput")},
             "deposit_to": ref("EntityRefInput")},
            ("customer", "amount")),
        "DepositedPaymentInput": deposited,
        "DepositInput": strict(
            {"external_id": external,
             "bank_account": {**ref("EntityRefInput"), "description": (
                 "The account that receives the deposit; left out: the deposit account "
                 "chosen in the company's settings.")},
             "date": ref("Date"), "memo": text(4095), "total": ref("Money"),
             "payments": {"type": "array", "items": ref("DepositedPaymentInput"),
                          "minItems": 1}},
            ("payments",)),
        "CompanyInput": strict(
            {"name": text(80, minLength=1),
             "cadence_minutes": {"type": "integer", "minimum": 1, "maximum": 1440},
             "company_file_path": text(500)},
            ("name",)),
        "SettingsInput": strict(
            {"directions": strict({kind: {"enum": list(DIRECTIONS)} for kind in KINDS}),
             "payment_account": nullable(text(200, description=(
                 "Where payments go; null: Undeposited Funds. While deposits are pushed it "
                 "must be Undeposited Funds, or QuickBooks refuses every deposit."))),
             "deposit_account": nullable(text(200, description=(
                 "The bank account of deposits; never Undeposited Funds."))),
             "sync_after": N_DATE,
             "batch_size": {"type": "integer", "minimum": 1, "maximum": 200},
             "page_size": {"type": "integer", "minimum": 10, "maximum": 2000},
             "mappings": mappings_schema(required=False)},
            description="Fields left out keep their value; `null` or \"\" clears an account, "
            "the start date or a default mapping. A mapping table given replaces that table."),
    }


def _records() -> dict[str, Schema]:
    """What the store holds: to_json() of the canonical records (mappers/)."""
    entity = described({"qb_id": N_TEXT, "name": N_TEXT})
    address = described({"lines": {"type": "array", "items": text()}, "city": N_TEXT,
                         "region": N_TEXT, "postal_code": N_TEXT, "country": N_TEXT,
                         "note": N_TEXT})
    stamps = {"external_id": N_TEXT, "qb_id": N_TEXT, "qb_version": N_TEXT,
              "updated_at": N_DATE_TIME, "updated_at_text": N_TEXT}
    n_entity = nullable(ref("EntityRef"))
    linked = described({"kind": text(), "qb_id": N_TEXT, "number": N_TEXT, "amount": N_MONEY,
                        "date": N_DATE})
    line = described({"item": n_entity, "description": N_TEXT,
                      "quantity": nullable(ref("Quantity")), "rate": nullable(ref("Quantity")),
                      "amount": N_MONEY, "tax_code": n_entity, "service_date": N_DATE,
                      "qb_line_id": N_TEXT})
    return {
        "EntityRef": entity,
        "Address": address,
        "LinkedTransaction": linked,
        "Customer": described(
            {**stamps, "name": text(), "path": N_TEXT, "company_name": N_TEXT,
             "first_name": N_TEXT, "last_name": N_TEXT, "email": N_TEXT, "phone": N_TEXT,
             "bill_address": nullable(ref("Address")), "ship_address": nullable(ref("Address")),
             "is_active": {"type": "boolean"}, "parent": n_entity, "balance": N_MONEY},
            ("name",)),
        "InvoiceLine": line,
        "Invoice": described(
            {**stamps, "customer": ref("EntityRef"), "number": N_TEXT, "txn_date": N_DATE,
             "memo": N_TEXT, "lines": {"type": "array", "items": ref("InvoiceLine")},
             "total": N_MONEY, "tax_total": N_MONEY, "due_date": N_DATE, "terms": N_TEXT,
             "open_balance": N_MONEY, "is_paid": {"type": ["boolean", "null"]},
             "is_voided": {"type": "boolean"},
             "linked": {"type": "array", "items": ref("LinkedTransaction")}},
            ("customer",)),
        "PaymentApplication": described(
            {"amount": ref("Money"), "invoice": n_entity, "invoice_external_id": N_TEXT},
            ("amount",)),
        "Payment": described(
            {**stamps, "customer": ref("EntityRef"), "amount": ref("Money"), "date": N_DATE,
             "method": N_TEXT, "reference": N_TEXT, "memo": N_TEXT,
             "applications": {"type": "array", "items": ref("PaymentApplication")},
             "deposit_to": n_entity, "unapplied_amount": N_MONEY},
            ("customer", "amount")),
        "DepositedPayment": described({"payment": ref("EntityRef"), "amount": N_MONEY},
                                      ("payment",)),
        "Deposit": described(
            {**stamps, "bank_account": nullable(ref("EntityRef")), "date": N_DATE,
             "payments": {"type": "array", "items": ref("DepositedPayment")},
             "memo": N_TEXT, "total": N_MONEY}),
    }


def _record_envelope(kind: str, data: str) -> Schema:
    return strict(
        {"kind": {"const": kind},
         "external_id": nullable(text(description="The platform's id.")),
         "qb_id": nullable(text(description="QuickBooks' ListID or TxnID.")),
         "label": nullable(text(description="A name or number, for people.")),
         "deleted": {"type": "boolean", "description": "Deleted in QuickBooks."},
         "push": ref("PushState"),
         "updated_at": ref("DateTime"),
         "data": ref(data)},
        ("kind", "external_id", "qb_id", "label", "deleted", "push", "updated_at", "data"))


def _envelopes() -> dict[str, Schema]:
    schemas: dict[str, Schema] = {
        "PushState": strict(
            {"state": {"enum": PUSH_STATES, "description": "`none`: only pulled from "
                       "QuickBooks; `pending` -> `sent` -> `synced` or `failed`; `unknown`: "
                       "the answer was lost and is being looked up in QuickBooks."},
             "action": nullable({"enum": ["add", "mod", "archive", "delete"]}),
             "error": nullable(text(description="Why QuickBooks refused it, or what it "
                                    "waits for."))},
            ("state", "action", "error")),
        "Change": strict(
            {"cursor": text(description="Resume the feed after this entry with ?after=."),
             "kind": text(), "change": {"enum": CHANGES}, "qb_id": N_TEXT,
             "external_id": N_TEXT,
             "data": {"type": "object", "description": "The record as stored after the "
                      "change; for `push_failed` {error, record}; for `conflict` {record, "
                      "quickbooks, platform, fields: {quickbooks, platform, both}}: a "
                      "QuickBooks edit met a platform write not yet made (see the sync "
                      "guide's conflict rule)."},
             "created_at": ref("DateTime")},
            ("cursor", "kind", "change", "qb_id", "external_id", "data", "created_at")),
        "ChangePage": strict(
            {"data": {"type": "array", "items": ref("Change")},
             "next_cursor": nullable(text(description="Pass as ?after= next time; null only "
                                          "when the feed is empty and no cursor was given.")),
             "has_more": {"type": "boolean", "description": "More entries are ready now."}},
            ("data", "next_cursor", "has_more")),
        "Company": strict(
            {"name": text(description="Also the {company} path parameter."),
             "username": text(description="The Web Connector user name."),
             "status": {"enum": ["waiting", "healthy", "error"]},
             "cadence_minutes": {"type": "integer"}, "company_file_path": text(),
             "paused": {"type": "boolean"}, "created_at": ref("DateTime"),
             "last_contact_at": N_DATE_TIME, "last_sync_at": N_DATE_TIME,
             "last_error": N_TEXT, "last_error_at": N_DATE_TIME,
             "queued": {"type": "integer", "description": "qbXML requests waiting."},
             "quickbooks": strict({"product": N_TEXT, "company_name": N_TEXT,
                                   "qbxml_versions": {"type": "array", "items": text()}},
                                  ("product", "company_name", "qbxml_versions"))},
            ("name", "username", "status", "cadence_minutes", "company_file_path", "paused",
             "created_at", "last_contact_at", "last_sync_at", "last_error", "last_error_at",
             "queued", "quickbooks")),
        "CompanyList": strict({"data": {"type": "array", "items": ref("Company")}}, ("data",)),
        "Credentials": strict(
            {"company": ref("Company"),
             "username": text(),
             "password": nullable(text(description="The Web Connector password, shown only "
                                       "in this response; null in a replay (never stored)."))},
            ("company", "username", "password")),
        "Settings": strict(
            {"directions": strict({kind: {"enum": list(DIRECTIONS)} for kind in KINDS},
                                  tuple(KINDS)),
             "payment_account": nullable(text(description="Where payments go; null: "
                                              "Undeposited Funds.")),
             "deposit_account": nullable(text(description="The bank account of deposits.")),
             "sync_after": nullable(text(description="Pull nothing older (ISO date); null: "
                                         "the last 12 months first, then older history.")),
             "batch_size": {"type": "integer"}, "page_size": {"type": "integer"},
             "mappings": mappings_schema(required=True)},
            ("directions", "payment_account", "deposit_account", "sync_after", "batch_size",
             "page_size", "mappings")),
        "Status": strict(
            {"company": text(), "status": {"enum": ["waiting", "healthy", "error"]},
             "last_contact_at": N_DATE_TIME, "last_sync_at": N_DATE_TIME,
             "last_error": N_TEXT, "last_error_at": N_DATE_TIME,
             "queued": {"type": "integer"},
             "records": {"type": "object", "description": "Records per kind and push state "
                         "(`deleted` counts deleted ones).",
                         "additionalProperties": {"type": "object",
                                                  "additionalProperties": {"type": "integer"}}}},
            ("company", "status", "last_contact_at", "last_sync_at", "last_error",
             "last_error_at", "queued", "records")),
        "SyncRequested": strict({"company": text(), "sync_requested": {"const": True}},
                                ("company", "sync_requested")),
        "Problem": strict(
            {"type": text(description="urn:qbwc:problem:<name>; docs/api.md lists them."),
             "title": text(), "status": {"type": "integer"}, "detail": text(),
             "instance": text(description="The request path."),
             "errors": {"type": "array", "items": strict(
                 {"field": text(description="Dotted path of the field, e.g. "
                                "applications.0.amount."),
                  "message": text()}, ("field", "message"))}},
            ("type", "title", "status", "detail", "instance"),
            description="RFC 9457 problem details (application/problem+json)."),
    }
    for kind, plural in RECORD_KINDS.items():
        name = kind.capitalize()
        schemas[f"{name}Record"] = _record_envelope(kind, name)
        schemas[f"{name}Page"] = strict(
            {"data": {"type": "array", "items": ref(f"{name}Record")},
             "next_cursor": nullable(text(description="Pass as ?after= for the next page; "
                                          "null on the last page."))},
            ("data", "next_cursor"), description=f"A page of {plural}.")
    return schemas


def components() -> dict[str, Schema]:
    return {"Money": MONEY, "Quantity": QUANTITY, "Date": DATE, "DateTime": DATE_TIME,
            **_inputs(), **_records(), **_envelopes()}
