"""The database tables, as SQLAlchemy 2 declarative models.

Rows stay inside :mod:`qbwc_server.store`; the rest of the server works with the
plain values the store's functions return.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MAX_ROW_ID = 2**31 - 1
"""The largest id an ``Integer`` column holds on PostgreSQL: ids and cursors from clients above
it are refused at the edge, the same on both databases."""

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without an offset and always returns an aware UTC datetime.

    SQLite has no timezone type; storing naive UTC everywhere keeps both
    databases identical and comparisons correct.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Installation(Base):
    """One row: identity shared by every company of this installation."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(38))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Company(Base):
    """A QuickBooks company file that one Web Connector serves."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    file_id: Mapped[str] = mapped_column(String(38), unique=True)
    cadence_minutes: Mapped[int] = mapped_column(Integer, default=5)
    company_file_path: Mapped[str] = mapped_column(String(500), default="")
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What QuickBooks told us about itself in the last HCP response.
    qb_product_name: Mapped[str | None] = mapped_column(String(200))
    qb_country: Mapped[str | None] = mapped_column(String(10))
    qb_versions: Mapped[str | None] = mapped_column(String(500))
    qb_company_name: Mapped[str | None] = mapped_column(String(200))
    qb_file_id: Mapped[str | None] = mapped_column(String(38))
    qb_file_path: Mapped[str | None] = mapped_column(String(500))
    # Status for people: last contact, last finished session, last error.
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebConnectorSession(Base):
    """One Web Connector update session, from authenticate to closeConnection."""

    __tablename__ = "qbwc_sessions"
    __table_args__ = (
        # At most one live session per company: the database, not the process, says "busy".
        Index(
            "uq_qbwc_sessions_live_company",
            "company_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    ticket_digest: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16))  # open, closed, expired, failed
    client_version: Mapped[str | None] = mapped_column(String(50))
    company_file: Mapped[str | None] = mapped_column(String(500))
    qbxml_country: Mapped[str | None] = mapped_column(String(10))
    qbxml_major: Mapped[int | None] = mapped_column(Integer)
    qbxml_minor: Mapped[int | None] = mapped_column(Integer)
    pending_item_id: Mapped[int | None] = mapped_column(Integer)
    plan: Mapped[str | None] = mapped_column(Text)  # the sync engine's JSON plan
    summary: Mapped[str | None] = mapped_column(Text)  # JSON counts: pulled, pushed, failed
    requests_sent: Mapped[int] = mapped_column(Integer, default=0)
    responses_received: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    hresult: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QueuedRequest(Base):
    """A qbXML request waiting for, or done by, a Web Connector session."""

    __tablename__ = "request_queue"
    __table_args__ = (Index("ix_request_queue_company_state", "company_id", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(100))
    request_id: Mapped[str] = mapped_column(String(50))
    request_xml: Mapped[str] = mapped_column(Text)
    is_write: Mapped[bool] = mapped_column(Boolean, default=False)
    meta: Mapped[str | None] = mapped_column(Text)  # JSON the producer needs for the answer
    # queued -> sent -> done | failed; sent and never answered -> unknown (writes) or queued.
    state: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[int | None] = mapped_column(Integer)
    response_xml: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # after a lock
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Password checks per user name, known or not, counted before each check runs.

    One row per (scope, name): the Web Connector, admins and partners count apart, and the
    name is kept only as a SHA-256 digest (a password typed into the name field is not
    stored). ``expires_at`` is when the row no longer matters, so old rows are pruned by
    index.
    """

    __tablename__ = "login_throttle"

    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random id and the store its SHA-256 digest, so
    a session ends here when its user signs out, gets a new password or is removed."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "role", "user_id"),)

    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class AdminUser(Base):
    """Someone allowed into the admin side of the web app."""

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncSettings(Base):
    """A company's sync profile: directions per record type and the accounts pushes use."""

    __tablename__ = "sync_settings"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    directions: Mapped[str] = mapped_column(Text)  # JSON {"customer": "pull", ...}
    payment_account: Mapped[str | None] = mapped_column(String(200))  # None: Undeposited Funds
    deposit_account: Mapped[str | None] = mapped_column(String(200))
    sync_after: Mapped[str | None] = mapped_column(String(10))  # ISO date; None: 12 months
    batch_size: Mapped[int] = mapped_column(Integer, default=50)
    page_size: Mapped[int] = mapped_column(Integer, default=500)
    #: JSON {"item": {code: name}, "payment_method": {...}, "tax_code": {...},
    #: "default_item": name, "default_payment_method": name}; None: no mappings.
    mappings: Mapped[str | None] = mapped_column(Text)


