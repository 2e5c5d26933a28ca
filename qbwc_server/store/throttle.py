"""Slows down password guessing: a user name is locked after repeated failures.

Each password check is *reserved* here before it runs, in one atomic statement
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``, the same on SQLite and PostgreSQL), so
parallel guesses cannot slip past the count: at most ``max_failures`` checks of one name run
per window, however many arrive at once. The check that reaches the limit locks the name for
``lockout_seconds``; a right password clears the row (:func:`clear`), a wrong one leaves its
reservation counted. Checks within ``lockout_seconds`` of the first one add up; later ones
start a new count.

Unknown user names are counted exactly like known ones, so the answers never reveal whether
a user exists. Rows are keyed by a scope (Web Connector, admin, partner: a name typed at one
door never locks another) and a digest of the name, and carry the moment they stop mattering,
so :func:`prune` removes old ones by index.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, not_, null, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from qbwc_server.store.models import LoginThrottle


class Scope(enum.StrEnum):
    """Who is signing in: each scope counts its own failures."""

    WEB_CONNECTOR = "webconnector"
    ADMIN = "admin"
    PARTNER = "partner"


def reserve(
    session: Session, scope: Scope, name: str, now: datetime, *, max_failures: int,
    lockout_seconds: int,
) -> bool:
    """Count one password check of ``name``; False if it must not run (the name is locked)."""
    period = timedelta(seconds=lockout_seconds)
    lock_end = now + period
    table = LoginThrottle.__table__
    row = table.c
    # A lock that has ended, or a count whose window has passed, starts again at one.
    starts_again = case(
        (row.locked_until.is_not(None), row.locked_until <= now),
        else_=row.window_started_at < now - period,
    )
    attempts = case((starts_again, 1), (row.attempts > max_failures, row.attempts),
                    else_=row.attempts + 1)
    reaches_limit = true() if max_failures <= 1 else and_(
        not_(starts_again), row.attempts + 1 == max_failures)
    locked_until = case((reaches_limit, lock_end), (starts_again, null()),
                        else_=row.locked_until)
    window_started_at = case((starts_again, now), else_=row.window_started_at)
    # A row matters until its lock ends or its window closes, whichever is later.
    expires_at = case((reaches_limit, lock_end), (starts_again, lock_end),
                      else_=row.expires_at)
    first = {
        "scope": scope.value, "name_digest": _digest(name), "attempts": 1,
        "window_started_at": now, "locked_until": lock_end if max_failures <= 1 else None,
        "expires_at": lock_end,
    }
    statement = _insert(session)(table).values(**first)
    statement = statement.on_conflict_do_update(
        index_elements=[row.scope, row.name_digest],
        set_={"attempts": attempts, "window_started_at": window_started_at,
              "locked_until": locked_until, "expires_at": expires_at},
    ).returning(row.attempts)
    counted = session.execute(statement).scalar_one()
    return bool(counted <= max_failures)


def clear(session: Session, scope: Scope, name: str) -> None:
    """A right password: the count starts again from nothing."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.scope == scope.value,
                                                LoginThrottle.name_digest == _digest(name)))


def prune(session: Session, now: datetime) -> int:
    """Remove rows whose lock has ended and whose window has closed; returns how many."""
    # Strictly before now: a window still counts in its last second.
    result = session.execute(delete(LoginThrottle).where(LoginThrottle.expires_at < now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _digest(name: str) -> str:
    # Case and surrounding spaces do not make a new name to guess with.
    return hashlib.sha256(name.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()
