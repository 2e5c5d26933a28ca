"""Partner users: people at the platform's customer who may see and set one company's sync.

A partner gets in either with a generated password an admin hands over (shown once) or
with a one-time invite link, valid seven days, on which they choose their own password.
Only digests of invite tokens are stored, like Web Connector tickets.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import attrs
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.errors import ConflictError, InvalidInputError, NotFoundError
from qbwc_server.password_gate import PasswordGate, could_be_stored
from qbwc_server.security import generate_password, hash_password, new_ticket, ticket_digest
from qbwc_server.store import web_sessions
from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import Company, Invite, PartnerUser
from qbwc_server.store.throttle import Scope

INVITE_VALID_FOR = timedelta(days=7)
MIN_PASSWORD_LENGTH = 12
# Deliberately loose: one @, something on both sides, a dot in the domain, no spaces and no
# control characters (PostgreSQL cannot even compare a NUL).
_EMAIL_RE = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
MAX_EMAIL = 254  # PartnerUser.email


@attrs.frozen(kw_only=True)
class PartnerView:
    id: int
    email: str
    company_id: int
    company: str
    created_at: datetime
    last_login_at: datetime | None


@attrs.frozen(kw_only=True)
class InviteView:
    company: str
    email: str | None
    expires_at: datetime


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased, or InvalidInputError."""
    email = email.strip().lower()
    if len(email) > MAX_EMAIL or not _EMAIL_RE.fullmatch(email):
        raise InvalidInputError("Enter an email address like name@example.com.")
    return email


def check_new_password(password: str, confirm: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if password != confirm:
        raise InvalidInputError("The two passwords differ.")


class PartnerService:
    """Partner users and invites, on top of the store."""

    def __init__(self, db: Database, settings: Settings, clock: Clock,
                 passwords: PasswordGate | None = None) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._passwords = passwords or PasswordGate(db, settings, clock)

    def add(self, company: str, email: str) -> tuple[PartnerView, str]:
        """A partner user of ``company`` with a generated password (returned, shown once)."""
        email = normalize_email(email)
        password = generate_password()
        with self._db.transaction() as session:
            row_company = company_row(session, company)
            self._check_free(session, email)
            row = PartnerUser(email=email, company_id=row_company.id, created_at=self._clock.now(),
                              password_hash=hash_password(password, n=self._settings.scrypt_n))
            session.add(row)
            session.flush()
            return _view(row, row_company.name), password

    def of_company(self, company: str) -> list[PartnerView]:
        with self._db.transaction() as session:
            row_company = company_row(session, company)
            rows = session.scalars(select(PartnerUser).where(
                PartnerUser.company_id == row_company.id).order_by(PartnerUser.email))
            return [_view(row, row_company.name) for row in rows]

    def get(self, partner_id: int) -> PartnerView | None:
        with self._db.transaction() as session:
            row = session.get(PartnerUser, partner_id)
            if row is None:
                return None
            return _view(row, session.get_one(Company, row.company_id).name)

    def remove(self, company: str, partner_id: int) -> PartnerView:
        """Take away a partner's access to ``company``, ending their sessions at once."""
        with self._db.transaction() as session:
            row_company = company_row(session, company)
            row = session.get(PartnerUser, partner_id)
            if row is None or row.company_id != row_company.id:
                raise NotFoundError(f"{company} has no such partner")
            view = _view(row, row_company.name)
            session.delete(row)
            web_sessions.end_all(session, web_sessions.PARTNER, partner_id)
            return view

    def check(self, email: str, password: str, *, client: str | None = None
              ) -> PartnerView | None:
        """The partner for a right email and password, else None.

        ``client`` is the caller's IP address; see :class:`PasswordGate` for the limits.
        """
        email = email.strip().lower()
        stored = None
        if could_be_stored(email, MAX_EMAIL):
            with self._db.transaction() as session:
                row = session.scalar(select(PartnerUser).where(PartnerUser.email == email))
                stored = row.password_hash if row is not None else None
        if not self._passwords.check(Scope.PARTNER, email, password, stored, client=client):
            return None
        with self._db.transaction() as session:
            row = session.scalar(select(PartnerUser).where(PartnerUser.email == email))
            if row is None:  # removed while the password was being checked
                return None
            row.last_login_at = self._clock.now()
            return _view(row, session.get_one(Company, row.company_id).name)

    # -- invites -------------------------------------------------------------

    def invite(self, company: str, email: str | None = None) -> tuple[InviteView, str]:
        """A one-time invite for ``company``; returns it and the token for the link."""
        email = normalize_email(email) if email else None
        token = new_ticket()
        now = self._clock.now()
        with self._db.transaction() as session:
            row_company = company_row(session, company)
            if email:
                self._check_free(session, email)
            row = Invite(token_digest=ticket_digest(token), company_id=row_company.id,
                         email=email, created_at=now, expires_at=now + INVITE_VALID_FOR)
            session.add(row)
            return InviteView(company=row_company.name, email=email,
                              expires_at=row.expires_at), token

    def invite_link(self, token: str) -> str:
        return f"{self._settings.public_base_url.rstrip('/')}/invite/{token}"

    def open_invite(self, token: str) -> InviteView:
        """The invite behind a token, or NotFoundError when it is unknown, used or expired."""
        with self._db.transaction() as session:
            row = self._usable(session, token)
            return InviteView(company=session.get_one(Company, row.company_id).name,
                              email=row.email, expires_at=row.expires_at)

    def accept(self, token: str, email: str, password: str, confirm: str) -> PartnerView:
        """Use an invite: create the partner user; the token never works again."""
        email = normalize_email(email)
        check_new_password(password, confirm)
        now = self._clock.now()
        with self._db.transaction() as session:
            row = self._usable(session, token)
            if row.email and row.email != email:
                raise InvalidInputError(f"This invite is for {row.email}.")
            self._check_free(session, email)
            # A conditional update, so two tabs racing on one link cannot both use it.
            used = session.execute(update(Invite).where(Invite.id == row.id,
                                                         Invite.used_at.is_(None))
                                    .values(used_at=now))
            if used.rowcount != 1:  # type: ignore[attr-defined]
                raise NotFoundError("This invite link has been used already.")
            user = PartnerUser(email=email, company_id=row.company_id, created_at=now,
                               last_login_at=now,
                               password_hash=hash_password(password, n=self._settings.scrypt_n))
            session.add(user)
            session.flush()
            return _view(user, session.get_one(Company, row.company_id).name)

    def _usable(self, session: Session, token: str) -> Invite:
        row = session.scalar(select(Invite).where(Invite.token_digest == ticket_digest(token)))
        if row is None:
            raise NotFoundError("This invite link is not valid.")
        if row.used_at is not None:
            raise NotFoundError("This invite link has been used already.")
        if row.expires_at <= self._clock.now():
            raise NotFoundError("This invite link has expired; ask for a new one.")
        return row

    @staticmethod
    def _check_free(session: Session, email: str) -> None:
        if session.scalar(select(PartnerUser.id).where(PartnerUser.email == email)) is not None:
            raise ConflictError(f"{email} already has a sign-in.")


def _view(row: PartnerUser, company: str) -> PartnerView:
    return PartnerView(id=row.id, email=row.email, company_id=row.company_id, company=company,
                       created_at=row.created_at, last_login_at=row.last_login_at)