class SyncRecord(Base):
    """One canonical record of a company, as QuickBooks and the platform know it."""

    __tablename__ = "sync_records"
    __table_args__ = (
        Index("uq_sync_records_qb_id", "company_id", "kind", "qb_id", unique=True,
              sqlite_where=text("qb_id IS NOT NULL"), postgresql_where=text("qb_id IS NOT NULL")),
        Index("uq_sync_records_external_id", "company_id", "kind", "external_id", unique=True,
              sqlite_where=text("external_id IS NOT NULL"),
              postgresql_where=text("external_id IS NOT NULL")),
        Index("ix_sync_records_push", "company_id", "push_state", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    qb_id: Mapped[str | None] = mapped_column(String(40))
    qb_version: Mapped[str | None] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(100))
    identity: Mapped[str | None] = mapped_column(String(40))  # ExternalGUID we wrote
    label: Mapped[str | None] = mapped_column(String(250))  # name or number, for people
    data: Mapped[str] = mapped_column(Text)  # JSON of the canonical record
    #: The record as we knew it when the platform's pending write was made (JSON): what a
    #: concurrent QuickBooks edit is compared with to tell whose fields changed.
    base_data: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    qb_modified_text: Mapped[str | None] = mapped_column(String(40))
    # Push lifecycle: none (pulled only), pending, sent, unknown, synced, failed.
    push_state: Mapped[str] = mapped_column(String(12), default="none")
    push_action: Mapped[str | None] = mapped_column(String(20))  # add, mod, archive, delete
    push_error: Mapped[str | None] = mapped_column(Text)
    push_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A record waiting for another one: since when (the limit counts from here, whatever is
    # resent meanwhile) and, when it is one of ours on its way, which record.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    waiting_for: Mapped[int | None] = mapped_column(Integer)
    queue_item_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncWatermark(Base):
    """How far a record type has been pulled: QuickBooks' own modified-time text."""

    __tablename__ = "sync_watermarks"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    modified_text: Mapped[str | None] = mapped_column(String(40))
    history_until: Mapped[str | None] = mapped_column(String(10))  # older history still to pull
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChangeFeedEntry(Base):
    """One change the platform can read: pulled from QuickBooks or the outcome of a push."""

    __tablename__ = "change_feed"
    __table_args__ = (Index("ix_change_feed_company_id", "company_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    record_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    change: Mapped[str] = mapped_column(String(20))
    qb_id: Mapped[str | None] = mapped_column(String(40))
    external_id: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PartnerUser(Base):
    """A person at the platform's customer who may see and set one company's sync."""

    __tablename__ = "partner_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invite(Base):
    """A one-time link that lets a partner create their sign-in for one company."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiKey(Base):
    """A bearer key for the platform REST API; only a digest of the secret part is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)  # public part, for look-up
    key_digest: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"))  # None: every company
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IdempotencyKey(Base):
    """The stored answer to a POST made with an ``Idempotency-Key`` header."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("uq_idempotency_keys_key", "api_key_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    request_digest: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WebhookEndpoint(Base):
    """Where change-feed entries are POSTed; the signing secret is Fernet-encrypted at rest."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"))  # None: every company
    url: Mapped[str] = mapped_column(String(2000))
    secret_encrypted: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WebhookDelivery(Base):
    """One change-feed entry on its way to one endpoint."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("uq_webhook_deliveries_entry", "endpoint_id", "change_id", unique=True),
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    change_id: Mapped[int] = mapped_column(ForeignKey("change_feed.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(12))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
