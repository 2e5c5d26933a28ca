"""Admin users of the web app: created from the CLI, checked through the password gate."""

from __future__ import annotations

from sqlalchemy import select

from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.errors import ConflictError, InvalidInputError
from qbwc_server.password_gate import PasswordGate, could_be_stored
from qbwc_server.security import generate_password, hash_password
from qbwc_server.store import web_sessions
from qbwc_server.store.database import Database
from qbwc_server.store.models import AdminUser
from qbwc_server.store.throttle import Scope

MAX_USERNAME = 100  # AdminUser.username


class AdminService:
    def __init__(self, db: Database, settings: Settings, clock: Clock,
                 passwords: PasswordGate | None = None) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._passwords = passwords or PasswordGate(db, settings, clock)

    def add(self, username: str, password: str | None = None) -> str:
        """Create an admin; returns the password (generated unless given)."""
        username = username.strip()
        if not username or not could_be_stored(username, MAX_USERNAME):
            raise InvalidInputError("admin user name must be 1-100 characters, without NUL")
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
        """Create the admin or give it a new password (ending its sessions); returns it."""
        password = password or generate_password()
        with self._db.transaction() as session:
            row = session.scalar(select(AdminUser).where(AdminUser.username == username))
            if row is None:
                row = AdminUser(username=username, created_at=self._clock.now())
                session.add(row)
            row.password_hash = hash_password(password, n=self._settings.scrypt_n)
            session.flush()
            web_sessions.end_all(session, web_sessions.ADMIN, row.id)
        return password

    def check(self, username: str, password: str, *, client: str | None = None) -> int | None:
        """The admin's id for a right user name and password, else None.

        ``client`` is the caller's IP address; see :class:`PasswordGate` for the limits.
        """
        user_id, stored = None, None
        if could_be_stored(username, MAX_USERNAME):
            with self._db.transaction() as session:
                row = session.scalar(select(AdminUser).where(AdminUser.username == username))
                if row is not None:
                    user_id, stored = row.id, row.password_hash
        if self._passwords.check(Scope.ADMIN, username, password, stored, client=client):
            return user_id
        return None
