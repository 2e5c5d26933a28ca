"""Signed-in browsers, kept in the store so that a session can be ended from the server.

The cookie carries a random session id; the store keeps only its SHA-256 digest (like Web
Connector tickets), the user and when the session ends. Signing out deletes the row, so a
copy of the cookie opens nothing afterwards; a new password, a removed partner or "sign out
everywhere" deletes every row of that user.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qbwc_server.security import new_ticket, ticket_digest
from qbwc_server.store.models import WebSession

ADMIN, PARTNER = "admin", "partner"
LIFETIME = timedelta(hours=12)
"""A session ends this long after sign-in, however busy."""


def start(session: Session, role: str, user_id: int, now: datetime) -> str:
    """A new session for the user; returns the id for the cookie (the store keeps a digest)."""
    # Sign-ins need a right password, so pruning here keeps the table to live sessions.
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    token = new_ticket()
    session.add(WebSession(token_digest=ticket_digest(token), role=role, user_id=user_id,
                           created_at=now, expires_at=now + LIFETIME))
    return token


def find(session: Session, token: str, now: datetime) -> tuple[str, int] | None:
    """``(role, user id)`` of a live session, or None (unknown, ended or expired)."""
    row = session.scalar(select(WebSession).where(
        WebSession.token_digest == ticket_digest(token), WebSession.expires_at > now))
    return None if row is None else (row.role, row.user_id)


def end(session: Session, token: str) -> None:
    """End one session (sign-out)."""
    session.execute(delete(WebSession).where(WebSession.token_digest == ticket_digest(token)))


def end_all(session: Session, role: str, user_id: int) -> int:
    """End every session of one user; returns how many there were."""
    result = session.execute(delete(WebSession).where(WebSession.role == role,
                                                      WebSession.user_id == user_id))
    return int(result.rowcount)  # type: ignore[attr-defined]
