"""Admin users of the web app: created from the CLI, checked with scrypt and throttled."""

from __future__ import annotations

from sqlalchemy import select

from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.errors import ConflictError, InvalidInputError
from qbwc_server.security import generate_password, hash_password, new_ticket, verify_password
from qbwc_server.store import throttle
from qbwc_server.store.database import Database
from qbwc_server.store.models import AdminUser

_THROTTLE_PREFIX = "admin:"


class AdminService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._dummy_hash = hash_password(new_ticket(), n=settings.scrypt_n)

    def add(self, username: str, password: str | None = None) -> str:
        """Create an admin; returns the password (generated unless given)."""
        username = username.strip()
        if not username or len(username) > 100:
            raise InvalidInputError("admin user name must be 1-100 characters")
        password = password or generate_password()
        if len(password) < 12:
            raise InvalidInputError("admin passwords need at least 12 characters")
        with self._db.transaction() as session:
            if session.scalar(select(AdminUser.id).where(AdminUser.username == username)):
                raise ConflictError(f"admin user {username!r} already exists")
            session.add(AdminUser(username=username,
                                  password_hash=hash_password(password, n=self._settings.scrypt_n),
                                  created_at=self._clock.now()))
        return password

    def set_password(self, username: str, password: str | None = None) -> str:
        """Create the admin or give it a new password; returns the password."""
        password = password or generate_password()
        with self._db.transaction() as session:
            row = session.scalar(select(AdminUser).where(AdminUser.username == username))
            if row is None:
                row = AdminUser(username=username, created_at=self._clock.now())
                session.add(row)
            row.password_hash = hash_password(password, n=self._settings.scrypt_n)
        return password

    def check(self, username: str, password: str) -> bool:
        """True for a right user name and password; repeated failures lock the name."""
        now = self._clock.now()
        key = _THROTTLE_PREFIX + username
        with self._db.transaction() as session:
            if throttle.is_locked(session, key, now):
                return False
            row = session.scalar(select(AdminUser).where(AdminUser.username == username))
            ok = verify_password(password, row.password_hash if row else self._dummy_hash)
            if ok and row is not None:
                throttle.record_success(session, key)
                return True
            throttle.record_failure(session, key, now,
                                    max_failures=self._settings.login_max_failures,
                                    lockout_seconds=self._settings.login_lockout_seconds)
            return False
