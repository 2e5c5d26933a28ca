"""What admins do with companies: add, list, .qwc, passwords, ping, sync now."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.errors import InvalidInputError
from qbwc_server.qwc import render_qwc
from qbwc_server.store import companies, queue
from qbwc_server.store.database import Database
from qbwc_server.store.models import Company, QueuedRequest
from qbwc_server.store.queue import QueueItem
from qbxml import build_message, choose_version
from qbxml.requests import CompanyQuery


class CompanyService:
    """Company administration on top of the store; used by the CLI and the web app."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock

    def add(
        self, name: str, *, cadence_minutes: int | None = None, company_file_path: str = ""
    ) -> tuple[companies.CompanyView, str]:
        """Create a company; returns it and its password, which is never shown again."""
        with self._db.transaction() as session:
            return companies.create_company(
                session,
                name,
                now=self._clock.now(),
                cadence_minutes=cadence_minutes or self._settings.default_cadence_minutes,
                scrypt_n=self._settings.scrypt_n,
                company_file_path=company_file_path,
            )

    def list(self) -> list[companies.CompanyView]:
        with self._db.transaction() as session:
            counts: dict[int, int] = {
                company_id: n
                for company_id, n in session.execute(
                    select(QueuedRequest.company_id, func.count())
                    .where(QueuedRequest.state == queue.QUEUED)
                    .group_by(QueuedRequest.company_id)
                )
            }
            rows = session.scalars(select(Company).order_by(Company.name))
            return [companies.CompanyView.from_row(row, counts.get(row.id, 0)) for row in rows]

    def get(self, name: str) -> companies.CompanyView:
        with self._db.transaction() as session:
            row = companies.company_row(session, name)
            return companies.CompanyView.from_row(row, queue.count_queued(session, row.id))

    def rotate_password(self, name: str) -> str:
        with self._db.transaction() as session:
            return companies.rotate_password(session, name, scrypt_n=self._settings.scrypt_n)

    def qwc(self, name: str) -> str:
        with self._db.transaction() as session:
            row = companies.company_row(session, name)
            owner = companies.owner_id(session, self._clock.now())
            view = companies.CompanyView.from_row(row)
        return render_qwc(
            view,
            public_base_url=self._settings.public_base_url,
            owner_id=owner,
            app_name_prefix=self._settings.app_name,
        )

    def enqueue(
        self, name: str, *, purpose: str, request_xml: str, is_write: bool = False
    ) -> QueueItem:
        """Queue one qbXML request message for the company's next Web Connector session."""
        with self._db.transaction() as session:
            row = companies.company_row(session, name)
            return queue.enqueue(
                session, row.id, purpose=purpose, request_xml=request_xml,
                now=self._clock.now(), is_write=is_write,
            )

    def ping(self, name: str) -> QueueItem:
        """Queue a CompanyQuery: the smallest real round trip through QuickBooks."""
        view = self.get(name)
        # Our newest qbXML unless QuickBooks told us it supports less.
        message = build_message(
            {f"ping-{secrets.token_hex(4)}": CompanyQuery()},
            version=choose_version(view.qb_versions),
            on_error="stopOnError",
        )
        return self.enqueue(name, purpose="ping", request_xml=message.xml)

    def items(self, name: str, limit: int = 100) -> list[QueueItem]:
        with self._db.transaction() as session:
            row = companies.company_row(session, name)
            return queue.items_for(session, row.id, limit)

    def set_cadence(self, name: str, minutes: int) -> None:
        """Sync every ``minutes``: what ``authenticate`` asks of the Web Connector from now on."""
        if not 1 <= minutes <= 24 * 60:
            raise InvalidInputError("cadence must be between 1 and 1440 minutes")
        with self._db.transaction() as session:
            companies.company_row(session, name).cadence_minutes = minutes

    def set_paused(self, name: str, paused: bool) -> None:
        """A paused company's Web Connector is told there is nothing to do."""
        with self._db.transaction() as session:
            companies.company_row(session, name).is_paused = paused

    def request_sync(self, name: str) -> None:
        """Make the next authenticate of this company start a session ("sync now")."""
        with self._db.transaction() as session:
            companies.company_row(session, name).sync_requested = True
