"""API keys for the platform REST API: create, list, revoke, and check a bearer token.

A key reads ``qbwc_<prefix>_<secret>``: the 8-character prefix is public and finds the row;
the 40-character secret (about 238 random bits from :mod:`secrets`) is never stored. The
store keeps the SHA-256 digest of the whole key. A key this random cannot be guessed from
its digest, so a slow password KDF (scrypt, as for Web Connector passwords) would only cost
time on every request without adding safety. Digests are compared in constant time.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from datetime import datetime, timedelta

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from qbwc_server.clock import Clock
from qbwc_server.errors import InvalidInputError, NotFoundError
from qbwc_server.security import same_secret
from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import ApiKey, Company

KEY_PREFIX = "qbwc"
PREFIX_LENGTH = 8
SECRET_LENGTH = 40
_ALPHABET = string.ascii_letters + string.digits
_KEY_RE = re.compile(
    rf"^{KEY_PREFIX}_([a-z0-9]{{{PREFIX_LENGTH}}})_[A-Za-z0-9]{{{SECRET_LENGTH}}}$")
#: ``last_used_at`` is written at most this often per key (one write per request is waste).
TOUCH_EVERY = timedelta(minutes=1)


@attrs.frozen(kw_only=True)
class ApiKeyView:
    """A key as the CLI and the API see it: never the secret."""

    id: int
    prefix: str
    name: str
    company: str | None  # None: every company
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def from_row(cls, row: ApiKey, company: str | None) -> ApiKeyView:
        return cls(id=row.id, prefix=row.prefix, name=row.name, company=company,
                   created_at=row.created_at, last_used_at=row.last_used_at,
                   revoked_at=row.revoked_at)


def key_digest(key: str) -> str:
    """What the store keeps of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_key(token: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    match = _KEY_RE.match(token)
    return match.group(1) if match else None


class ApiKeyService:
    """API key administration and bearer-token checks, on top of the store."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def add(self, name: str, *, company: str | None = None) -> tuple[ApiKeyView, str]:
        """Create a key; returns it and the full key, which is shown only now."""
        name = name.strip()
        if not 1 <= len(name) <= 100:
            raise InvalidInputError("an API key name must be 1-100 characters")
        with self._db.transaction() as session:
            company_id = company_row(session, company).id if company is not None else None
            prefix = _free_prefix(session)
            secret = "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_LENGTH))
            key = f"{KEY_PREFIX}_{prefix}_{secret}"
            row = ApiKey(prefix=prefix, key_digest=key_digest(key), name=name,
                         company_id=company_id, created_at=self._clock.now())
            session.add(row)
            session.flush()
            return ApiKeyView.from_row(row, company), key

    def list(self) -> list[ApiKeyView]:
        with self._db.transaction() as session:
            rows = session.execute(
                select(ApiKey, Company.name).outerjoin(Company, ApiKey.company_id == Company.id)
                .order_by(ApiKey.id))
            return [ApiKeyView.from_row(row, company) for row, company in rows]

    def revoke(self, prefix: str) -> ApiKeyView:
        """Stop a key from working, at once; revoking twice keeps the first time."""
        with self._db.transaction() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
            if row is None:
                raise NotFoundError(f"no API key with prefix {prefix!r}")
            if row.revoked_at is None:
                row.revoked_at = self._clock.now()
            return ApiKeyView.from_row(row, _company_name(session, row.company_id))

    def authenticate(self, token: str) -> ApiKeyView | None:
        """The live key ``token`` is, or None (malformed, unknown, wrong secret or revoked)."""
        prefix = parse_key(token)
        if prefix is None:
            return None
        digest = key_digest(token)
        with self._db.transaction() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
            if row is None or not same_secret(row.key_digest, digest) or row.revoked_at:
                return None
            now = self._clock.now()
            if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
                row.last_used_at = now
            return ApiKeyView.from_row(row, _company_name(session, row.company_id))


def _company_name(session: Session, company_id: int | None) -> str | None:
    if company_id is None:
        return None
    return session.scalar(select(Company.name).where(Company.id == company_id))


def _free_prefix(session: Session) -> str:
    lower = string.ascii_lowercase + string.digits
    while True:
        prefix = "".join(secrets.choice(lower) for _ in range(PREFIX_LENGTH))
        if session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is None:
            return prefix
