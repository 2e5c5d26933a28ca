"""Canonical records to JSON and back, for the store and the change feed.

Records are attrs classes from :mod:`mappers`; values that JSON lacks travel as text:
``Decimal`` as its exact string, dates and datetimes in ISO 8601, enums by value.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


def to_json(value: Any) -> Any:
    """A JSON-able form of a record (or of any value inside one)."""
    if attrs.has(type(value)):
        return {f.name: to_json(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def from_json(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from :func:`to_json` output."""
    return typing.cast(T, _structure(cls, data))


def _structure(kind: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _structure(options[0], data) if len(options) == 1 else data
    if origin is typing.Literal:
        return data
    if origin in (tuple, list):
        args = typing.get_args(kind)
        return tuple(_structure(args[0], item) for item in data) if args else tuple(data)
    if origin is dict:
        return dict(data)
    if isinstance(kind, type) and attrs.has(kind):
        attrs.resolve_types(kind)
        values = {
            f.name: _structure(f.type, data[f.name])
            for f in attrs.fields(kind)
            if f.name in data and f.init
        }
        return kind(**values)
    if kind is Decimal:
        return Decimal(data)
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is date:
        return date.fromisoformat(data)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    return data
