"""Engine, sessions and migrations; foreign database errors become StoreError here."""

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
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from qbwc_server.errors import StoreError


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
        raise StoreError(f"database error: {exc.__class__.__name__}") from exc


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
