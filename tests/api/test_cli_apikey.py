"""qbwc-server apikey add / list / revoke."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbwc_server.api import ApiKeyService
from qbwc_server.cli import cli
from qbwc_server.clock import SystemClock
from qbwc_server.errors import NotFoundError
from qbwc_server.store.database import Database


@pytest.fixture
def run(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The CLI against this test's database (as in tests/integration/test_cli.py)."""
    monkeypatch.setenv("QBWC_DATABASE_URL", database_url)
    monkeypatch.setenv("QBWC_CONFIG", str(tmp_path / "absent.toml"))

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_add_list_revoke(run, db: Database) -> None:  # type: ignore[no-untyped-def]
    run("company", "add", "Acme")
    added = json.loads(run("apikey", "add", "billing", "--company", "Acme", "--json"))
    assert added["key"].startswith(f"qbwc_{added['prefix']}_")
    assert added["company"] == "Acme"
    keys = ApiKeyService(db, SystemClock())
    assert keys.authenticate(added["key"]) is not None
    listed = json.loads(run("apikey", "list", "--json"))
    assert [(k["prefix"], k["name"], k["revoked_at"]) for k in listed] == [
        (added["prefix"], "billing", None)]
    assert added["key"] not in run("apikey", "list")
    assert "revoked" in run("apikey", "revoke", added["prefix"])
    assert keys.authenticate(added["key"]) is None
    assert json.loads(run("apikey", "list", "--json"))[0]["revoked_at"] is not None


def test_human_output_shows_the_key_once(run) -> None:  # type: ignore[no-untyped-def]
    out = run("apikey", "add", "platform")
    assert "qbwc_" in out
    assert "shown only now" in out
    assert "all companies" in out


def test_unknown_company_or_prefix_fail(run) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    for args in (("apikey", "revoke", "zzzzzzzz"), ("apikey", "add", "x", "--company", "No")):
        result = CliRunner().invoke(cli, list(args))  # the environment run() set up
        assert isinstance(result.exception, NotFoundError), result.output
