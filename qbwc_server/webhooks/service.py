"""Webhook endpoints, the delivery log, and one bounded delivery pass.

Web Connector calls only write the change feed; this service, run by the
background worker of ``qbwc-server serve`` or by ``qbwc-server webhooks
deliver``, turns new feed entries into deliveries and POSTs them.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import attrs
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.errors import NotFoundError
from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import ChangeFeedEntry, Company, WebhookDelivery, WebhookEndpoint
from qbwc_server.webhooks import queue
from qbwc_server.webhooks.addresses import refuse_private_host
from qbwc_server.webhooks.errors import SecretUnreadableError, WebhookUrlError
from qbwc_server.webhooks.retry import RetryPolicy
from qbwc_server.webhooks.sender import HttpSender, Sender, SendResult
from qbwc_server.webhooks.signing import SecretBox, new_secret, signed_headers
from qbwc_server.webhooks.views import PENDING, DeliveryView, EndpointView

logger = logging.getLogger(__name__)

DEV_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
ENQUEUE_BATCH = 1000


def check_url(url: str, *, allow_private: bool = False) -> str:
    """Accept ``https://host/...`` (a public host unless ``allow_private``), or ``http://`` to
    localhost for development (which needs ``allow_private``).

    Raises:
        WebhookUrlError: anything else, or credentials or a fragment in the URL.
        PrivateAddressError: a loopback or private host, unless ``allow_private``.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises here)
    except ValueError as exc:
        raise WebhookUrlError(f"{url!r} is not a valid URL") from exc
    host = parts.hostname or ""
    if len(url) > 2000 or parts.scheme not in ("http", "https") or not host:
        raise WebhookUrlError()
    if parts.scheme == "http" and host not in DEV_HOSTS:
        raise WebhookUrlError(f"{url!r}: use https:// (http:// is only for localhost)")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise WebhookUrlError("a webhook URL may not carry credentials or a #fragment; "
                              "receivers check the signature instead")
    if not allow_private:
        refuse_private_host(host)
    return url


@attrs.frozen
class _Job:
    """A claimed delivery, ready to send."""

    delivery_id: int
    endpoint_id: int
    change_id: int
    attempt: int
    url: str
    secret_encrypted: str
    body: bytes


