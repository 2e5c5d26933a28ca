"""Engine, sessions and migrations; foreign database errors become StoreError here.

Only a failure to reach the database, or one that says it is busy, is
:class:`StoreUnavailableError` (worth retrying: the API answers 503 with ``Retry-After``).
A refused statement (bad data, a constraint, a bug) is a plain :class:`StoreError`:
retrying it would fail the same way forever.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from qbwc_server.errors import StoreError, StoreUnavailableError

#: PostgreSQL SQLSTATE classes and codes of an outage: connection exception, transaction
#: rollback (deadlock, serialization), insufficient resources, operator intervention
#: (shutdown, statement timeout), system error; lock not available.
_PG_OUTAGE = ("08", "40", "53", "57", "58", "55P03")
#: SQLite result codes of an outage: busy or locked, the file cannot be opened or read, full.
_SQLITE_OUTAGE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR",
                  "SQLITE_FULL", "SQLITE_NOMEM", "SQLITE_PROTOCOL")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; a new SQLite file (and its folder) is made here."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        path = sqlite_path(engine)
        if path is not None:
            _create_private(path)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_path(engine: Engine) -> Path | None:
    """The SQLite database file, or None for an in-memory or URI-named database."""
    name = engine.url.database if engine.dialect.name == "sqlite" else None
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite opens it.

    The file holds password hashes, encrypted secrets and every company's records. SQLite
    gives its ``-wal`` and ``-shm`` files the database file's permissions, so those
    follow. An existing file keeps the permissions its owner chose.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets the web pages read while a Web Connector session writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    """A unit-of-work factory around one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            with wrap_errors():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@contextmanager
def wrap_errors() -> Iterator[None]:
    """Translate SQLAlchemy's errors into :class:`StoreError`, keeping the cause."""
    try:
        yield
    except SQLAlchemyError as exc:
        error = StoreUnavailableError if is_outage(exc) else StoreError
        raise error(f"database error: {exc.__class__.__name__}") from exc


def is_outage(exc: SQLAlchemyError) -> bool:
    """Whether ``exc`` says the database is unreachable or busy, rather than that it refused
    this statement."""
    if isinstance(exc, (DisconnectionError, PoolTimeoutError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlite_code = getattr(exc.orig, "sqlite_errorname", None)
    if sqlite_code is not None:
        return str(sqlite_code).startswith(_SQLITE_OUTAGE)
    sqlstate = getattr(exc.orig, "sqlstate", None)
    # No SQLSTATE: the server never answered (connection refused, reset, timed out).
    return sqlstate is None or str(sqlstate).startswith(_PG_OUTAGE)


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option(
        "script_location", str(resources.files("qbwc_server") / "migrations")
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the database schema to the newest migration.

    Returns:
        The schema's revision before (None for an empty database) and after.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with wrap_errors(), engine.begin() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        return before, MigrationContext.configure(connection).get_current_revision()


def table_count(engine: Engine) -> int:
    """How many tables the schema has (the migration bookkeeping table not counted)."""
    with wrap_errors():
        return len(set(inspect(engine).get_table_names()) - {"alembic_version"})
