"""Webhook endpoints aimed at this machine or the private network (server-side request
forgery): refused when added, from the admin page as from the CLI, and refused again when
delivering, after DNS, so a name that comes to resolve to a private address (DNS rebinding)
sends nothing. Every refusal here happens before any connection is attempted."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from qbwc_server.app import Services, create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import ChangeFeedEntry
from qbwc_server.webhooks import PENDING, HttpSender, PrivateAddressError
from tests.hostile.conftest import assert_no_traceback, row_counts
from tests.integration.pages_helpers import post, sign_in_admin

PRIVATE_URLS = [
    "http://localhost:8000/hook",                 # once allowed for development
    "https://localhost/hook",
    "https://app.localhost/hook",                 # *.localhost is this machine too
    "https://127.0.0.1/hook",
    "https://127.1/hook",                         # short form of 127.0.0.1
    "https://2130706433/hook",                    # 127.0.0.1 as one number
    "https://0x7f.0.0.1/hook",                    # hexadecimal
    "https://0.0.0.0/hook",                       # "this host"
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",            # IPv4 written as IPv6
    "https://10.0.0.5/hook",                      # private networks
    "https://172.16.0.1/hook",
    "https://192.168.1.1/hook",
    "https://[fd00::1]/hook",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "https://[fe80::1]/hook",
    "https://100.64.0.1/hook",                    # carrier-grade NAT
    "https://224.0.0.1/hook",                     # multicast
]


@pytest.fixture
def app(settings: Settings, clock: FakeClock, db: Database) -> Flask:
    assert not settings.webhooks_allow_private  # the default
    return create_app(settings, clock=clock, db=db)


@pytest.fixture
def services(app: Flask) -> Services:
    services = services_of(app)
    services.companies.add("Acme")
    return services


@pytest.fixture
def no_connection(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Records every connection the code under test tries (and makes none)."""
    tried: list[Any] = []

    def refuse(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        tried.append(address)
        raise OSError("test: no connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return tried


@pytest.fixture
def quiet_store(services: Services, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    before = row_counts(services)
    yield
    assert row_counts(services) == before
    assert_no_traceback(caplog.records)


@pytest.mark.usefixtures("quiet_store")
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_private_endpoint_is_refused_when_added(services: Services, url: str,
                                                  no_connection: list[Any]) -> None:
    with pytest.raises(PrivateAddressError, match="QBWC_WEBHOOKS_ALLOW_PRIVATE"):
        services.webhooks.add_endpoint("Acme", url)
    assert no_connection == []


def test_the_admin_page_refuses_a_private_endpoint_next_to_the_field(
        app: Flask, services: Services, caplog: pytest.LogCaptureFixture) -> None:
    admin = app.test_client()
    sign_in_admin(admin, services)
    before = row_counts(services)
    response = post(admin, "/admin/webhooks/endpoints",
                    {"url": "https://169.254.169.254/latest/meta-data/", "company": "Acme"})
    assert response.status_code == 400
    assert 'id="webhook_url-error"' in response.text
    assert "not a public address" in response.text
    assert row_counts(services) == before
    assert_no_traceback(caplog.records)


def test_the_operator_may_allow_private_endpoints(settings: Settings) -> None:
    from qbwc_server.config import load_settings

    allowed = load_settings({"database_url": settings.database_url,
                             "secret_key": settings.secret_key},
                            environ={"QBWC_WEBHOOKS_ALLOW_PRIVATE": "1"},
                            config_file=None)
    assert allowed.webhooks_allow_private


def _change(services: Services, clock: FakeClock) -> None:
    with services.db.transaction() as session:
        session.add(ChangeFeedEntry(
            company_id=company_row(session, "Acme").id, record_id=None, kind="customer",
            change="created", qb_id="1-1", external_id=None, data=json.dumps({"name": "A"}),
            created_at=clock.now()))


def test_a_name_that_resolves_to_a_private_address_is_not_sent_to(
        services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        no_connection: list[Any]) -> None:
    # Public-looking when added; the DNS answer at delivery is loopback (rebinding).
    services.webhooks.add_endpoint("Acme", "https://rebind.example/hook")
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))])
    _change(services, clock)
    assert services.webhooks.deliver_due() == 1
    assert no_connection == []
    [delivery] = services.webhooks.deliveries()
    assert delivery.state == PENDING  # retried later, in case the name is fixed
    assert delivery.last_status is None
    assert "rebind.example resolves to 127.0.0.1, which is not a public address" in (
        delivery.last_error or "")
    assert "QBWC_WEBHOOKS_ALLOW_PRIVATE" in (delivery.last_error or "")


def test_the_connection_goes_to_the_address_that_was_checked(
        monkeypatch: pytest.MonkeyPatch, no_connection: list[Any]) -> None:
    # The first answer is public, any later one private: only the first is ever asked for,
    # and the socket connects to it, so a second lookup cannot redirect the POST.
    answers = iter(["93.184.216.34", "127.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))])
    result = HttpSender(timeout=1)("https://pinned.example/hook", b"{}", {})
    assert no_connection == [("93.184.216.34", 443)]
    assert result.status is None
    assert next(answers) == "127.0.0.1"  # asked once


def test_an_address_in_the_url_is_checked_again_when_delivering(
        no_connection: list[Any]) -> None:
    # An endpoint stored while private addresses were allowed, then the setting turned off.
    result = HttpSender(timeout=1)("http://127.0.0.1:9/hook", b"{}", {})
    assert result.status is None
    assert "not a public address" in (result.error or "")
    assert no_connection == []
