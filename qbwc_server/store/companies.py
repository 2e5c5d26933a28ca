"""Companies: create, find, list, rotate passwords, and the status people see."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from qbwc_server.errors import ConflictError, InvalidInputError, NotFoundError
from qbwc_server.security import generate_password, hash_password
from qbwc_server.store.models import Company, Installation

# Any printable text up to 80 characters, except slashes (the name appears in URLs).
_NAME_RE = re.compile(r"^[^\x00-\x1f\x7f/\\]{1,80}$")


@attrs.frozen(kw_only=True)
class CompanyView:
    """What the CLI, the web pages and the .qwc renderer know of a company."""

    id: int
    name: str
    username: str
    file_id: str
    cadence_minutes: int
    company_file_path: str
    is_paused: bool
    created_at: datetime
    qb_product_name: str | None
    qb_company_name: str | None
    qb_versions: tuple[str, ...]
    last_contact_at: datetime | None
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    queued: int = 0

    @property
    def status(self) -> str:
        """healthy, waiting (never synced) or error."""
        if self.last_error and (
            self.last_sync_at is None
            or (self.last_error_at is not None and self.last_error_at >= self.last_sync_at)
        ):
            return "error"
        return "healthy" if self.last_sync_at else "waiting"

    @classmethod
    def from_row(cls, row: Company, queued: int = 0) -> CompanyView:
        return cls(
            id=row.id,
            name=row.name,
            username=row.username,
            file_id=row.file_id,
            cadence_minutes=row.cadence_minutes,
            company_file_path=row.company_file_path,
            is_paused=row.is_paused,
            created_at=row.created_at,
            qb_product_name=row.qb_product_name,
            qb_company_name=row.qb_company_name,
            qb_versions=tuple(filter(None, (row.qb_versions or "").split(","))),
            last_contact_at=row.last_contact_at,
            last_sync_at=row.last_sync_at,
            last_error=row.last_error,
            last_error_at=row.last_error_at,
            queued=queued,
        )


def owner_id(session: Session, now: datetime) -> str:
    """The installation's OwnerID GUID, created on first use."""
    row = session.get(Installation, 1)
    if row is None:
        row = Installation(id=1, owner_id=_braced_guid(), created_at=now)
        session.add(row)
        session.flush()
    return row.owner_id


def create_company(
    session: Session,
    name: str,
    *,
    now: datetime,
    cadence_minutes: int,
    scrypt_n: int,
    company_file_path: str = "",
) -> tuple[CompanyView, str]:
    """Create a company; returns it and its password (shown once, stored only hashed)."""
    name = name.strip()
    if not _NAME_RE.match(name) or not any(ch.isalnum() for ch in name):
        raise InvalidInputError(
            f"company name {name!r} must be 1-80 printable characters with at least one "
            "letter or digit and no slashes"
        )
    if not 1 <= cadence_minutes <= 24 * 60:
        raise InvalidInputError("cadence must be between 1 and 1440 minutes")
    if session.scalar(select(Company.id).where(Company.name == name)) is not None:
        raise ConflictError(f"a company named {name!r} already exists")
    owner_id(session, now)
    password = generate_password()
    row = Company(
        name=name,
        username=_free_username(session, name),
        password_hash=hash_password(password, n=scrypt_n),
        file_id=_braced_guid(),
        cadence_minutes=cadence_minutes,
        company_file_path=company_file_path,
        is_paused=False,
        sync_requested=False,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return CompanyView.from_row(row), password


def rotate_password(session: Session, name: str, *, scrypt_n: int) -> str:
    """Give a company a new password; the old one stops working at once."""
    row = company_row(session, name)
    password = generate_password()
    row.password_hash = hash_password(password, n=scrypt_n)
    return password


def company_row(session: Session, name: str) -> Company:
    row = session.scalar(select(Company).where(Company.name == name))
    if row is None:
        raise NotFoundError(f"no company named {name!r}")
    return row


def _free_username(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "company"
    candidate, n = base, 1
    while session.scalar(select(Company.id).where(Company.username == candidate)) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _braced_guid() -> str:
    return "{" + str(uuid.uuid4()).upper() + "}"
