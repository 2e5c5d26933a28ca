"""Sessions end on the server: a copy of the cookie taken before sign-out, a new password,
a removed partner or "sign out everywhere" opens nothing afterwards."""

from __future__ import annotations

from typing import Any

from flask import Flask

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.store.web_sessions import LIFETIME
from tests.integration.pages_helpers import (
    ADMIN,
    partners,
    post,
    sign_in_admin,
    sign_in_partner,
)


def copy_of(app: Flask, client: Any) -> Any:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("qbwc_session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("qbwc_session", cookie.value)
    return thief


def test_a_cookie_copied_before_sign_out_opens_nothing_after(
    app: Flask, client: Any, services: Services
) -> None:
    sign_in_admin(client, services)
    thief = copy_of(app, client)
    assert thief.get("/admin/").status_code == 200
    post(client, "/signout")
    assert thief.get("/admin/").status_code == 302


def test_signing_out_ends_only_this_browser(app: Flask, client: Any, services: Services) -> None:
    sign_in_admin(client, services)
    other = app.test_client()
    post(other, "/admin/signin", {"username": ADMIN, "password": "correct horse battery"})
    post(client, "/signout")
    assert other.get("/admin/").status_code == 200


def test_sign_out_everywhere_ends_every_browser_of_that_user_only(
    app: Flask, client: Any, services: Services
) -> None:
    sign_in_admin(client, services)
    other = app.test_client()
    post(other, "/admin/signin", {"username": ADMIN, "password": "correct horse battery"})
    services.admins.add("second-admin", "another long password")
    colleague = app.test_client()
    post(colleague, "/admin/signin",
         {"username": "second-admin", "password": "another long password"})
    assert "Sign out everywhere" in client.get("/admin/").text
    response = post(client, "/signout-everywhere")
    assert response.location == "/admin/signin"
    assert client.get("/admin/").status_code == 302
    assert other.get("/admin/").status_code == 302
    assert colleague.get("/admin/").status_code == 200


def test_a_new_admin_password_ends_its_sessions(
    app: Flask, client: Any, services: Services
) -> None:
    sign_in_admin(client, services)
    services.admins.set_password(ADMIN, "a brand new password")
    assert client.get("/admin/").status_code == 302


def test_a_session_ends_twelve_hours_after_sign_in(
    client: Any, services: Services, clock: FakeClock
) -> None:
    sign_in_admin(client, services)
    clock.advance(LIFETIME.total_seconds() - 1)
    assert client.get("/admin/").status_code == 200
    clock.advance(1)
    assert client.get("/admin/").status_code == 302


def test_removing_a_partner_ends_their_sessions(
    app: Flask, client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    partner, password = partners(app).add("Acme", "ann@acme.example")
    browser = app.test_client()
    sign_in_partner(browser, partner.email, password)
    assert browser.get("/company/Acme").status_code == 200
    sign_in_admin(client, services)
    page = client.get("/admin/companies/Acme").text
    assert f"/admin/companies/Acme/partners/{partner.id}/remove" in page
    response = post(client, f"/admin/companies/Acme/partners/{partner.id}/remove")
    assert response.status_code == 302
    assert "ann@acme.example can no longer sign in" in client.get("/admin/companies/Acme").text
    assert browser.get("/company/Acme").status_code == 302
    assert sign_in_partner(browser, partner.email, password).status_code == 401


def test_a_partner_of_another_company_cannot_be_removed_from_this_one(
    app: Flask, client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    services.companies.add("Beta")
    partner, _ = partners(app).add("Beta", "bob@beta.example")
    sign_in_admin(client, services)
    assert post(client, f"/admin/companies/Acme/partners/{partner.id}/remove").status_code == 404
    assert post(client, f"/admin/companies/Acme/partners/{2**63}/remove").status_code == 404
    assert [p.email for p in partners(app).of_company("Beta")] == ["bob@beta.example"]
