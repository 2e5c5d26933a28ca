"""``qbwc-server db upgrade`` on a new and on a current database, and the files it leaves."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from qbwc_server.store.database import alembic_config, make_engine
from qbwc_server.store.models import Base
from tests.conftest import POSTGRES_URL, _schema_url
from tests.installed_cli import run_script

PRIVATE = 0o600


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody has migrated yet: a SQLite file not yet made, or a new schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'qbwc.db'}"
        return
    request.getfixturevalue("_postgres_schema")  # skips with the reason when unreachable
    schema = f"qbwc_empty_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _schema_url(schema)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The common 022 umask, so a private file is private because we made it so."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _upgrade(url: str, tmp_path: Path) -> str:
    result = run_script(["db", "upgrade"], {"QBWC_DATABASE_URL": url,
                                            "QBWC_CONFIG": str(tmp_path / "absent.toml")})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_upgrade_says_what_it_created_then_that_nothing_was_needed(
    empty_database_url: str, tmp_path: Path
) -> None:
    head = ScriptDirectory.from_config(alembic_config(empty_database_url)).get_current_head()
    tables = len(Base.metadata.sorted_tables)
    first = _upgrade(empty_database_url, tmp_path)
    assert "Created " in first
    assert f"the database schema: {tables} tables at revision {head}" in first
    assert "up to date" not in first
    if empty_database_url.startswith("sqlite"):
        assert f"the SQLite file {tmp_path / 'var' / 'qbwc.db'} (readable by its owner only)" \
            in first
    again = _upgrade(empty_database_url, tmp_path)
    assert again.startswith(f"The database schema is up to date at revision {head}")


def test_sqlite_database_and_its_wal_and_shm_files_are_private(
    tmp_path: Path, loose_umask: None
) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'qbwc.db'}"
    _upgrade(url, tmp_path)
    engine = make_engine(url)
    with engine.connect() as conn:  # while a connection is open the -wal and -shm files stay
        conn.execute(text("CREATE TABLE probe (n INTEGER)"))
        conn.execute(text("INSERT INTO probe VALUES (1)"))
        conn.commit()
        files = [tmp_path / "var" / name for name in ("qbwc.db", "qbwc.db-wal", "qbwc.db-shm")]
        modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
    engine.dispose()
    assert modes == dict.fromkeys(modes, PRIVATE)
