"""The admin console: companies, passwords shown once, cadence, pause, partner access, invites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.security import verify_password
from qbwc_server.store.models import Company
from tests.integration.pages_helpers import (
    csrf,
    partners,
    post,
    shown_secret,
    sign_in_admin,
    sign_in_partner,
)


def _password_hash(services: Services, name: str) -> str:
    with services.db.transaction() as session:
        return session.scalars(select(Company.password_hash).where(Company.name == name)).one()


def test_adding_a_company_shows_its_password_once(client: Any, services: Services) -> None:
    sign_in_admin(client, services)
    response = post(client, "/admin/companies", {"name": "Acme Corp", "cadence": "10"})
    assert response.status_code == 200
    password = shown_secret(response.text)
    assert "shown only now" in response.text
    assert verify_password(password, _password_hash(services, "Acme Corp"))
    view = services.companies.get("Acme Corp")
    assert view.cadence_minutes == 10
    for page in ("/admin/", "/admin/companies/Acme Corp"):
        assert password not in client.get(page).text
    listing = client.get("/admin/").text
    assert "Acme Corp" in listing
    assert "waiting" in listing


def test_a_bad_company_is_refused_with_the_reason_next_to_the_field(
    client: Any, services: Services
) -> None:
    sign_in_admin(client, services)
    services.companies.add("Acme")
    taken = post(client, "/admin/companies", {"name": "Acme"})
    assert taken.status_code == 400
    assert "already exists" in taken.text
    bad = post(client, "/admin/companies", {"name": "New", "cadence": "0"})
    assert bad.status_code == 400
    assert "between 1 and 1440" in bad.text
    assert [c.name for c in services.companies.list()] == ["Acme"]


def test_rotating_shows_a_new_password_and_the_old_one_stops(
    client: Any, services: Services
) -> None:
    sign_in_admin(client, services)
    _, old = services.companies.add("Acme")
    response = post(client, "/admin/companies/Acme/password")
    new = shown_secret(response.text)
    assert new != old
    stored = _password_hash(services, "Acme")
    assert verify_password(new, stored)
    assert not verify_password(old, stored)


def test_the_qwc_download_is_the_companys_qwc(client: Any, services: Services) -> None:
    services.companies.add("Web Co")
    sign_in_admin(client, services)
    response = client.get("/admin/companies/Web Co/qwc")
    assert response.status_code == 200
    assert response.data.decode() == services.companies.qwc("Web Co")
    assert 'filename="Web-Co.qwc"' in response.headers["Content-Disposition"]
    assert client.get("/admin/companies/Nope/qwc").status_code == 404


def test_cadence_and_pause(client: Any, services: Services) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    assert post(client, "/admin/companies/Acme/cadence", {"cadence": "15"}).status_code == 302
    assert services.companies.get("Acme").cadence_minutes == 15
    # words, a superscript 2, an Arabic-Indic 3 and 5,000 digits are not minutes
    for odd in ("soon", "²", "٣", "9" * 5000):
        bad = post(client, "/admin/companies/Acme/cadence", {"cadence": odd})
        assert bad.status_code == 400
        assert "whole minutes" in bad.text
        assert services.companies.get("Acme").cadence_minutes == 15

    post(client, "/admin/companies/Acme/pause", {"paused": "1"})
    assert services.companies.get("Acme").is_paused
    assert "paused" in client.get("/admin/").text
    assert "Resume" in client.get("/admin/companies/Acme").text
    post(client, "/admin/companies/Acme/pause", {"paused": "0"})
    assert not services.companies.get("Acme").is_paused


def test_sync_now(client: Any, services: Services) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    post(client, "/admin/companies/Acme/sync-now")
    with services.db.transaction() as session:
        assert session.scalars(select(Company.sync_requested)).one() is True


def test_a_partner_sign_in_with_a_generated_password(
    app: Flask, client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    response = post(client, "/admin/companies/Acme/partners",
                    {"email": "Ann@Acme.example", "how": "password"})
    password = shown_secret(response.text)
    assert "ann@acme.example" in response.text
    assert password not in client.get("/admin/companies/Acme").text
    again = post(client, "/admin/companies/Acme/partners",
                 {"email": "ann@acme.example", "how": "password"})
    assert again.status_code == 400
    assert "already has a sign-in" in again.text

    partner = app.test_client()
    assert sign_in_partner(partner, "ann@acme.example", password).location == "/company/Acme"


def test_an_invite_link_works_once(app: Flask, client: Any, services: Services) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    response = post(client, "/admin/companies/Acme/partners", {"email": "", "how": "invite"})
    link = shown_secret(response.text)
    assert link.startswith("http://localhost:8080/invite/")
    path = link.removeprefix("http://localhost:8080")
    assert link not in client.get("/admin/companies/Acme").text

    partner = app.test_client()
    page = partner.get(path)
    assert page.status_code == 200
    assert "Set up your sign-in for Acme" in page.text
    short = post(partner, path, {"email": "ann@acme.example", "password": "short",
                                 "confirm": "short"})
    assert short.status_code == 400
    assert "at least 12 characters" in short.text
    differ = post(partner, path, {"email": "ann@acme.example", "password": "a" * 12,
                                  "confirm": "b" * 12})
    assert differ.status_code == 400
    assert "differ" in differ.text
    done = post(partner, path, {"email": "ann@acme.example", "password": "a long passphrase",
                                "confirm": "a long passphrase"})
    assert done.status_code == 302
    assert done.location == "/company/Acme"
    assert partner.get("/company/Acme").status_code == 200

    other = app.test_client()
    used = post(other, path, {"email": "eve@evil.example", "password": "a long passphrase",
                              "confirm": "a long passphrase"})
    assert used.status_code == 404
    assert "used already" in used.text
    assert other.get(path).status_code == 404
    assert [p.email for p in partners(app).of_company("Acme")] == ["ann@acme.example"]


def test_an_invite_expires_after_seven_days(
    app: Flask, client: Any, services: Services, clock: FakeClock
) -> None:
    services.companies.add("Acme")
    _, token = partners(app).invite("Acme")
    clock.advance(timedelta(days=7).total_seconds())
    response = client.get(f"/invite/{token}")
    assert response.status_code == 404
    assert "expired" in response.text
    refused = post(client, f"/invite/{token}", {"email": "ann@acme.example",
                                                "password": "a long passphrase",
                                                "confirm": "a long passphrase"})
    assert refused.status_code == 404
    assert partners(app).of_company("Acme") == []


def test_an_invite_for_an_email_is_for_that_email_only(
    app: Flask, client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    _, token = partners(app).invite("Acme", "ann@acme.example")
    csrf(client)
    response = post(client, f"/invite/{token}", {"email": "eve@evil.example",
                                                 "password": "a long passphrase",
                                                 "confirm": "a long passphrase"})
    assert response.status_code == 400
    assert "This invite is for ann@acme.example" in response.text
    assert client.get(f"/invite/{token}").status_code == 200  # still usable by Ann


def test_unknown_invite_tokens_are_refused(client: Any) -> None:
    response = client.get("/invite/0123456789abcdef0123456789abcdef")
    assert response.status_code == 404
    assert "not valid" in response.text


def test_the_cli_prints_a_working_invite_link(
    app: Flask, client: Any, services: Services, database_url: str, tmp_path: Any,
    monkeypatch: Any
) -> None:
    from click.testing import CliRunner

    from qbwc_server.cli import cli

    services.companies.add("Acme")
    monkeypatch.setenv("QBWC_DATABASE_URL", database_url)
    monkeypatch.setenv("QBWC_SCRYPT_N", "1024")
    monkeypatch.setenv("QBWC_CONFIG", str(tmp_path / "absent.toml"))
    result = CliRunner().invoke(cli, ["partner", "invite", "Acme", "--email", "ann@acme.example"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("http://localhost:8080/invite/")
    page = client.get(link.removeprefix("http://localhost:8080"))
    assert page.status_code == 200
    assert 'value="ann@acme.example"' in page.text
