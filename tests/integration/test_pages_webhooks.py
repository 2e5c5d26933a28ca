"""Webhook pages: endpoints per company and for every company, secrets shown once, rotate,
remove after a confirmation, the delivery log and redeliver; CSRF and admins only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.store.companies import company_row
from qbwc_server.store.models import ChangeFeedEntry, WebhookEndpoint
from qbwc_server.webhooks import SendResult, WebhookService
from qbwc_server.webhooks.signing import SecretBox
from tests.integration.pages_helpers import (
    partners,
    post,
    shown_secret,
    sign_in_admin,
    sign_in_partner,
)

HOOK = "https://hooks.example.com/qbwc"


@pytest.fixture
def admin(client: Any, services: Services) -> Any:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    return client


def _stored_secret(services: Services, endpoint_id: int) -> str:
    with services.db.transaction() as session:
        encrypted = session.scalars(select(WebhookEndpoint.secret_encrypted)
                                    .where(WebhookEndpoint.id == endpoint_id)).one()
    return SecretBox(services.settings.secret_key).decrypt(encrypted)


def _answering(status: int, error: str | None = None) -> Any:
    def send(url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        return SendResult(status=status, error=error)
    return send


def _deliver(services: Services, clock: FakeClock, company: str, status: int,
             error: str | None = None) -> None:
    """One change-feed entry of ``company``, and one delivery pass answered with ``status``."""
    with services.db.transaction() as session:
        session.add(ChangeFeedEntry(
            company_id=company_row(session, company).id, record_id=None, kind="invoice",
            change="updated", qb_id="1-1", external_id=None, data=json.dumps({"number": "1"}),
            created_at=clock.now()))
    WebhookService(services.db, clock, services.settings,
                   sender=_answering(status, error)).deliver_due()


def test_an_endpoint_for_every_company_shows_its_secret_once(
    admin: Any, services: Services
) -> None:
    page = admin.get("/admin/webhooks/")
    assert page.status_code == 200
    assert "No endpoint yet" in page.text
    response = post(admin, "/admin/webhooks/endpoints",
                    {"url": HOOK, "description": "Platform", "company": ""})
    assert response.status_code == 200
    secret = shown_secret(response.text)
    assert secret.startswith("whsec_")
    assert "shown only now" in response.text
    assert "docs/webhooks.md" in response.text
    (endpoint,) = services.webhooks.endpoints()
    assert (endpoint.company, endpoint.url, endpoint.description) == (None, HOOK, "Platform")
    assert _stored_secret(services, endpoint.id) == secret
    for path in ("/admin/webhooks/", "/admin/companies/Acme", "/admin/"):
        assert secret not in admin.get(path).text
    listing = admin.get("/admin/webhooks/").text
    assert HOOK in listing
    assert "Platform" in listing
    assert HOOK not in admin.get("/admin/companies/Acme").text  # not Acme's own endpoint


def test_a_companys_own_endpoint_is_on_its_page(admin: Any, services: Services) -> None:
    response = post(admin, "/admin/webhooks/endpoints", {"url": HOOK, "company": "Acme"})
    assert response.status_code == 200
    shown_secret(response.text)
    assert "changes of Acme only" in response.text
    assert [e.url for e in services.webhooks.endpoints("Acme")] == [HOOK]
    assert HOOK in admin.get("/admin/companies/Acme").text
    webhooks_page = admin.get("/admin/webhooks/").text
    assert 'id="company-endpoints"' in webhooks_page
    assert 'id="endpoints"' not in webhooks_page  # none for every company
    assert post(admin, "/admin/webhooks/endpoints",
                {"url": HOOK, "company": "Nobody"}).status_code == 404


@pytest.mark.parametrize("company", ["", "Acme"])
def test_a_bad_url_is_refused_next_to_the_field(
    admin: Any, services: Services, company: str
) -> None:
    response = post(admin, "/admin/webhooks/endpoints",
                    {"url": "http://hooks.example.com/x", "company": company})
    assert response.status_code == 400
    assert 'id="webhook_url-error"' in response.text
    assert "use https://" in response.text
    assert 'value="http://hooks.example.com/x"' in response.text
    assert services.webhooks.endpoints() == []


def test_rotating_shows_a_new_secret_once(admin: Any, services: Services) -> None:
    endpoint, old = services.webhooks.add_endpoint("Acme", HOOK)
    response = post(admin, f"/admin/webhooks/endpoints/{endpoint.id}/secret")
    assert response.status_code == 200
    new = shown_secret(response.text)
    assert new != old
    assert _stored_secret(services, endpoint.id) == new
    assert new not in admin.get("/admin/companies/Acme").text
    assert post(admin, "/admin/webhooks/endpoints/999/secret").status_code == 404


def test_removing_asks_first_then_removes(admin: Any, services: Services) -> None:
    endpoint, _ = services.webhooks.add_endpoint("Acme", HOOK, "Old receiver")
    page = admin.get("/admin/companies/Acme").text
    confirm_path = f"/admin/webhooks/endpoints/{endpoint.id}/remove"
    assert f'href="{confirm_path}"' in page  # a link to a page, not a script
    confirm = admin.get(confirm_path)
    assert confirm.status_code == 200
    assert "Remove this webhook endpoint?" in confirm.text
    assert "Old receiver" in confirm.text
    assert services.webhooks.endpoints("Acme") != []  # asking removes nothing
    done = post(admin, confirm_path)
    assert done.status_code == 302
    assert done.location == "/admin/companies/Acme"
    assert services.webhooks.endpoints() == []
    assert "Removed" in admin.get("/admin/companies/Acme").text
    assert admin.get(confirm_path).status_code == 404

    everyone, _ = services.webhooks.add_endpoint(None, HOOK)
    back = post(admin, f"/admin/webhooks/endpoints/{everyone.id}/remove")
    assert back.location == "/admin/webhooks/"


def test_the_delivery_log_newest_first_and_redeliver(
    admin: Any, services: Services, clock: FakeClock
) -> None:
    services.webhooks.add_endpoint("Acme", HOOK)
    _deliver(services, clock, "Acme", 503, "HTTP 503: receiver is down")
    page = admin.get("/admin/companies/Acme").text
    assert 'id="deliveries"' in page
    assert "invoice updated" in page
    assert "HTTP 503: receiver is down" in page
    (first,) = services.webhooks.deliveries("Acme")
    assert (first.state, first.attempts) == ("pending", 1)

    clock.advance(3600)
    _deliver(services, clock, "Acme", 200)  # the head is retried, then the new one goes
    newest, older = services.webhooks.deliveries("Acme")
    assert (older.id, older.state, newest.state) == (first.id, "delivered", "delivered")
    page = admin.get("/admin/companies/Acme").text
    assert page.index(f"<td class=\"num\">{newest.id}</td>") < page.index(
        f"<td class=\"num\">{older.id}</td>")
    assert "HTTP 200" in page
    assert "delivered" in admin.get("/admin/webhooks/").text  # every company's log

    response = post(admin, f"/admin/webhooks/deliveries/{older.id}/redeliver",
                    {"back": "Acme"})
    assert response.status_code == 302
    assert response.location == "/admin/companies/Acme"
    again = next(d for d in services.webhooks.deliveries("Acme") if d.id == older.id)
    assert (again.state, again.attempts, again.delivered_at) == ("pending", 0, None)
    assert again.next_attempt_at == clock.now()
    assert "will be sent again" in admin.get("/admin/companies/Acme").text
    elsewhere = post(admin, f"/admin/webhooks/deliveries/{older.id}/redeliver",
                     {"back": "//evil.example"})
    assert elsewhere.location == "/admin/webhooks/"
    assert post(admin, "/admin/webhooks/deliveries/999/redeliver").status_code == 404


def test_every_form_needs_the_csrf_token(admin: Any, services: Services,
                                         clock: FakeClock) -> None:
    endpoint, secret = services.webhooks.add_endpoint("Acme", HOOK)
    _deliver(services, clock, "Acme", 500)
    (delivery,) = services.webhooks.deliveries()
    for path, data in (
        ("/admin/webhooks/endpoints", {"url": "https://other.example.com/h"}),
        (f"/admin/webhooks/endpoints/{endpoint.id}/secret", {}),
        (f"/admin/webhooks/endpoints/{endpoint.id}/remove", {}),
        (f"/admin/webhooks/deliveries/{delivery.id}/redeliver", {}),
    ):
        assert admin.post(path, data=data).status_code == 400, path
        assert admin.post(path, data={**data, "csrf_token": "forged"}).status_code == 400, path
    assert [e.url for e in services.webhooks.endpoints()] == [HOOK]
    assert _stored_secret(services, endpoint.id) == secret
    assert services.webhooks.deliveries()[0].attempts == 1


def test_partners_get_403_and_strangers_are_sent_to_sign_in(
    app: Flask, client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    endpoint, _ = services.webhooks.add_endpoint("Acme", HOOK)
    _, password = partners(app).add("Acme", "ann@acme.example")
    stranger = app.test_client()
    assert stranger.get("/admin/webhooks/").status_code == 302
    assert sign_in_partner(client, "ann@acme.example", password).status_code == 302
    assert client.get("/admin/webhooks/").status_code == 403
    assert client.get(f"/admin/webhooks/endpoints/{endpoint.id}/remove").status_code == 403
    for path in ("/admin/webhooks/endpoints", f"/admin/webhooks/endpoints/{endpoint.id}/secret",
                 f"/admin/webhooks/endpoints/{endpoint.id}/remove"):
        assert post(client, path, {"url": HOOK, "company": "Acme"}).status_code == 403, path
    assert [e.id for e in services.webhooks.endpoints()] == [endpoint.id]
    assert HOOK not in client.get("/company/Acme").text
