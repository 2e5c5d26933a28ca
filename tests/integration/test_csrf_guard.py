"""Every state-changing route refuses a missing or forged CSRF token: generated from the
app's route table, so a new form is covered the day it is added.

Each unsafe route (POST, PUT, PATCH, DELETE) is either in :data:`EXEMPT` with the reason it
needs no token, or it is requested here, signed in as an admin, with a form that would
change the store: without the token and with a forged one it answers 400 with the
"did not come from this site" page, and the store is exactly as it was. With the session's
token the same request gets past the check, which shows the refusal came from the token.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any

import pytest
from flask import Blueprint, Flask
from sqlalchemy import select, update

from mappers import EntityRef, Payment
from qbwc_server.app import Services, create_app
from qbwc_server.clock import FakeClock
from qbwc_server.pages import csrf as pages_csrf
from qbwc_server.store.companies import company_row
from qbwc_server.store.models import Base, ChangeFeedEntry, SyncRecord
from qbwc_server.webhooks import SendResult, WebhookService
from tests.integration.pages_helpers import csrf, partners, sign_in_admin
from tests.logs import assert_no_traceback

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = "did not come from this site"

#: Unsafe routes that take no CSRF token, and why none is needed.
EXEMPT = {
    "qbwc.soap": "the Web Connector's SOAP calls carry no cookie: authenticate checks the "
                 "password and every later call its ticket, both in the body",
    "api.*": "the REST API authenticates each request by its bearer API key, which a "
             "browser never adds to a cross-site request; it sets and reads no cookie",
}

#: A form per route that changes the store when the token is right (the refusal must leave
#: it unchanged); routes not listed are posted with no fields.
FORMS: dict[str, dict[str, str]] = {
    "admin.add_company": {"name": "Evil Co"},
    "admin.set_cadence": {"cadence": "60"},
    "admin.add_partner": {"email": "eve@evil.example", "how": "invite"},
    "admin.set_paused": {"paused": "1"},
    "auth.signout_everywhere": {},  # ends the admin's session rows
    "admin.remove_partner": {},  # removes the partner
    "auth.invite": {"email": "eve@evil.example", "password": "correct horse battery 2",
                    "confirm": "correct horse battery 2"},
    "partner.save_settings": {"payment_account": "", "deposit_account": "",
                              "sync_after": "2025-06-01",
                              **{f"direction_{kind}": "off" for kind in (
                                  "account", "item", "customer", "invoice", "payment",
                                  "deposit", "estimate", "credit_memo")}},
    "partner.retry": {"kind": "payment", "external_id": "P-1"},
    "webhooks.add_endpoint": {"url": "https://evil.example/hook"},
}


def _exempt(endpoint: str) -> bool:
    return endpoint in EXEMPT or endpoint.split(".")[0] + ".*" in EXEMPT


def _route_table() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every unsafe route that is not exempt."""
    app = create_app({"database_url": "sqlite://", "secret_key": "t" * 40})
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in sorted((rule.methods or set()) & UNSAFE)
                  if not _exempt(rule.endpoint))


ROUTES = _route_table()


def test_every_exemption_names_a_real_route() -> None:
    app = create_app({"database_url": "sqlite://", "secret_key": "t" * 40})
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    prefixes = {endpoint.split(".")[0] + ".*" for endpoint in endpoints}
    assert set(EXEMPT) <= endpoints | prefixes
    assert set(FORMS) <= {endpoint for endpoint, _, _ in ROUTES}
    assert len(ROUTES) >= 15  # the table was read, not an empty app


def _snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    with services.db.transaction() as session:
        return {table.name: sorted(map(tuple, session.execute(select(table))), key=repr)
                for table in Base.metadata.sorted_tables}


def _seed(app: Flask, services: Services, clock: FakeClock) -> dict[str, str]:
    """A company with a failed payment, a webhook endpoint with a delivery and an invite;
    the values of the URL parameters that name them."""
    services.companies.add("Acme")
    services.sync.submit("Acme", "payment", Payment(
        external_id="P-1", customer=EntityRef(name="Ada"), amount=Decimal("5.00")))
    with services.db.transaction() as session:
        session.execute(update(SyncRecord).values(push_state="failed", push_error="refused"))
    endpoint, _ = services.webhooks.add_endpoint("Acme", "https://hooks.example.com/qbwc")
    with services.db.transaction() as session:
        session.add(ChangeFeedEntry(
            company_id=company_row(session, "Acme").id, record_id=None, kind="invoice",
            change="updated", qb_id="1-1", external_id=None, data=json.dumps({}),
            created_at=clock.now()))
    WebhookService(services.db, clock, services.settings,
                   sender=lambda url, body, headers: SendResult(status=500, error=None)
                   ).deliver_due()
    (delivery,) = services.webhooks.deliveries()
    _, token = partners(app).invite("Acme")
    partner, _ = partners(app).add("Acme", "pat@acme.example")
    return {"name": "Acme", "endpoint_id": str(endpoint.id),
            "delivery_id": str(delivery.id), "token": token, "partner_id": str(partner.id)}


def _url(rule: str, values: dict[str, str]) -> str:
    url = rule
    for part in rule.split("<")[1:]:
        spec = part.split(">")[0]
        name = spec.split(":")[-1]
        assert name in values, f"{rule}: no sample value for <{spec}>; add one to _seed"
        url = url.replace(f"<{spec}>", values[name])
    return url


@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES,
                         ids=[f"{endpoint}-{method}" for endpoint, method, _ in ROUTES])
def test_a_missing_or_forged_csrf_token_is_refused_and_changes_nothing(
    app: Flask, client: Any, services: Services, clock: FakeClock, endpoint: str,
    method: str, rule: str, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = _url(rule, _seed(app, services, clock))
    sign_in_admin(client, services)
    token = csrf(client)
    form = FORMS.get(endpoint, {})
    before = _snapshot(services)
    for sent in (form, {**form, "csrf_token": "forged-" + token[7:]}):
        response = client.open(url, method=method, data=sent)
        assert response.status_code == 400, (url, response.status_code)
        assert REFUSED in response.text
        assert _snapshot(services) == before, url
    assert_no_traceback(caplog.records)
    accepted = client.open(url, method=method, data={**form, "csrf_token": token})
    assert REFUSED not in accepted.text, url
    if endpoint in FORMS:
        assert _snapshot(services) != before, f"{url}: the sample form changed nothing"


def test_a_blueprint_added_later_is_guarded_by_protect_alone() -> None:
    """The pages' blueprints are wrapped in ``protect`` when their modules load, before any
    test runs; a blueprint wrapped here shows that the wrapping itself installs the check."""
    blueprint = pages_csrf.protect(Blueprint("later", __name__))

    @blueprint.route("/later", methods=["GET", "POST"])
    def later() -> str:
        return pages_csrf.token()

    app = Flask(__name__)
    app.secret_key = "test only"
    app.register_blueprint(blueprint)
    client = app.test_client()
    token = client.get("/later").get_data(as_text=True)
    forged = client.post("/later", data={pages_csrf.FIELD: "forged"})
    assert forged.status_code == 400
    assert REFUSED in forged.get_data(as_text=True)
    assert client.post("/later", data={pages_csrf.FIELD: token}).status_code == 200
