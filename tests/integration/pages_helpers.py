"""Helpers for the page tests: sign in, post forms with (or without) the CSRF token."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.pages.partners import PartnerService
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from qbwc_server.store.models import SyncRecord

ADMIN, ADMIN_PASSWORD = "root", "correct horse battery"
_SECRET_RE = re.compile(r'id="secret">([^<]+)<')


def csrf(client: Any) -> str:
    """This test client's CSRF token (a page visit creates it)."""
    with client.session_transaction() as session:
        token = session.get("csrf")
    if token is None:
        client.get("/signin")
        with client.session_transaction() as session:
            token = session["csrf"]
    assert isinstance(token, str)
    return token


def post(client: Any, url: str, data: dict[str, str] | None = None, **kwargs: Any) -> Any:
    """POST a form the way the page does: with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf(client), **(data or {})}, **kwargs)


def sign_in_admin(client: Any, services: Services) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    response = post(client, "/admin/signin", {"username": ADMIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, response.text


def sign_in_partner(client: Any, email: str, password: str) -> Any:
    return post(client, "/signin", {"email": email, "password": password})


def partners(app: Flask) -> PartnerService:
    service = app.extensions["qbwc_pages"]
    assert isinstance(service, PartnerService)
    return service


def shown_secret(html: str) -> str:
    match = _SECRET_RE.search(html)
    assert match, "no secret on the page"
    return match.group(1)


def deactivate(services: Services, kind: str, name: str) -> None:
    """What the next pull stores when someone makes an account or item inactive in QuickBooks."""
    with services.db.transaction() as session:
        for row in session.scalars(select(SyncRecord).where(SyncRecord.kind == kind,
                                                            SyncRecord.label == name)):
            row.data = json.dumps({**json.loads(row.data), "is_active": False})


def run_session(app: Flask, services: Services, clock: FakeClock, quickbooks: SimulatedCompany,
                company: str) -> SessionResult:
    """One simulated Web Connector session for ``company`` (its password is rotated)."""
    password = services.companies.rotate_password(company)
    wc = SimulatedWebConnector.over(
        WsgiTransport(app), quickbooks,
        WebConnectorSettings(username=services.companies.get(company).username,
                             password=password),
        sleep=lambda seconds: None)
    return wc.run_session()
