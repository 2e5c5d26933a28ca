from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from qbwc_server.app import Services, create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.security import hash_password
from qbwc_server.serving import BackgroundServer
from qbwc_server.store.database import Database
from qbwc_server.store.models import Company
from qbwc_server.store.queue import QueueItem
from qbwc_server.sync.profile import KINDS
from tests.soap_client import WebConnectorClient


@pytest.fixture
def app(settings: Settings, clock: FakeClock, db: Database) -> Flask:
    return create_app(settings, clock=clock, db=db)


@pytest.fixture
def services(app: Flask) -> Services:
    return services_of(app)


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture
def wc(client: Any) -> WebConnectorClient:
    return WebConnectorClient(client)


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The app served by waitress on a free loopback port, as in production."""
    with BackgroundServer(app) as server:
        yield server.url


def queue_only(services: Services, company: str) -> None:
    """Switch every record type off: the company only runs what is queued by hand."""
    services.sync.configure(company, directions={kind: "off" for kind in KINDS})


def queue_customer_add(services: Services, company: str) -> QueueItem:
    """Queue a hand-made CustomerAdd (requestID w1): a write, so a lost answer makes it unknown."""
    return services.companies.enqueue(
        company, purpose="customer add", is_write=True,
        request_xml='<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
                    '<CustomerAddRq requestID="w1"><CustomerAdd><Name>A</Name></CustomerAdd>'
                    "</CustomerAddRq></QBXMLMsgsRq></QBXML>",
    )


def set_password(db: Database, username: str, password: str) -> None:
    """Give a company a known password (the real ones are random)."""
    with db.transaction() as session:
        session.execute(
            update(Company)
            .where(Company.username == username)
            .values(password_hash=hash_password(password, n=1024))
        )


@pytest.fixture
def demo(services: Services) -> dict[str, str]:
    """A company that runs only what is queued by hand, with its Web Connector credentials."""
    view, password = services.companies.add("Demo Co")
    queue_only(services, view.name)
    return {"name": view.name, "username": view.username, "password": password}


def company_query_answer(request_id: str) -> str:
    """QuickBooks' answer to a ping (a CompanyQuery) sent with ``request_id``."""
    return (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>'
        f'<CompanyQueryRs requestID="{request_id}" statusCode="0" statusSeverity="Info" '
        'statusMessage="Status OK"><CompanyRet><CompanyName>Demo</CompanyName></CompanyRet>'
        "</CompanyQueryRs></QBXMLMsgsRs></QBXML>"
    )


def answer_to(request_xml: str) -> str:
    """QuickBooks' answer to a ping message, echoing its requestID."""
    return company_query_answer(request_xml.split('requestID="', 1)[1].split('"', 1)[0])
