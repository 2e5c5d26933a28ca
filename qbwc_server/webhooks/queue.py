"""The delivery queue's statements: enqueue new feed entries, find due heads, claim, finish.

Order: per endpoint and company only the pending delivery with the lowest change
id (the head) may be sent; the rest wait behind it until it is delivered or has
failed for good. Claims are one conditional UPDATE with a rowcount check (works
on SQLite and PostgreSQL); a claim leases the delivery for :data:`LEASE`, so a
worker that dies mid-send only delays it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from qbwc_server.store.models import ChangeFeedEntry, WebhookDelivery, WebhookEndpoint
from qbwc_server.webhooks.retry import RetryPolicy
from qbwc_server.webhooks.sender import SendResult
from qbwc_server.webhooks.views import DELIVERED, FAILED, PENDING

LEASE = timedelta(seconds=60)  # longer than any send (10 s timeout)


def enqueue_new(session: Session, now: datetime, per_endpoint: int) -> int:
    """Create deliveries for feed entries that active endpoints have not seen; returns how many.

    An endpoint's progress is, per company, the highest change id it has a
    delivery for; an endpoint without one starts at its own ``created_at``, so a
    new endpoint does not replay history.
    """
    total = 0
    for endpoint in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.is_active)):
        total += _enqueue_for(session, endpoint, now, per_endpoint)
    return total


def _enqueue_for(session: Session, endpoint: WebhookEndpoint, now: datetime, limit: int) -> int:
    cursors: dict[int, int] = {
        company_id: last for company_id, last in session.execute(
            select(WebhookDelivery.company_id, func.max(WebhookDelivery.change_id))
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .group_by(WebhookDelivery.company_id))
    }
    feed = ChangeFeedEntry
    query = select(feed.id, feed.company_id).where(
        feed.created_at >= endpoint.created_at,
        or_(feed.company_id.not_in(list(cursors)),
            *(and_(feed.company_id == company_id, feed.id > last)
              for company_id, last in cursors.items())),
    )
    if endpoint.company_id is not None:
        query = query.where(feed.company_id == endpoint.company_id)
    rows = session.execute(query.order_by(feed.id).limit(limit)).all()
    if not rows:
        return 0
    session.execute(_insert_ignoring_duplicates(session), [
        {"endpoint_id": endpoint.id, "change_id": change_id, "company_id": company_id,
         "state": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}
        for change_id, company_id in rows
    ])
    return len(rows)


def _insert_ignoring_duplicates(session: Session) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: two workers enqueueing at once is not an error."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(WebhookDelivery).on_conflict_do_nothing(
        index_elements=["endpoint_id", "change_id"])


def due_heads(session: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(delivery id, attempts so far) of heads that are due, oldest due first."""
    other = aliased(WebhookDelivery)
    head = (select(func.min(other.change_id))
            .where(other.endpoint_id == WebhookDelivery.endpoint_id,
                   other.company_id == WebhookDelivery.company_id,
                   other.state == PENDING)
            .correlate(WebhookDelivery)
            .scalar_subquery())
    query = (select(WebhookDelivery.id, WebhookDelivery.attempts)
             .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
             .where(WebhookDelivery.state == PENDING, WebhookDelivery.next_attempt_at <= now,
                    WebhookDelivery.change_id == head, WebhookEndpoint.is_active)
             .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
             .limit(limit))
    return [(delivery_id, attempts) for delivery_id, attempts in session.execute(query)]


def claim(session: Session, delivery_id: int, attempts: int, now: datetime) -> bool:
    """Take a due delivery for one attempt; False when another worker took it first."""
    result = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == PENDING,
               WebhookDelivery.attempts == attempts, WebhookDelivery.next_attempt_at <= now)
        .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0) == 1)


def finish(session: Session, delivery_id: int, attempt: int, result: SendResult,
           now: datetime, policy: RetryPolicy) -> str:
    """Record an attempt's outcome; returns the delivery's new state."""
    values: dict[str, Any] = {"last_status": result.status, "last_error": result.error}
    if result.ok:
        values.update(state=DELIVERED, delivered_at=now, last_error=None)
    else:
        delay = policy.next_delay(attempt)
        if delay is None:
            values.update(state=FAILED)
        else:
            values.update(next_attempt_at=now + delay)
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempt,
               WebhookDelivery.state == PENDING)
        .values(**values)
        .execution_options(synchronize_session=False))
    return str(values.get("state", PENDING))
