"""Sign-in, sessions, CSRF and who may see what, through Flask's test client."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from qbwc_server.app import Services, create_app
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.store.database import Database
from tests.integration.pages_helpers import (
    ADMIN,
    ADMIN_PASSWORD,
    csrf,
    partners,
    post,
    sign_in_admin,
    sign_in_partner,
)
from tests.soap_client import WebConnectorClient


@pytest.mark.parametrize(("url", "signin"), [
    ("/admin/", "/admin/signin?next=/admin/"),  # the console
    ("/admin/companies/Acme", "/admin/signin?next=/admin/companies/Acme"),  # a company
    ("/admin/companies/Acme/qwc", "/admin/signin?next=/admin/companies/Acme/qwc"),  # download
    ("/company/Acme", "/signin?next=/company/Acme"),  # the partner page
    ("/company/Acme/activity", "/signin?next=/company/Acme/activity"),  # its history
])
def test_without_a_session_every_page_sends_you_to_sign_in(
    client: Any, services: Services, url: str, signin: str
) -> None:
    services.companies.add("Acme")
    response = client.get(url)
    assert response.status_code == 302
    assert response.location == signin


def test_admin_sign_in_sets_a_safe_cookie_and_a_new_session(
    client: Any, services: Services
) -> None:
    before = csrf(client)
    sign_in_admin(client, services)
    cookie = client.get_cookie("qbwc_session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure  # http://localhost
    assert csrf(client) != before  # the session was replaced, token and all
    assert client.get("/admin/").status_code == 200

    response = post(client, "/signout")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_the_cookie_is_secure_behind_https(
    settings: Settings, clock: FakeClock, db: Database
) -> None:
    import attrs

    app = create_app(attrs.evolve(settings, public_base_url="https://sync.example.com"),
                     clock=clock, db=db)
    client = app.test_client()
    client.get("/signin")
    cookie = client.get_cookie("qbwc_session")
    assert cookie is not None
    assert cookie.secure


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_post_without_the_right_csrf_token_is_refused(
    client: Any, services: Services, token: str | None
) -> None:
    sign_in_admin(client, services)
    data = {"name": "Evil Co"} if token is None else {"name": "Evil Co", "csrf_token": token}
    response = client.post("/admin/companies", data=data)
    assert response.status_code == 400
    assert "did not come from this site" in response.text
    assert [c.name for c in services.companies.list()] == []


def test_sign_in_forms_need_the_token_too(client: Any, services: Services) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    response = client.post("/admin/signin", data={"username": ADMIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def _admin_sign_in(client: Any, password: str, username: str = ADMIN) -> int:
    return int(post(client, "/admin/signin",
                    {"username": username, "password": password}).status_code)


def _fail(client: Any, times: int, username: str = ADMIN) -> None:
    for _ in range(times):
        assert _admin_sign_in(client, "guess-guess", username) == 401


def test_wrong_passwords_lock_the_name_for_exactly_the_lockout(
    client: Any, services: Services, clock: FakeClock
) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    _fail(client, services.settings.login_max_failures - 1)
    clock.advance(60)
    _fail(client, 1)  # the lock runs from this failure
    locked = post(client, "/admin/signin", {"username": ADMIN, "password": ADMIN_PASSWORD})
    assert locked.status_code == 401
    assert "too many tries" in locked.text
    clock.advance(services.settings.login_lockout_seconds - 1)
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 401
    clock.advance(1)
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 302


def test_failures_add_up_within_the_window_only(
    client: Any, services: Services, clock: FakeClock
) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    _fail(client, services.settings.login_max_failures - 1)
    clock.advance(services.settings.login_lockout_seconds + 1)
    _fail(client, services.settings.login_max_failures - 1)  # a new count: 4 of 5
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 302
    post(client, "/signout")
    _fail(client, services.settings.login_max_failures - 1)
    clock.advance(services.settings.login_lockout_seconds)  # the window's last second
    _fail(client, 1)
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 401


def test_a_right_password_starts_the_count_again(
    client: Any, services: Services
) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    _fail(client, services.settings.login_max_failures - 1)
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 302
    post(client, "/signout")
    _fail(client, services.settings.login_max_failures - 1)
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 302


def test_web_connector_failures_do_not_lock_web_users(
    app: Flask, client: Any, services: Services
) -> None:
    # authenticate with "admin:NAME" once locked the web admin NAME (one shared namespace).
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    _, partner_password = partners(app).add(services.companies.add("Acme")[0].name,
                                            "ann@acme.example")
    wc = WebConnectorClient(client)
    for name in (f"admin:{ADMIN}", ADMIN, "partner:ann@acme.example", "ann@acme.example"):
        for _ in range(services.settings.login_max_failures):
            assert wc.authenticate(name, "guess-guess")[1] == "nvu"
    assert _admin_sign_in(client, ADMIN_PASSWORD) == 302
    assert sign_in_partner(app.test_client(), "ann@acme.example",
                           partner_password).status_code == 302


def test_a_locked_admin_name_does_not_lock_the_partner_of_that_email(
    app: Flask, client: Any, services: Services
) -> None:
    _, partner_password = partners(app).add(services.companies.add("Acme")[0].name,
                                            "ann@acme.example")
    _fail(client, services.settings.login_max_failures, username="ann@acme.example")
    assert sign_in_partner(client, "ann@acme.example", partner_password).status_code == 302


def test_sign_in_only_follows_local_next_links(client: Any, services: Services) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    response = post(client, "/admin/signin?next=//evil.example/x",
                    {"username": ADMIN, "password": ADMIN_PASSWORD})
    assert response.location == "/admin/"


def _two_partners(app: Flask, services: Services) -> tuple[str, str]:
    services.companies.add("Acme")
    services.companies.add("Beta")
    _, password_a = partners(app).add("Acme", "ann@acme.example")
    partners(app).add("Beta", "bob@beta.example")
    return "ann@acme.example", password_a


def test_a_partner_sees_only_their_own_company(
    app: Flask, client: Any, services: Services
) -> None:
    email, password = _two_partners(app, services)
    response = sign_in_partner(client, email, password)
    assert response.status_code == 302
    assert response.location == "/company/Acme"
    assert client.get("/company/Acme").status_code == 200
    assert client.get("/company/Beta").status_code == 404
    assert client.get("/company/Beta/activity").status_code == 404
    assert client.get("/company/Nowhere").status_code == 404
    before = services.sync.profile("Beta")
    assert post(client, "/company/Beta/settings", {"sync_after": "2025-01-01"}).status_code == 404
    assert post(client, "/company/Beta/sync-now").status_code == 404
    assert post(client, "/company/Beta/retry",
                {"kind": "payment", "external_id": "P-1"}).status_code == 404
    assert services.sync.profile("Beta") == before


@pytest.mark.parametrize("url", ["/admin/", "/admin/companies/Acme",
                                 "/admin/companies/Acme/qwc"])
def test_a_partner_cannot_reach_admin_pages(
    app: Flask, client: Any, services: Services, url: str
) -> None:
    email, password = _two_partners(app, services)
    sign_in_partner(client, email, password)
    assert client.get(url).status_code == 403
    assert post(client, "/admin/companies/Acme/password").status_code == 403


def test_admins_may_open_every_partner_page(client: Any, services: Services) -> None:
    services.companies.add("Acme")
    services.companies.add("Beta")
    sign_in_admin(client, services)
    assert client.get("/company/Acme").status_code == 200
    assert client.get("/company/Beta/activity").status_code == 200


def test_a_wrong_partner_password_is_refused_and_says_nothing_more(
    app: Flask, client: Any, services: Services
) -> None:
    email, _ = _two_partners(app, services)
    for login in (email, "nobody@acme.example"):
        response = sign_in_partner(client, login, "guess-guess-guess")
        assert response.status_code == 401
        assert "Wrong email or password" in response.text


def test_pages_send_protective_headers(client: Any) -> None:
    response = client.get("/signin")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