class WebhookService:
    """Endpoints, their deliveries, and the delivery pass."""

    def __init__(self, db: Database, clock: Clock, settings: Settings, *,
                 sender: Sender | None = None, policy: RetryPolicy | None = None) -> None:
        self._db = db
        self._clock = clock
        self._box = SecretBox(settings.secret_key)
        self._settings = settings
        self._sender: Sender = sender or HttpSender(
            allow_private=settings.webhooks_allow_private)
        self.policy = policy or RetryPolicy()

    # -- endpoints -----------------------------------------------------------

    def add_endpoint(self, company: str | None, url: str,
                     description: str | None = None) -> tuple[EndpointView, str]:
        """Add an endpoint for one company (or every company with None).

        Returns the endpoint and its signing secret; the secret is shown only
        now (it is stored encrypted). Deliveries start with changes made from now on.

        Raises:
            WebhookUrlError: the URL is not https (or http to localhost), or names a private
                address that the settings do not allow.
            NotFoundError: no such company.
        """
        url = check_url(url, allow_private=self._settings.webhooks_allow_private)
        secret = new_secret()
        encrypted = self._encrypt(secret)
        with self._db.transaction() as session:
            company_id = company_row(session, company).id if company is not None else None
            row = WebhookEndpoint(company_id=company_id, url=url, secret_encrypted=encrypted,
                                  description=(description or "").strip()[:200] or None,
                                  is_active=True, created_at=self._clock.now())
            session.add(row)
            session.flush()
            logger.info("webhook endpoint %s added for %s", row.id, company or "every company")
            return EndpointView.from_row(row, company), secret

    def endpoints(self, company: str | None = None) -> list[EndpointView]:
        """All endpoints, or only ``company``'s own (installation-wide ones not included)."""
        with self._db.transaction() as session:
            query = (select(WebhookEndpoint, Company.name)
                     .outerjoin(Company, Company.id == WebhookEndpoint.company_id)
                     .order_by(WebhookEndpoint.id))
            if company is not None:
                query = query.where(WebhookEndpoint.company_id == company_row(session, company).id)
            return [EndpointView.from_row(row, name) for row, name in session.execute(query)]

    def endpoint(self, endpoint_id: int) -> EndpointView:
        """One endpoint.

        Raises:
            NotFoundError: no such endpoint.
        """
        with self._db.transaction() as session:
            row = self._endpoint(session, endpoint_id)
            company = session.get(Company, row.company_id) if row.company_id else None
            return EndpointView.from_row(row, company.name if company else None)

    def remove_endpoint(self, endpoint_id: int) -> None:
        """Delete an endpoint and its delivery log; nothing more is sent to it."""
        with self._db.transaction() as session:
            self._endpoint(session, endpoint_id)
            session.execute(delete(WebhookDelivery)
                            .where(WebhookDelivery.endpoint_id == endpoint_id))
            session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
        logger.info("webhook endpoint %s removed", endpoint_id)

    def rotate_secret(self, endpoint_id: int) -> str:
        """A new signing secret (returned once); every attempt from now on is signed with it."""
        secret = new_secret()
        encrypted = self._encrypt(secret)
        with self._db.transaction() as session:
            self._endpoint(session, endpoint_id).secret_encrypted = encrypted
        logger.info("webhook endpoint %s has a new signing secret", endpoint_id)
        return secret

    # -- the delivery log ----------------------------------------------------

    def deliveries(self, company: str | None = None, endpoint_id: int | None = None,
                   limit: int = 50) -> list[DeliveryView]:
        """The newest deliveries first, optionally of one company's changes or one endpoint."""
        with self._db.transaction() as session:
            query = (select(WebhookDelivery, WebhookEndpoint.url, Company.name,
                            ChangeFeedEntry.kind, ChangeFeedEntry.change)
                     .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                     .join(Company, Company.id == WebhookDelivery.company_id)
                     .join(ChangeFeedEntry, ChangeFeedEntry.id == WebhookDelivery.change_id)
                     .order_by(WebhookDelivery.id.desc())
                     .limit(max(1, min(limit, 1000))))
            if company is not None:
                query = query.where(WebhookDelivery.company_id == company_row(session, company).id)
            if endpoint_id is not None:
                query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
            return [DeliveryView.from_row(row, url=url, company=name, kind=kind, change=change)
                    for row, url, name, kind, change in session.execute(query)]

    def redeliver(self, delivery_id: int) -> None:
        """Send a delivery again soon, with a fresh set of attempts (whatever its state).

        A redelivered entry is the head of its endpoint and company again, so later
        pending entries wait for it; entries already delivered are not resent.
        """
        with self._db.transaction() as session:
            row = session.get(WebhookDelivery, delivery_id)
            if row is None:
                raise NotFoundError(f"no webhook delivery {delivery_id}")
            row.state, row.attempts, row.delivered_at = PENDING, 0, None
            row.next_attempt_at = self._clock.now()
        logger.info("webhook delivery %s queued again", delivery_id)

    # -- delivering ----------------------------------------------------------

    def deliver_due(self, now: datetime | None = None, max_items: int = 100) -> int:
        """One bounded pass: enqueue new feed entries, then send due deliveries in order.

        Sends at most ``max_items`` attempts; a head delivered in this pass lets
        the next entry of its endpoint and company go in the same pass.

        Returns:
            How many attempts were made.
        """
        now = now or self._clock.now()
        with self._db.transaction() as session:
            queue.enqueue_new(session, now, ENQUEUE_BATCH)
        attempted = 0
        while attempted < max_items:
            with self._db.transaction() as session:
                heads = queue.due_heads(session, now, max_items - attempted)
            sent_this_round = 0
            for delivery_id, attempts in heads:
                job = self._claim(delivery_id, attempts, now)
                if job is None:
                    continue
                result = self._send(job, now)
                with self._db.transaction() as session:
                    state = queue.finish(session, job.delivery_id, job.attempt, result, now,
                                         self.policy)
                _log_outcome(job, result, state)
                sent_this_round += 1
            attempted += sent_this_round
            if sent_this_round == 0:
                break
        return attempted

    def _claim(self, delivery_id: int, attempts: int, now: datetime) -> _Job | None:
        with self._db.transaction() as session:
            if not queue.claim(session, delivery_id, attempts, now):
                return None
            endpoint, entry, company = session.execute(
                select(WebhookEndpoint, ChangeFeedEntry, Company.name)
                .join(WebhookDelivery, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
                .join(ChangeFeedEntry, ChangeFeedEntry.id == WebhookDelivery.change_id)
                .join(Company, Company.id == WebhookDelivery.company_id)
                .where(WebhookDelivery.id == delivery_id)).one()
            return _Job(delivery_id=delivery_id, endpoint_id=endpoint.id,
                        change_id=entry.id, attempt=attempts + 1, url=endpoint.url,
                        secret_encrypted=endpoint.secret_encrypted,
                        body=payload(entry, company))

    def _send(self, job: _Job, now: datetime) -> SendResult:
        try:
            secret = self._box.decrypt(job.secret_encrypted)
        except SecretUnreadableError as exc:
            return SendResult(status=None, error=str(exc))
        headers = signed_headers(secret, job.delivery_id, int(now.timestamp()), job.body,
                                 job.attempt)
        return self._sender(job.url, job.body, headers)

    def _encrypt(self, secret: str) -> str:
        self._settings.require_secret_key()
        return self._box.encrypt(secret)

    @staticmethod
    def _endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
        row = session.get(WebhookEndpoint, endpoint_id)
        if row is None:
            raise NotFoundError(f"no webhook endpoint {endpoint_id}")
        return row


def payload(entry: ChangeFeedEntry, company: str) -> bytes:
    """The JSON body of a delivery: the change-feed entry and its company's name."""
    body: dict[str, Any] = {
        "id": entry.id, "company": company, "kind": entry.kind, "change": entry.change,
        "qb_id": entry.qb_id, "external_id": entry.external_id,
        "data": json.loads(entry.data), "created_at": entry.created_at.isoformat(),
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _log_outcome(job: _Job, result: SendResult, state: str) -> None:
    if result.ok:
        logger.info("webhook delivery %s (change %s) to endpoint %s: HTTP %s on attempt %s",
                    job.delivery_id, job.change_id, job.endpoint_id, result.status, job.attempt)
    else:
        logger.warning("webhook delivery %s (change %s) to endpoint %s failed on attempt %s "
                       "(now %s): %s", job.delivery_id, job.change_id, job.endpoint_id,
                       job.attempt, state, result.error)
