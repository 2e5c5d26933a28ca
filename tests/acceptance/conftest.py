"""End-to-end fixtures: our app, a simulated QuickBooks company and a simulated Web Connector."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask

from qbwc_server.app import Services, create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    SimulatedWebConnector,
    WebConnectorSettings,
)
from qbwc_server.store.database import Database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))


@pytest.fixture
def app(settings: Settings, clock: FakeClock, db: Database) -> Flask:
    return create_app(settings, clock=clock, db=db)


@pytest.fixture
def services(app: Flask) -> Services:
    return services_of(app)


@pytest.fixture
def connect(
    app: Flask, services: Services, clock: FakeClock
) -> Callable[..., SimulatedWebConnector]:
    """A simulated Web Connector for a new company of ours, playing ``quickbooks``."""

    def make(quickbooks: SimulatedCompany, name: str = "Acme") -> SimulatedWebConnector:
        view, password = services.companies.add(name)
        return SimulatedWebConnector.over(
            WsgiTransport(app), quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            sleep=lambda seconds: None,
        )

    return make


def quickbooks_at(clock: FakeClock, **kwargs: object) -> SimulatedCompany:
    """A simulated company whose clock follows the test's clock."""
    return SimulatedCompany(clock=clock.now, **kwargs)  # type: ignore[arg-type]


def generated(clock: FakeClock, customers: int, invoices: int, seed: int = 7) -> SimulatedCompany:
    return SimulatedCompany.generate(customers=customers, invoices=invoices, years=3,
                                     seed=seed, today=date(2026, 1, 5), clock=clock.now)
