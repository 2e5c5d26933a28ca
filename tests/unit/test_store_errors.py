"""Which database errors are an outage (retry later: 503) and which a refused statement."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from qbwc_server.api.problems import from_error
from qbwc_server.errors import StoreError, StoreUnavailableError
from qbwc_server.store.database import is_outage


class _Orig(Exception):
    """A DBAPI error carrying a PostgreSQL SQLSTATE or an SQLite result code."""

    def __init__(self, sqlstate: str | None = None, sqlite_errorname: str | None = None):
        super().__init__("driver error")
        self.sqlstate = sqlstate
        if sqlite_errorname is not None:
            self.sqlite_errorname = sqlite_errorname


def _operational(**codes: str | None) -> OperationalError:
    return OperationalError("SELECT 1", {}, _Orig(**codes))


@pytest.mark.parametrize(("error", "outage"), [
    (_operational(), True),  # the server never answered: connection refused or reset
    (_operational(sqlstate="08006"), True),  # connection failure
    (_operational(sqlstate="57P01"), True),  # the server is shutting down
    (_operational(sqlstate="57014"), True),  # statement timeout
    (_operational(sqlstate="53300"), True),  # too many connections
    (_operational(sqlstate="40P01"), True),  # deadlock: retrying works
    (_operational(sqlstate="55P03"), True),  # lock not available
    (_operational(sqlstate="54000"), False),  # program limit exceeded: fails every time
    (_operational(sqlite_errorname="SQLITE_BUSY"), True),  # database is locked
    (_operational(sqlite_errorname="SQLITE_CANTOPEN"), True),  # the file cannot be opened
    (_operational(sqlite_errorname="SQLITE_IOERR_READ"), True),  # disk I/O error
    (_operational(sqlite_errorname="SQLITE_ERROR"), False),  # no such table, bad SQL
    (_operational(sqlite_errorname="SQLITE_TOOBIG"), False),  # a value too large
    (DataError("INSERT", {}, _Orig("22001")), False),  # value too long for varchar(n)
    (DataError("INSERT", {}, _Orig()), False),  # NUL in text (refused by the driver)
    (IntegrityError("INSERT", {}, _Orig("23505")), False),  # unique violation
    (ProgrammingError("SELECT", {}, _Orig("42P01")), False),  # no such table
    (DisconnectionError(), True),
    (PoolTimeoutError(), True),  # no free connection in the pool
])
def test_only_connection_level_failures_are_an_outage(error: Exception, outage: bool) -> None:
    assert is_outage(error) is outage  # type: ignore[arg-type]


def test_an_invalidated_connection_is_an_outage() -> None:
    error = ProgrammingError("SELECT 1", {}, _Orig(), connection_invalidated=True)
    assert is_outage(error)


def test_only_an_outage_is_a_503_with_retry_after() -> None:
    outage, refused = from_error(StoreUnavailableError()), from_error(StoreError())
    assert (outage.status, outage.headers) == (503, {"Retry-After": "5"})
    assert (refused.status, refused.headers) == (500, {})
