"""Errors raised by :mod:`qbwc_server`, grouped by what the caller should do.

::

    QbwcError                    root of everything the server raises
    ├── ConfigError              the configuration is wrong: fix it and restart (stop)
    ├── NotFoundError            the named company, item or user does not exist (stop)
    ├── ConflictError            the name or identity is taken (stop; choose another)
    ├── InvalidInputError        the caller's value is not acceptable (stop; fix the input)
    └── StoreError               the database refused the operation: a bug, or bad data
        └── StoreUnavailableError    the database cannot be reached or is busy: retry later

Each class's docstring is its default message.
"""

from __future__ import annotations


class QbwcError(Exception):
    """qbwc-server error."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class ConfigError(QbwcError):
    """The configuration is not valid."""


class NotFoundError(QbwcError):
    """No such object."""


class ConflictError(QbwcError):
    """That name is already in use."""


class InvalidInputError(QbwcError, ValueError):
    """The value is not acceptable."""

    def __init__(self, message: str | None = None, *,
                 fields: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        #: (field, message) pairs naming what to fix, e.g. ("applications.0.amount", "...").
        self.fields = fields


class StoreError(QbwcError):
    """The database could not complete the operation."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or is too busy to answer; try again later."""
