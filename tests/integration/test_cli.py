"""The qbwc-server command line, against a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from sqlalchemy import update

from qbwc_server.cli import cli
from qbwc_server.store.database import Database, make_engine
from qbwc_server.store.models import Company


@pytest.fixture
def run(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QBWC_DATABASE_URL", database_url)
    monkeypatch.setenv("QBWC_SCRYPT_N", "1024")
    monkeypatch.setenv("QBWC_CONFIG", str(tmp_path / "absent.toml"))
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True) -> str:
        result = runner.invoke(cli, list(args), catch_exceptions=not ok)
        if ok:
            assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_company_lifecycle_from_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    added = json.loads(run("company", "add", "Acme Corp", "--cadence", "10", "--json"))
    assert added["username"] == "acme-corp"
    assert len(added["password"]) >= 20
    listed = json.loads(run("company", "list", "--json"))
    assert [(c["name"], c["status"], c["cadence_minutes"]) for c in listed] == [
        ("Acme Corp", "waiting", 10)
    ]
    qwc = etree.fromstring(run("company", "qwc", "Acme Corp").encode())
    assert qwc.findtext("UserName") == "acme-corp"
    assert qwc.findtext("Scheduler/RunEveryNMinutes") == "10"
    rotated = json.loads(run("company", "password", "Acme Corp", "--rotate", "--json"))
    assert rotated["password"] != added["password"]
    ping = json.loads(run("company", "ping", "Acme Corp", "--json"))
    assert ping["state"] == "queued"
    assert json.loads(run("company", "list", "--json"))[0]["queued"] == 1
    assert "will sync" in run("company", "sync-now", "Acme Corp")


def test_human_output_shows_the_password_once_with_guidance(run) -> None:  # type: ignore[no-untyped-def]
    out = run("company", "add", "Beta")
    assert "Password:" in out
    assert "shown only now" in out
    assert "Beta" in run("company", "list")


def test_password_without_rotate_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    run("company", "add", "Gamma")
    assert "--rotate" in run("company", "password", "Gamma", ok=False)


def test_demo_prepares_company_and_admin_with_fresh_passwords(run) -> None:  # type: ignore[no-untyped-def]
    first = run("demo")
    second = run("demo")
    assert "Demo Company" in run("company", "list")
    password_line = [line for line in first.splitlines() if "Web Connector password" in line]
    assert password_line
    assert password_line[0] not in second


def test_errors_are_one_clear_line_and_exit_1(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "QBWC_DATABASE_URL": database_url, "QBWC_SCRYPT_N": "1024",
           "QBWC_CONFIG": str(tmp_path / "absent.toml")}
    exe = Path(sys.executable).with_name("qbwc-server")
    result = subprocess.run([str(exe), "company", "qwc", "No Such Co"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no company named 'No Such Co'"


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for args in (["--help"], ["serve", "--help"], ["db", "upgrade", "--help"],
                 ["company", "add", "--help"], ["company", "list", "--help"],
                 ["company", "qwc", "--help"], ["company", "password", "--help"],
                 ["company", "ping", "--help"], ["admin", "add", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, args
        assert "Usage:" in result.output


def test_init_writes_a_secret_key_once(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "var" / "qbwc.toml"
    first = runner.invoke(cli, ["init", "--config-file", str(target)])
    assert first.exit_code == 0, first.output
    text = target.read_text()
    assert 'secret_key = "' in text
    assert target.stat().st_mode & 0o077 == 0  # readable by its owner only
    again = runner.invoke(cli, ["init", "--config-file", str(target)])
    assert "left as it is" in again.output
    assert target.read_text() == text


def test_the_app_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    from qbwc_server.app import create_app
    from qbwc_server.config import load_settings
    from qbwc_server.errors import ConfigError

    settings = load_settings({"database_url": f"sqlite:///{tmp_path}/x.db"}, environ={},
                             config_file=tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="QBWC_SECRET_KEY"):
        create_app(settings)
    with pytest.raises(ConfigError, match="at least 32"):
        load_settings({"secret_key": "short"}, environ={}, config_file=tmp_path / "absent.toml")


def test_the_cli_and_the_api_write_times_the_same_way(run, database_url: str,
                                                       tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qbwc_server.app import create_app
    from tests.conftest import settings_for

    run("company", "add", "Acme Corp")
    key = json.loads(run("apikey", "add", "billing", "--json"))["key"]
    contact = datetime(2026, 12, 1, 21, 5, 54, 120000, tzinfo=UTC)
    db = Database(make_engine(database_url))
    with db.transaction() as session:
        session.execute(update(Company).values(last_contact_at=contact, last_sync_at=contact))
    api = create_app(settings_for(database_url, tmp_path), db=db).test_client()
    from_api = api.get("/api/v1/companies/Acme%20Corp",
                       headers={"Authorization": f"Bearer {key}"}).get_json()
    from_cli = json.loads(run("company", "list", "--json"))[0]
    db.engine.dispose()
    assert from_cli["last_contact_at"] == from_api["last_contact_at"] \
        == "2026-12-01T21:05:54.120000+00:00"
    assert "last sync 2026-12-01 21:05 UTC" in run("company", "list")
    invite = json.loads(run("partner", "invite", "Acme Corp", "--json"))
    assert datetime.fromisoformat(invite["expires_at"]).tzinfo is not None
    assert "T" in invite["expires_at"]


def test_apikey_add_key_only_prints_just_the_key_for_scripts(run) -> None:  # type: ignore[no-untyped-def]
    key = run("apikey", "add", "billing", "--key-only").strip()
    assert key.startswith("qbwc_")
    assert len(key.split()) == 1
    refused = CliRunner().invoke(cli, ["apikey", "add", "x", "--key-only", "--json"])
    assert refused.exit_code == 2
    assert "not both" in refused.output
