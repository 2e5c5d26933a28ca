"""Typed Python values -> qbXML text, one formatter per schema type.

The formats follow ``qbxmltypes130.xsd`` (``qbwc-protocol.md`` section 7): AMTTYPE has 0 or 2
decimals and at most 13 integer digits; PRICETYPE, QUANTYPE and PERCENTTYPE at most 5 decimals
and 10 integer digits; dates are ``YYYY-MM-DD``; date-times carry a UTC offset (naive ones are
refused, since QuickBooks would read them in its own time zone) unless they are given as a
:class:`~qbxml.requests.filters.LocalDateTime`, which is exactly that; GUIDs are
``{8-4-4-4-12}``.
Money is :class:`~decimal.Decimal` only: a float has already lost cents.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import TypeVar

from qbxml.errors import InvalidFieldValueError
from qbxml.requests.filters import LocalDateTime
from qbxml.requests.policy import BuildContext
from qbxml.schema import FieldSpec
from qbxml.text import escape, fit_length, to_windows_1252

_GUID_RE = re.compile(r"^(0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\})$")
T = TypeVar("T")
_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


def _expect(spec: FieldSpec, value: object, kind: type[T], what: str) -> T:
    """``value`` if it is a ``kind`` (a bool does not pass for an int)."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InvalidFieldValueError(spec.path, f"expected {what}, got {type(value).__name__}")
    return value


def _text(spec: FieldSpec, value: object, context: BuildContext) -> str:
    value = _expect(spec, value, str, "str")
    policy = context.policy
    text, changed = to_windows_1252(value, path=spec.path, policy=policy.text)
    if changed:
        context.warn(
            spec.path,
            "replaced" if policy.text == "replace" else "transliterated",
            f"{changed!r} not in Windows-1252: {value!r} -> {text!r}",
        )
    fitted = fit_length(text, path=spec.path, max_length=spec.max_length, policy=policy.too_long)
    if fitted != text:
        context.warn(spec.path, "truncated", f"cut to {spec.max_length} characters: {fitted!r}")
    return escape(fitted)


def _enum(spec: FieldSpec, value: object, context: BuildContext) -> str:
    _expect(spec, value, str, "str")
    if value not in spec.values:
        raise InvalidFieldValueError(spec.path, f"{value!r} is not one of {', '.join(spec.values)}")
    return str(value)


def _decimal(
    spec: FieldSpec, value: object, context: BuildContext, *, places: int, digits: int
) -> Decimal:
    value = _expect(spec, value, Decimal, "Decimal")
    if not value.is_finite():
        raise InvalidFieldValueError(spec.path, f"{value} is not a number")
    if abs(value) >= Decimal(10) ** digits:
        raise InvalidFieldValueError(spec.path, f"{value} has more than {digits} integer digits")
    exponent = Decimal(1).scaleb(-places)
    exact = value.quantize(exponent)
    if exact == value:
        return exact
    rounding = context.policy.rounding
    if rounding == "refuse":
        raise InvalidFieldValueError(spec.path, f"{value} has more than {places} decimals")
    rounded = value.quantize(exponent, rounding=_ROUNDING[rounding])
    context.warn(spec.path, "rounded", f"{value} -> {rounded}")
    return rounded


def _amount(spec: FieldSpec, value: object, context: BuildContext) -> str:
    return f"{_decimal(spec, value, context, places=2, digits=13):.2f}"


def _fraction(spec: FieldSpec, value: object, context: BuildContext) -> str:
    number = _decimal(spec, value, context, places=5, digits=10)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _float(spec: FieldSpec, value: object, context: BuildContext) -> str:
    value = _expect(spec, value, Decimal, "Decimal")
    if not value.is_finite():
        raise InvalidFieldValueError(spec.path, f"{value} is not a number")
    return f"{value:f}"


def _int(spec: FieldSpec, value: object, context: BuildContext) -> str:
    value = _expect(spec, value, int, "int")
    if spec.min_value is not None and value < spec.min_value:
        raise InvalidFieldValueError(spec.path, f"{value} is below {spec.min_value}")
    if spec.max_value is not None and value > spec.max_value:
        raise InvalidFieldValueError(spec.path, f"{value} is above {spec.max_value}")
    return str(value)


def _bool(spec: FieldSpec, value: object, context: BuildContext) -> str:
    _expect(spec, value, bool, "bool")
    return "true" if value else "false"


def _date(spec: FieldSpec, value: object, context: BuildContext) -> str:
    if isinstance(value, dt.datetime):
        raise InvalidFieldValueError(spec.path, "expected a date, got a datetime")
    value = _expect(spec, value, dt.date, "date")
    return value.isoformat()


def _datetime(spec: FieldSpec, value: object, context: BuildContext) -> str:
    if isinstance(value, LocalDateTime):
        # QuickBooks' own wall clock, as it reads a value without offset.
        return value.wall.replace(microsecond=0).isoformat()
    value = _expect(spec, value, dt.datetime, "datetime")
    if value.utcoffset() is None:
        raise InvalidFieldValueError(spec.path, "naive datetime; give it a timezone")
    # QuickBooks keeps whole seconds; dropping the fraction keeps a From-filter inclusive.
    return value.replace(microsecond=0).isoformat()


def _guid(spec: FieldSpec, value: object, context: BuildContext) -> str:
    if isinstance(value, uuid.UUID):
        return "{" + str(value).upper() + "}"
    _expect(spec, value, str, "str or UUID")
    if not _GUID_RE.match(str(value)):
        raise InvalidFieldValueError(spec.path, f"{value!r} is not {{8-4-4-4-12}} or 0")
    return str(value)


Formatter = Callable[[FieldSpec, object, BuildContext], str]

FORMATTERS: dict[str, Formatter] = {
    "string": _text,
    "id": _text,
    "enum": _enum,
    "amount": _amount,
    "price": _fraction,
    "quantity": _fraction,
    "percent": _fraction,
    "float": _float,
    "int": _int,
    "bool": _bool,
    "date": _date,
    "datetime": _datetime,
    "guid": _guid,
}


def format_value(spec: FieldSpec, value: object, context: BuildContext) -> str:
    """Turn ``value`` into the escaped text of element ``spec``.

    Raises:
        InvalidFieldValueError: Wrong Python type, bad enum value, too many digits, naive
            datetime, malformed GUID, or a type this builder does not write.
        FieldTooLongError: Text too long (policy ``refuse``).
        UnencodableTextError: Text outside Windows-1252 (policy ``refuse``).
    """
    formatter = FORMATTERS.get(spec.type)
    if formatter is None:
        raise InvalidFieldValueError(spec.path, f"cannot write {spec.type} values")
    return formatter(spec, value, context)
