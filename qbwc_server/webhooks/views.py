"""What the admin console, the CLI and the REST API see of endpoints and deliveries."""

from __future__ import annotations

from datetime import datetime

import attrs

from qbwc_server.store.models import WebhookDelivery, WebhookEndpoint

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@attrs.frozen(kw_only=True)
class EndpointView:
    """A webhook endpoint; ``company`` None means it receives every company's changes."""

    id: int
    company: str | None
    url: str
    description: str | None
    is_active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: WebhookEndpoint, company: str | None) -> EndpointView:
        return cls(id=row.id, company=company, url=row.url, description=row.description,
                   is_active=row.is_active, created_at=row.created_at)


@attrs.frozen(kw_only=True)
class DeliveryView:
    """One change-feed entry on its way to one endpoint, for the delivery log.

    ``state`` is ``pending`` (waiting, or retrying after a failure), ``delivered``
    (a 2xx came back) or ``failed`` (every attempt failed). ``next_attempt_at`` is
    only set while pending.
    """

    id: int
    endpoint_id: int
    url: str
    company: str
    change_id: int
    kind: str
    change: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def from_row(cls, row: WebhookDelivery, *, url: str, company: str, kind: str,
                 change: str) -> DeliveryView:
        return cls(id=row.id, endpoint_id=row.endpoint_id, url=url, company=company,
                   change_id=row.change_id, kind=kind, change=change, state=row.state,
                   attempts=row.attempts,
                   next_attempt_at=row.next_attempt_at if row.state == PENDING else None,
                   last_status=row.last_status, last_error=row.last_error,
                   created_at=row.created_at, delivered_at=row.delivered_at)
