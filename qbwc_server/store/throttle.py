"""Slows down password guessing: a user name is locked after repeated failures.

Unknown user names are counted exactly like known ones, so the answers never
reveal whether a user exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from qbwc_server.store.models import LoginThrottle


def is_locked(session: Session, username: str, now: datetime) -> bool:
    row = session.get(LoginThrottle, _key(username))
    return row is not None and row.locked_until is not None and row.locked_until > now


def record_failure(
    session: Session, username: str, now: datetime, *, max_failures: int, lockout_seconds: int
) -> None:
    key = _key(username)
    row = session.get(LoginThrottle, key)
    window = timedelta(seconds=lockout_seconds)
    if row is None:
        row = LoginThrottle(username=key, failures=0)
        session.add(row)
    if row.first_failure_at is None or now - row.first_failure_at > window:
        row.failures, row.first_failure_at = 0, now
    row.failures += 1
    if row.failures >= max_failures:
        row.locked_until = now + window
        row.failures, row.first_failure_at = 0, None


def record_success(session: Session, username: str) -> None:
    row = session.get(LoginThrottle, _key(username))
    if row is not None:
        session.delete(row)


def _key(username: str) -> str:
    # Bounded so a hostile client cannot grow the table with huge names.
    return username.strip().lower()[:200]
