"""Where the pages find the app's services (built once per app in :func:`register`)."""

from __future__ import annotations

from flask import current_app

from qbwc_server.app import Services, services_of
from qbwc_server.pages.partners import PartnerService

EXTENSION = "qbwc_pages"


def services() -> Services:
    return services_of(current_app)  # type: ignore[arg-type]


def partners() -> PartnerService:
    service = current_app.extensions[EXTENSION]
    assert isinstance(service, PartnerService)
    return service
