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


def test_list_names_each_keys_own_company(run) -> None:  # type: ignore[no-untyped-def]
    """`apikey list` tells an operator which company each key reaches, one line per key."""
    run("company", "add", "Acme")
    run("company", "add", "Beta")
    acme = json.loads(run("apikey", "add", "acme-billing", "--company", "Acme", "--json"))
    every = json.loads(run("apikey", "add", "platform", "--json"))
    beta = json.loads(run("apikey", "add", "beta-billing", "--company", "Beta", "--json"))
    listed = json.loads(run("apikey", "list", "--json"))
    assert [(k["prefix"], k["company"]) for k in listed] == [
        (acme["prefix"], "Acme"), (every["prefix"], None), (beta["prefix"], "Beta")]
    lines = run("apikey", "list").splitlines()
    assert [line.split()[:3] for line in lines] == [
        [acme["prefix"], "acme-billing", "Acme"], [every["prefix"], "platform", "(all"],
        [beta["prefix"], "beta-billing", "Beta"]]


def test_list_keeps_creation_order_after_a_revoke(run) -> None:  # type: ignore[no-untyped-def]
    # A revoke rewrites the row; PostgreSQL then scans it after the untouched ones, so only
    # the ORDER BY keeps the list in the order the keys were made.
    first = json.loads(run("apikey", "add", "first", "--json"))
    second = json.loads(run("apikey", "add", "second", "--json"))
    run("apikey", "revoke", first["prefix"])
    listed = json.loads(run("apikey", "list", "--json"))
    assert [k["prefix"] for k in listed] == [first["prefix"], second["prefix"]]


def test_revoke_answers_with_the_keys_company(run) -> None:  # type: ignore[no-untyped-def]
    run("company", "add", "Acme")
    added = json.loads(run("apikey", "add", "billing", "--company", "Acme", "--json"))
    revoked = json.loads(run("apikey", "revoke", added["prefix"], "--json"))
    assert (revoked["prefix"], revoked["company"]) == (added["prefix"], "Acme")
    assert revoked["revoked_at"] is not None


def test_revoking_an_unknown_prefix_names_it(run) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    result = CliRunner().invoke(cli, ["apikey", "revoke", "zzzzzzzz"])
    assert isinstance(result.exception, NotFoundError)
    assert "zzzzzzzz" in str(result.exception)
