"""Request bodies checked against the OpenAPI document's own schemas (one source of truth)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from qbwc_server.api.openapi import document


@cache
def validator(schema_name: str) -> Draft202012Validator:
    """A validator for ``#/components/schemas/<schema_name>`` (refs resolve in the document)."""
    root = {"components": document()["components"],
            "$ref": f"#/components/schemas/{schema_name}"}
    return Draft202012Validator(root, format_checker=FormatChecker(formats=("date",)))


def body_errors(schema_name: str, body: Any) -> list[dict[str, str]]:
    """Field errors of ``body``, one per field, unknown fields named; empty when valid."""
    found: dict[str, str] = {}
    for error in sorted(validator(schema_name).iter_errors(body), key=_order):
        for field, message in _explain(error):
            found.setdefault(field, message)
    return [{"field": field, "message": message} for field, message in found.items()]


def _order(error: ValidationError) -> tuple[int, str]:
    return len(error.absolute_path), ".".join(map(str, error.absolute_path))


def _explain(error: ValidationError) -> list[tuple[str, str]]:
    where = ".".join(map(str, error.absolute_path))
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - allowed)
        return [(_join(where, name), "unknown field") for name in extra]
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(_join(where, name), "required") for name in missing]
    if error.validator in ("anyOf", "oneOf") and error.context:
        # A nullable value that is neither null nor valid: report the non-null branch.
        best = min(error.context, key=lambda e: (e.validator == "type", len(e.path)))
        return _explain(best)
    if error.validator in ("type", "pattern") and str(
            error.schema.get("description", "")).startswith("Money"):
        return [(where or "(body)", f"{error.instance!r} is not money: give a decimal string "
                 "with at most two decimals, e.g. \"12.50\" (never a JSON number)")]
    if error.validator == "pattern" or error.validator == "format":
        return [(where or "(body)", f"{error.instance!r} is not a valid "
                 f"{error.schema.get('format') or 'value'}"
                 + (f" ({error.schema['description']})" if "description" in error.schema
                    else ""))]
    return [(where or "(body)", error.message)]


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
