"""The public API of mappers: ``__all__`` is complete and sorted (as httpx does)."""

from __future__ import annotations

import importlib
import pkgutil

import mappers


def test_all_is_sorted() -> None:
    assert mappers.__all__ == sorted(mappers.__all__)


def test_all_is_complete() -> None:
    public = {
        name
        for name, value in vars(mappers).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("mappers")
    }
    assert public - set(mappers.__all__) == set()


def test_every_module_all_is_exported() -> None:
    exported = set(mappers.__all__)
    for module in pkgutil.iter_modules(mappers.__path__):
        names = getattr(importlib.import_module(f"mappers.{module.name}"), "__all__", [])
        assert set(names) - exported == set(), module.name
