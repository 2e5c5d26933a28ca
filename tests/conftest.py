"""Shared fixtures: a store on SQLite and on PostgreSQL, a fake clock, the app, a SOAP client."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings, load_settings
from qbwc_server.store.database import Database, make_engine, upgrade
from qbwc_server.store.models import Base

POSTGRES_URL = os.environ.get(
    "QBWC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("QBWC_TEST_REQUIRE_POSTGRES") == "1"
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to this machine only."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host not in _LOOPBACK:
            raise OSError(f"test tried to reach {host}; tests stay on loopback")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "qbwc.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[str]:
    schema = f"qbwc_test_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc.orig}"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    url = _schema_url(schema)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _schema_url(schema: str) -> str:
    joiner = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database; every store test runs once per engine."""
    yield from _fresh_database(request, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database shared by one module's tests, each with its own company
    (for long parametrized matrices, where a fresh app and store per row would dominate)."""
    yield from _fresh_database(request, tmp_path_factory.mktemp("module-db"))


def _fresh_database(request: pytest.FixtureRequest, directory: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = directory / "qbwc.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("_postgres_schema")
    yield url
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(make_engine(database_url))
    yield database
    database.engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path)


def settings_for(database_url: str, directory: Path) -> Settings:
    """Test settings on ``database_url``: cheap password hashing, a fixed secret key."""
    return load_settings(
        {"database_url": database_url, "scrypt_n": 1024, "secret_key": "t" * 40},
        environ={},
        config_file=directory / "absent.toml",
    )


@pytest.fixture
def scrypt_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stored hashes the password gate ran scrypt against, in order (the served apps of
    the tests run in this process)."""
    from qbwc_server import password_gate

    ran: list[str] = []
    real = password_gate.verify_password

    def counting(password: str, stored: str) -> bool:
        ran.append(stored)
        return real(password, stored)

    monkeypatch.setattr(password_gate, "verify_password", counting)
    return ran
