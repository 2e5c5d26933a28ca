"""The mapping tables on the partner settings page: platform code -> QuickBooks name.

Each table is rows of two fields, ``<table>_code_<n>`` and ``<table>_name_<n>``, plus a few
empty rows to add new ones (a row left empty is dropped; no JavaScript needed). Items are
chosen from the items pulled from QuickBooks; payment methods and tax codes are typed (the
Web Connector does not read those lists), with QuickBooks' usual names suggested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from mappers import MAPPING_TABLES, Mappings
from mappers.mappings import CODE_LIMIT, MAX_ROWS, name_problem
from qbwc_server.pages.forms import choice_problem
from qbxml.numbers import whole_number

#: Empty rows offered under each table for new mappings.
BLANK_ROWS = 3
DEFAULT_FIELDS = {"default_item": "item", "default_payment_method": "payment_method"}
#: QuickBooks Desktop's own names, offered as suggestions (a partner may have renamed them).
SUGGESTED = {"payment_method": ("Cash", "Check", "Visa", "MasterCard", "American Express",
                                "Discover", "E-Check"),
             "tax_code": ("Tax", "Non")}


@attrs.frozen(kw_only=True)
class ItemChoice:
    """One item pulled from QuickBooks, as the form offers it."""

    value: str  # the full name (``Parent:Child``): what the push sends as ItemRef FullName
    kind: str
    is_active: bool

    @property
    def label(self) -> str:
        return f"{self.value} ({self.kind.replace('_', ' ')})"

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ItemChoice:
        return cls(value=str(data.get("path") or data.get("name") or ""),
                   kind=str(data.get("kind") or "item"),
                   is_active=data.get("is_active") is not False)


def offered(items: Iterable[ItemChoice]) -> list[ItemChoice]:
    """Active items by name."""
    return sorted((i for i in items if i.is_active), key=lambda i: i.value.lower())


def fields(mappings: Mappings) -> dict[str, str]:
    """The form's fields for stored mappings (and the empty rows)."""
    form: dict[str, str] = {}
    for table in MAPPING_TABLES:
        rows = sorted(getattr(mappings, table).items())
        for n, (code, name) in enumerate(rows):
            form[f"{table}_code_{n}"], form[f"{table}_name_{n}"] = code, name
        form[f"{table}_rows"] = str(len(rows) + BLANK_ROWS)
    for field in DEFAULT_FIELDS:
        form[field] = getattr(mappings, field) or ""
    return form


def submitted(form: Mapping[str, str]) -> dict[str, str]:
    """The mapping fields of a posted form (row counts bounded), to check and to show again.

    A table or default the form does not carry at all is left out (and so left unchanged).
    """
    found: dict[str, str] = {}
    for table in MAPPING_TABLES:
        if f"{table}_rows" not in form:
            continue
        count = row_count(form, table)
        for n in range(count):
            for part in ("code", "name"):
                key = f"{table}_{part}_{n}"
                found[key] = form.get(key, "").strip()
        found[f"{table}_rows"] = str(count)
    for field in DEFAULT_FIELDS:
        if field in form:
            found[field] = form[field].strip()
    return found


def row_count(form: Mapping[str, str], table: str) -> int:
    value = form.get(f"{table}_rows", "")
    return whole_number(value, maximum=MAX_ROWS + BLANK_ROWS) or 0


def validate(form: Mapping[str, str], items: Iterable[ItemChoice]
             ) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The mappings a form asks for (the tables and defaults it carries), or None and a
    message per field."""
    known = {i.value: i for i in items}
    errors: dict[str, str] = {}
    change: dict[str, Any] = {}
    for table in MAPPING_TABLES:
        if f"{table}_rows" not in form:
            continue
        rows: dict[str, str] = {}
        for n in range(row_count(form, table)):
            code_key, name_key = f"{table}_code_{n}", f"{table}_name_{n}"
            code, name = form.get(code_key, ""), form.get(name_key, "")
            if not code and not name:
                continue
            if not code or len(code) > CODE_LIMIT:
                errors[code_key] = f"Enter the platform's code (1-{CODE_LIMIT} characters)."
            elif code in rows:
                errors[code_key] = f"“{code}” is mapped twice; keep one row."
            if message := _name_problem(table, name, known):
                errors[name_key] = message
            rows[code] = name
        change[table] = rows
    for field, table in DEFAULT_FIELDS.items():
        if field not in form:
            continue
        value = form[field]
        if value and (message := _name_problem(table, value, known)):
            errors[field] = message
        change[field] = value or None
    return (None, errors) if errors else (change, {})


def _name_problem(table: str, name: str, known: Mapping[str, ItemChoice]) -> str | None:
    if not name:
        return ("Choose a QuickBooks item." if table == "item"
                else "Type the QuickBooks name.")
    if table != "item":
        message = name_problem(table, name)
        return f"{message[0].upper()}{message[1:]}." if message else None
    return choice_problem(name, known, "item")
