"""Request bodies checked against the OpenAPI document's own schemas (one source of truth),
and the text rules that hold for every value a client sends, whatever its schema."""

from __future__ import annotations

import re
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


#: Control characters (tab, line feed and carriage return aside) and lone UTF-16 surrogates:
#: PostgreSQL refuses NUL and cannot encode a surrogate, SQLite keeps both, and QuickBooks
#: refuses them in qbXML. Refused at the edge, so both databases answer alike.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def bad_text(text: str) -> str | None:
    """Why ``text`` may not be stored, or None when it may."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    return f"contains the control character U+{ord(found.group()):04X}, which is not accepted"


def text_errors(body: Any, where: str = "") -> list[dict[str, str]]:
    """Field errors for every string (value or key) in ``body`` that :func:`bad_text` refuses."""
    found: list[dict[str, str]] = []
    if isinstance(body, str):
        reason = bad_text(body)
        if reason is not None:
            found.append({"field": where or "(body)", "message": reason})
    elif isinstance(body, list):
        for index, item in enumerate(body):
            found += text_errors(item, _join(where, str(index)))
    elif isinstance(body, dict):
        for key, value in body.items():
            reason = bad_text(key)
            if reason is not None:
                found.append({"field": _join(where, repr(key)), "message": "the field name "
                              + reason})
            else:
                found += text_errors(value, _join(where, key))
    return found


def nesting_depth(value: Any) -> int:
    """How deep arrays and objects nest in a parsed JSON ``value`` (a scalar is 0, ``[]`` 1),
    walked level by level, not recursively, so the answer costs no stack however deep."""
    depth, level = 0, [value] if isinstance(value, (list, dict)) else []
    while level:
        depth += 1
        level = [child for node in level
                 for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, (list, dict))]
    return depth


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
