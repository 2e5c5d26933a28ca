"""How long bookkeeping rows are kept, and the pass that deletes what is past it.

Kept only while they are useful (see docs/configuration.md for the settings):

- an ``Idempotency-Key`` answer: ``idempotency_keep_hours`` after its request (a replay is
  only honoured that long anyway);
- a delivered webhook delivery: ``webhook_delivered_keep_days`` after delivery; a failed
  one: ``webhook_failed_keep_days`` after it was created. A pending one is never deleted, nor
  the newest delivery of each endpoint and company: it is where that endpoint's feed
  resumes, and without it the endpoint would be sent its history again;
- a finished Web Connector session (closed, expired or failed):
  ``session_keep_days`` after it ended, with the requests it finished. An open session is
  never deleted, nor a request still queued, sent or unknown, one an open session holds, or
  one a record still points at (a write whose outcome may need looking up).

``qbwc-server serve`` prunes once an hour; ``qbwc-server prune`` prunes once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from qbwc_server.background import BackgroundWorker
from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.store import queue
from qbwc_server.store.database import Database
from qbwc_server.store.models import (
    IdempotencyKey,
    QueuedRequest,
    SyncRecord,
    WebConnectorSession,
    WebhookDelivery,
)
from qbwc_server.webhooks.views import DELIVERED, FAILED

logger = logging.getLogger(__name__)

OPEN = "open"  # the Web Connector session state that is live
FINISHED_REQUESTS = (queue.DONE, queue.FAILED, queue.DROPPED)


@attrs.frozen(kw_only=True)
class Retention:
    """How long each kind of row is kept."""

    idempotency_keys: timedelta
    delivered_webhooks: timedelta
    failed_webhooks: timedelta
    sessions: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> Retention:
        return cls(idempotency_keys=timedelta(hours=settings.idempotency_keep_hours),
                   delivered_webhooks=timedelta(days=settings.webhook_delivered_keep_days),
                   failed_webhooks=timedelta(days=settings.webhook_failed_keep_days),
                   sessions=timedelta(days=settings.session_keep_days))


@attrs.frozen(kw_only=True)
class Pruned:
    """How many rows one pass deleted."""

    idempotency_keys: int = 0
    webhook_deliveries: int = 0
    sessions: int = 0
    requests: int = 0

    @property
    def total(self) -> int:
        return self.idempotency_keys + self.webhook_deliveries + self.sessions + self.requests


def prune(db: Database, now: datetime, retention: Retention) -> Pruned:
    """Delete what is past its retention, in one transaction."""
    with db.transaction() as session:
        pruned = Pruned(
            idempotency_keys=_count(session.execute(delete(IdempotencyKey).where(
                IdempotencyKey.created_at < now - retention.idempotency_keys))),
            webhook_deliveries=_prune_deliveries(session, now, retention),
            requests=_prune_requests(session, now - retention.sessions),
            sessions=_count(session.execute(delete(WebConnectorSession).where(
                WebConnectorSession.state != OPEN,
                func.coalesce(WebConnectorSession.ended_at, WebConnectorSession.last_seen_at)
                < now - retention.sessions))),
        )
    if pruned.total:
        logger.info("pruned %s", pruned)
    return pruned


def _prune_deliveries(session: Session, now: datetime, retention: Retention) -> int:
    newer = aliased(WebhookDelivery)
    return _count(session.execute(
        delete(WebhookDelivery)
        .where(or_(and_(WebhookDelivery.state == DELIVERED,
                        WebhookDelivery.delivered_at < now - retention.delivered_webhooks),
                   and_(WebhookDelivery.state == FAILED,
                        WebhookDelivery.created_at < now - retention.failed_webhooks)),
               # Keep each endpoint's newest entry per company: the feed resumes after it.
               exists().where(newer.endpoint_id == WebhookDelivery.endpoint_id,
                              newer.company_id == WebhookDelivery.company_id,
                              newer.change_id > WebhookDelivery.change_id))
        .execution_options(synchronize_session=False)))


def _prune_requests(session: Session, before: datetime) -> int:
    live = select(WebConnectorSession.id).where(WebConnectorSession.state == OPEN)
    held = select(WebConnectorSession.pending_item_id).where(
        WebConnectorSession.state == OPEN, WebConnectorSession.pending_item_id.is_not(None))
    pointed_at = select(SyncRecord.queue_item_id).where(SyncRecord.queue_item_id.is_not(None))
    return _count(session.execute(
        delete(QueuedRequest)
        .where(QueuedRequest.state.in_(FINISHED_REQUESTS),
               func.coalesce(QueuedRequest.completed_at, QueuedRequest.created_at) < before,
               or_(QueuedRequest.session_id.is_(None), QueuedRequest.session_id.not_in(live)),
               QueuedRequest.id.not_in(held), QueuedRequest.id.not_in(pointed_at))
        .execution_options(synchronize_session=False)))


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class PruneWorker(BackgroundWorker):
    """Prunes every ``interval`` seconds (an hour by default), the first time at start."""

    def __init__(self, db: Database, clock: Clock, retention: Retention, *,
                 interval: float = 3600.0, wait: Callable[[float], object] | None = None
                 ) -> None:
        super().__init__("qbwc-prune", interval=interval, wait=wait)
        self._db, self._clock, self._retention = db, clock, retention

    def run_pass(self) -> bool:
        prune(self._db, self._clock.now(), self._retention)
        return False
