"""The Flask application factory: SOAP endpoint, health, support page and admin downloads."""

from __future__ import annotations

from typing import Any

import attrs
from flask import Flask

from qbwc_server.admins import AdminService
from qbwc_server.clock import Clock, SystemClock
from qbwc_server.company_service import CompanyService
from qbwc_server.config import Settings, load_settings
from qbwc_server.hcp import read_host_report
from qbwc_server.headers import add_security_headers
from qbwc_server.soap import SoapEndpoint
from qbwc_server.store.database import Database, make_engine
from qbwc_server.sync.engine import SyncEngine
from qbwc_server.sync.service import SyncService
from qbwc_server.sync.steps import default_steps
from qbwc_server.webconnector import WebConnectorService
from qbwc_server.webhooks import WebhookService


@attrs.frozen(kw_only=True)
class Services:
    """Everything a request handler or CLI command needs, built once per app."""

    settings: Settings
    clock: Clock
    db: Database
    webconnector: WebConnectorService
    companies: CompanyService
    admins: AdminService
    soap: SoapEndpoint
    sync: SyncService
    webhooks: WebhookService


def build_services(
    settings: Settings, *, clock: Clock | None = None, db: Database | None = None
) -> Services:
    clock = clock or SystemClock()
    db = db or Database(make_engine(settings.database_url))
    engine = SyncEngine(default_steps())
    webconnector = WebConnectorService(
        db, settings, clock, read_host_report=read_host_report, engine=engine
    )
    return Services(
        settings=settings,
        clock=clock,
        db=db,
        webconnector=webconnector,
        companies=CompanyService(db, settings, clock),
        admins=AdminService(db, settings, clock),
        soap=SoapEndpoint(webconnector, settings.max_body_bytes),
        sync=SyncService(db, clock),
        webhooks=WebhookService(db, clock, settings),
    )


def create_app(
    settings: Settings | dict[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    db: Database | None = None,
) -> Flask:
    """Build the web application.

    Args:
        settings: ready settings, or overrides applied on top of defaults, the
            instance file and ``QBWC_*`` variables.
        clock: where "now" comes from (tests pass a fake one).
        db: an existing store (tests share one); built from the settings otherwise.
    """
    if not isinstance(settings, Settings):
        settings = load_settings(settings)
    services = build_services(settings, clock=clock, db=db)
    app = Flask(__name__)
    app.secret_key = settings.require_secret_key()
    app.extensions["qbwc"] = services
    app.after_request(add_security_headers)
    from qbwc_server.web import blueprint

    app.register_blueprint(blueprint)
    from qbwc_server import pages

    pages.register(app)
    from qbwc_server import api

    api.init_app(app)  # after the pages: API paths answer 404/405 as problem details
    return app


def services_of(app: Flask) -> Services:
    services = app.extensions["qbwc"]
    assert isinstance(services, Services)
    return services
