"""Saving and loading the company's state as JSON (between CLI runs).

The records are dataclasses; each field is written as JSON (Decimal and dates as strings) and
read back by the field's declared type, so the file stays readable and diffable.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from qbwc_server.simulator.company import model
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.ids import IdFactory

__all__ = ["FORMAT", "dump_books", "load_books", "read_json", "write_json"]

FORMAT = "qbwc-simulated-company/1"

# Books attribute -> record class (dicts keyed by ID, or lists).
_TABLES: dict[str, type] = {
    "accounts": model.Account, "items": model.Item, "others": model.OtherListEntry,
    "customers": model.Customer, "sales": model.SalesTxn, "payments": model.Payment,
    "deposits": model.Deposit,
}
_LISTS: dict[str, type] = {
    "data_ext_defs": model.DataExtDef, "data_exts": model.DataExt, "deleted": model.Deleted,
}
_KEYS = {"accounts": "list_id", "items": "list_id", "others": "list_id",
         "customers": "list_id", "sales": "txn_id", "payments": "txn_id", "deposits": "txn_id"}


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _encode(value: Any) -> Any:
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _encode(getattr(value, name)) for name in _field_names(type(value))}
    return value


Converter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@cache
def _converter(hint: Any) -> Converter:
    """A function turning the JSON form of a ``hint``-typed field back into its value."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _converter(options[0])
        return lambda value: None if value is None else inner(value)
    if hint in (Decimal, datetime, date):
        parsers: dict[Any, Callable[[str], Any]] = {
            Decimal: Decimal, datetime: datetime.fromisoformat, date: date.fromisoformat}
        parse = parsers[hint]
        return lambda value: None if value is None else parse(value)
    if origin is list:
        item = _converter(typing.get_args(hint)[0])
        return lambda value: [item(v) for v in value]
    if origin is dict:
        item = _converter(typing.get_args(hint)[1])
        if item is _identity:
            return dict
        return lambda value: {k: item(v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return lambda value: _record(hint, value)
    return _identity


@cache
def _converters(cls: type) -> dict[str, Converter]:
    hints = typing.get_type_hints(cls, vars(model))
    return {name: _converter(hints[name]) for name in _field_names(cls)}


def _record(cls: Any, data: dict[str, Any]) -> Any:
    converters = _converters(cls)
    return cls(**{name: converters[name](value) for name, value in data.items()})


def dump_books(books: Books) -> dict[str, Any]:
    """The whole state as JSON-ready data."""
    data: dict[str, Any] = {"format": FORMAT, "ids": books.ids.to_state(),
                            "next_ref": dict(books.next_ref)}
    for name in _TABLES:
        data[name] = [_encode(record) for record in getattr(books, name).values()]
    for name in _LISTS:
        data[name] = [_encode(record) for record in getattr(books, name)]
    return data


def load_books(books: Books, data: dict[str, Any]) -> None:
    """Replace the books' records with a dumped state."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a simulated company state: format {data.get('format')!r}")
    books.ids = IdFactory(**data["ids"])
    books.next_ref = dict(data.get("next_ref", {}))
    for name, cls in _TABLES.items():
        key = _KEYS[name]
        table = {}
        for row in data.get(name, []):
            record = _record(cls, row)
            table[getattr(record, key)] = record
        setattr(books, name, table)
    for name, cls in _LISTS.items():
        setattr(books, name, [_record(cls, row) for row in data.get(name, [])])
    books.reindex()


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded
