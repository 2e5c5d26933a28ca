"""Small readers over a request element (already parsed by :func:`qbxml.parsing.parse_xml`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from qbwc_server.simulator.company.errors import StatusError

__all__ = [
    "boolean", "child", "children", "day", "money", "put", "raw", "ref", "text", "texts",
]


def child(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(name)


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return element.findall(name)


def text(element: etree._Element, name: str) -> str | None:
    """Text of the child ``name``; an empty element reads as ``""``, a missing one as None."""
    found = element.find(name)
    if found is None:
        return None
    return (found.text or "").strip()


def texts(element: etree._Element, name: str) -> list[str]:
    return [(found.text or "").strip() for found in element.findall(name)]


def boolean(element: etree._Element, name: str) -> bool | None:
    value = text(element, name)
    if not value:
        return None
    return value == "true"


def money(element: etree._Element, name: str) -> Decimal | None:
    value = text(element, name)
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # the XSD pattern normally catches this first
        raise StatusError(3000, f'The amount "{value}" in the field "{name}" is invalid.') from exc


def day(element: etree._Element, name: str) -> date | None:
    value = text(element, name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise StatusError(
            3020, f'There was an error when converting the date value "{value}" in the field '
            f'"{name}".'
        ) from exc


def ref(element: etree._Element, name: str) -> tuple[str | None, str | None] | None:
    """``(ListID, FullName)`` of the Ref child ``name``, or None when absent."""
    found = element.find(name)
    if found is None:
        return None
    return (text(found, "ListID") or None, text(found, "FullName") or None)


def raw(element: etree._Element) -> Any:
    """An element as stored data: its text for a leaf, else name -> value (lists if repeated)."""
    if len(element) == 0:
        return (element.text or "").strip()
    value: dict[str, Any] = {}
    for sub in element:  # comments and PIs were dropped by the hardened parser
        put(value, sub.tag, raw(sub))
    return value


def put(store: dict[str, Any], name: str, value: Any) -> None:
    """Set ``store[name]``; a repeated element turns the entry into a list, in order."""
    if name in store:
        existing = store[name]
        store[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
    else:
        store[name] = value
