"""Saving and loading the company's state as JSON (between CLI runs).

The records are dataclasses; each field is written as JSON (Decimal and dates as strings) and
read back by the field's declared type, so the file stays readable and diffable.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
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


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], value)
    if hint is Decimal:
        return Decimal(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if origin is list:
        (inner,) = typing.get_args(hint)
        return [_decode(inner, item) for item in value]
    if origin is dict:
        _, inner = typing.get_args(hint)
        return {key: _decode(inner, item) for key, item in value.items()}
    if dataclasses.is_dataclass(hint):
        return _record(hint, value)
    return value


def _record(cls: Any, data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    return cls(**{name: _decode(hints[name], value) for name, value in data.items()})


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
