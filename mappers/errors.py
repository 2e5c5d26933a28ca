"""Errors of the mapping core.

The tree, by what the caller must do::

    MapperError                 root; the record cannot be mapped as it is
    ├── MoneyTypeError          (also TypeError) money given as float, int or str, not Decimal
    └── MissingFieldError       (also ValueError) a field the mapping needs is empty

Both mean "mark this record failed with the message"; retrying will not help. Amount
inconsistencies are not errors: :func:`mappers.amounts.check_amounts` returns them as values.
"""

from __future__ import annotations


class MapperError(Exception):
    """The record cannot be mapped."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.__doc__)


class MoneyTypeError(MapperError, TypeError):
    """Money must be a Decimal."""


class MissingFieldError(MapperError, ValueError):
    """A field the mapping needs is empty."""

    def __init__(self, record: str, field: str, why: str) -> None:
        self.record = record
        self.field = field
        super().__init__(f"{record}.{field} is needed: {why}")
