"""The one way a password is checked: Web Connector, admin and partner sign-ins alike.

A scrypt check costs tens of milliseconds of CPU and 32 MiB of memory, so nothing reaches it
unbounded. In order, each attempt:

1. takes a token from its client address's bucket and from the bucket of this process
   (:mod:`qbwc_server.rate_limit`); without both it is refused at once;
2. is counted against its user name in the store (:mod:`qbwc_server.store.throttle`),
   atomically and before the check, so a locked name is refused at once too;
3. runs the check, against a dummy hash when the user does not exist, so unknown names cost
   the same as known ones.

A refusal at any step looks exactly like a wrong password to the caller.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.rate_limit import ClientBuckets
from qbwc_server.security import hash_password, new_ticket, verify_password
from qbwc_server.store import throttle
from qbwc_server.store.database import Database
from qbwc_server.store.throttle import Scope

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(minutes=1)
"""Old throttle rows are removed at most this often (by the next attempt after it)."""


def could_be_stored(name: str, max_length: int) -> bool:
    """Whether a user could have this name: it fits its column and holds no NUL, which
    PostgreSQL can neither store nor compare (SQLite can), so it is never looked up."""
    return len(name) <= max_length and "\x00" not in name


class PasswordGate:
    """Checks passwords within the limits above. One per app: its buckets are shared."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        now = clock.now()
        self._buckets = ClientBuckets(
            per_client_per_minute=settings.login_checks_per_client_per_minute,
            per_minute=settings.login_checks_per_minute, now=now)
        self._next_prune = now
        self._dummy_hash = hash_password(new_ticket(), n=settings.scrypt_n)

    def check(self, scope: Scope, name: str, password: str, stored_hash: str | None, *,
              client: str | None) -> bool:
        """True only for the right ``password`` of an existing user (``stored_hash`` not None).

        Args:
            scope: which sign-in this is; each counts its own failures.
            name: the user name or email as typed.
            password: as typed.
            stored_hash: the user's password hash, None for an unknown user.
            client: the client's IP address (WSGI ``REMOTE_ADDR``), None if unknown.
        """
        now = self._clock.now()
        if not self._buckets.take(client, now):
            # DEBUG only: a flood of refusals must not become a flood of log lines.
            log.debug("password check refused: too many from this address or in all")
            return False
        with self._db.transaction() as session:
            self._prune_now_and_then(session, now)
            allowed = throttle.reserve(
                session, scope, name, now, max_failures=self._settings.login_max_failures,
                lockout_seconds=self._settings.login_lockout_seconds)
        if not allowed:
            return False
        # Outside any transaction: no database lock is held while scrypt runs.
        ok = verify_password(password, stored_hash or self._dummy_hash) and stored_hash is not None
        if ok:
            with self._db.transaction() as session:
                throttle.clear(session, scope, name)
        return ok

    def _prune_now_and_then(self, session: Session, now: datetime) -> None:
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_EVERY
            throttle.prune(session, now)
