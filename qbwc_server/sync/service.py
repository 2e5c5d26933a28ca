"""The platform's Python API for sync: push records in, read records and the change feed out.

Every write is idempotent on the platform's own id (``external_id``): recording the same
payment twice changes nothing; a record already on its way to QuickBooks is not changed
under it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import select

from mappers import MAPPING_TABLES
from qbwc_server.clock import Clock
from qbwc_server.errors import ConflictError, InvalidInputError, NotFoundError
from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import ChangeFeedEntry, Company, SyncRecord, SyncSettings
from qbwc_server.sync import accounts, records, validation
from qbwc_server.sync.engine import load_profile
from qbwc_server.sync.profile import DIRECTIONS, KINDS, parse_directions, pushes
from qbwc_server.sync.push import start_afresh
from qbwc_server.sync.step import SyncProfile

PENDING, SENT, SYNCED, FAILED, UNKNOWN = "pending", "sent", "synced", "failed", "unknown"
ADD, MOD, ARCHIVE, DELETE = "add", "mod", "archive", "delete"


@attrs.frozen(kw_only=True)
class RecordView:
    """A stored record as the platform sees it."""

    id: int
    kind: str
    external_id: str | None
    qb_id: str | None
    label: str | None
    data: dict[str, Any]
    is_deleted: bool
    push_state: str
    push_action: str | None
    push_error: str | None
    updated_at: datetime

    @classmethod
    def from_row(cls, row: SyncRecord) -> RecordView:
        return cls(id=row.id, kind=row.kind, external_id=row.external_id, qb_id=row.qb_id,
                   label=row.label, data=json.loads(row.data), is_deleted=row.is_deleted,
                   push_state=row.push_state, push_action=row.push_action,
                   push_error=row.push_error, updated_at=row.updated_at)


@attrs.frozen(kw_only=True)
class Change:
    """One change-feed entry; ``id`` is the cursor."""

    id: int
    kind: str
    change: str
    qb_id: str | None
    external_id: str | None
    data: dict[str, Any]
    created_at: datetime


class SyncService:
    """What the platform (or the REST API) does with a company's records."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # -- settings ------------------------------------------------------------

    def profile(self, company: str) -> SyncProfile:
        with self._db.transaction() as session:
            return load_profile(session, company_row(session, company))

    def configure(
        self,
        company: str,
        *,
        directions: Mapping[str, str] | None = None,
        payment_account: str | None = None,
        deposit_account: str | None = None,
        sync_after: str | None = None,
        batch_size: int | None = None,
        page_size: int | None = None,
        mappings: Mapping[str, Any] | None = None,
    ) -> SyncProfile:
        """Change a company's sync settings; only the arguments given change.

        ``mappings`` holds the mapping tables and defaults to replace (``item``,
        ``payment_method``, ``tax_code``: platform code -> QuickBooks name;
        ``default_item``, ``default_payment_method``); those left out keep their value.

        Raises:
            InvalidInputError: a bad direction, size, or mapping, or payment and deposit
                accounts that make QuickBooks refuse every deposit (the rule is in
                :mod:`qbwc_server.sync.accounts`); nothing is changed.
        """
        for kind, value in (directions or {}).items():
            if kind not in KINDS or value not in DIRECTIONS:
                raise InvalidInputError(f"direction {kind}={value} is not valid")
        if batch_size is not None and not 1 <= batch_size <= 200:
            raise InvalidInputError("batch_size must be between 1 and 200")
        if page_size is not None and not 10 <= page_size <= 2000:
            raise InvalidInputError("page_size must be between 10 and 2000")
        unknown = set(mappings or {}) - {*MAPPING_TABLES, "default_item", "default_payment_method"}
        if unknown:
            raise InvalidInputError(f"unknown mappings: {', '.join(sorted(unknown))}")
        with self._db.transaction() as session:
            row_company = company_row(session, company)
            row = session.get(SyncSettings, row_company.id)
            if row is None:
                row = SyncSettings(company_id=row_company.id, directions="{}", batch_size=50,
                                   page_size=500)
                session.add(row)
            if directions:
                row.directions = json.dumps({**json.loads(row.directions), **directions})
            if payment_account is not None:
                row.payment_account = payment_account or None
            if deposit_account is not None:
                row.deposit_account = deposit_account or None
            if sync_after is not None:
                row.sync_after = sync_after or None
            if batch_size is not None:
                row.batch_size = batch_size
            if page_size is not None:
                row.page_size = page_size
            if directions or payment_account is not None or deposit_account is not None:
                self._check_accounts(session, row)
            if mappings is not None:
                current = load_profile(session, row_company).mappings.changed(mappings)
                if problems := current.problems():
                    raise InvalidInputError("; ".join(f"mappings.{field}: {message}"
                                                      for field, message in problems))
                row.mappings = json.dumps(current.to_json(), sort_keys=True)
            session.flush()
            return load_profile(session, row_company)

    @staticmethod
    def _check_accounts(session: Any, row: SyncSettings) -> None:
        pulled = session.scalars(select(SyncRecord.data).where(
            SyncRecord.company_id == row.company_id, SyncRecord.kind == "account",
            SyncRecord.is_deleted.is_(False)))
        problem = accounts.deposit_problem(
            row.payment_account or "", row.deposit_account or "",
            pushes_deposits=pushes(parse_directions(row.directions), "deposit"),
            undeposited=accounts.undeposited_names(json.loads(data) for data in pulled))
        if problem is not None:
            raise InvalidInputError(problem[1], fields=(problem,))

    # -- platform writes -----------------------------------------------------

    def submit(self, company: str, kind: str, record: Any, *, action: str = ADD) -> RecordView:
        """Ask for ``record`` (with its ``external_id``) to be written to QuickBooks.

        An invoice without a ``total`` is given the total QuickBooks will book.

        Raises:
            InvalidInputError: the company does not push this kind, no external_id, or
                amounts QuickBooks would refuse or book differently (``fields`` names them).
            ConflictError: the record is already on its way and differs.
        """
        external_id = getattr(record, "external_id", None)
        if not external_id:
            raise InvalidInputError(f"a {kind} needs the platform's external_id")
        now = self._clock.now()
        with self._db.transaction() as session:
            company_ = company_row(session, company)
            if not pushes(load_profile(session, company_).directions, kind):
                raise InvalidInputError(f"{company} does not push {kind} records to QuickBooks")
            record = validation.checked(session, company_.id, record)
            data = records.canonical(record)
            row = records.find(session, company_.id, kind, external_id=external_id)
            if row is None:
                row = SyncRecord(company_id=company_.id, kind=kind, external_id=external_id,
                                 label=_label(record), data=data, is_deleted=False,
                                 push_state=PENDING, push_action=action, push_attempts=0,
                                 created_at=now, updated_at=now)
                session.add(row)
                session.flush()
                return RecordView.from_row(row)
            if row.data == data and row.push_action == action:
                return RecordView.from_row(row)  # the same request again: nothing changes
            if row.push_state in (SENT, UNKNOWN):
                raise ConflictError(
                    f"{kind} {external_id} is being written to QuickBooks; try again later")
            if kind in ("payment", "deposit") and row.push_state == SYNCED and action != DELETE:
                raise ConflictError(f"{kind} {external_id} is already recorded in QuickBooks")
            _note_base(row)
            row.data, row.label, row.updated_at = data, _label(record), now
            row.push_state, row.push_action, row.push_error = PENDING, action, None
            start_afresh(row)
            return RecordView.from_row(row)

    def reverse_payment(self, company: str, external_id: str) -> RecordView:
        """A payment failed on the platform (bounced, charged back): take it out of QuickBooks."""
        return self._set_action(company, "payment", external_id, DELETE)

    def archive_customer(self, company: str, external_id: str) -> RecordView:
        """Make the customer inactive in QuickBooks (``IsActive`` false)."""
        return self._set_action(company, "customer", external_id, ARCHIVE)

    def retry(self, company: str, kind: str, external_id: str) -> RecordView:
        """Send a failed record again."""
        with self._db.transaction() as session:
            row = self._row(session, company, kind, external_id)
            if row.push_state != FAILED:
                raise ConflictError(f"{kind} {external_id} has not failed")
            row.push_state, row.push_error = PENDING, None
            start_afresh(row)
            return RecordView.from_row(row)

    def _set_action(self, company: str, kind: str, external_id: str, action: str) -> RecordView:
        with self._db.transaction() as session:
            row = self._row(session, company, kind, external_id)
            if row.push_state in (SENT, UNKNOWN):
                raise ConflictError(
                    f"{kind} {external_id} is being written to QuickBooks; try again later")
            if row.push_action == action and row.push_state in (PENDING, SYNCED):
                return RecordView.from_row(row)
            _note_base(row)
            row.push_state, row.push_action, row.push_error = PENDING, action, None
            start_afresh(row)
            row.updated_at = self._clock.now()
            return RecordView.from_row(row)

    # -- reads ---------------------------------------------------------------

    def record(self, company: str, kind: str, *, external_id: str | None = None,
               qb_id: str | None = None) -> RecordView:
        with self._db.transaction() as session:
            company_ = company_row(session, company)
            row = records.find(session, company_.id, kind, qb_id=qb_id, external_id=external_id)
            if row is None:
                raise NotFoundError(f"no {kind} {external_id or qb_id} in {company}")
            return RecordView.from_row(row)

    def records(self, company: str, kind: str, *, after_id: int = 0,
                updated_since: datetime | None = None, limit: int = 100) -> list[RecordView]:
        """Records of one kind in id order (cursor = the last id seen)."""
        with self._db.transaction() as session:
            company_ = company_row(session, company)
            query = (select(SyncRecord)
                     .where(SyncRecord.company_id == company_.id, SyncRecord.kind == kind,
                            SyncRecord.id > after_id)
                     .order_by(SyncRecord.id).limit(min(limit, 1000)))
            if updated_since is not None:
                query = query.where(SyncRecord.updated_at >= updated_since)
            return [RecordView.from_row(row) for row in session.scalars(query)]

    def changes(self, company: str, *, after: int = 0, limit: int = 100) -> list[Change]:
        """The change feed after a cursor: everything pulled and every push outcome."""
        with self._db.transaction() as session:
            company_ = company_row(session, company)
            rows = session.scalars(
                select(ChangeFeedEntry)
                .where(ChangeFeedEntry.company_id == company_.id, ChangeFeedEntry.id > after)
                .order_by(ChangeFeedEntry.id).limit(min(limit, 1000)))
            return [Change(id=r.id, kind=r.kind, change=r.change, qb_id=r.qb_id,
                           external_id=r.external_id, data=json.loads(r.data),
                           created_at=r.created_at) for r in rows]

    def counts(self, company: str) -> dict[str, dict[str, int]]:
        """Records per kind and push state (for status pages and tests)."""
        with self._db.transaction() as session:
            company_ = company_row(session, company)
            result: dict[str, dict[str, int]] = {}
            for kind, state, deleted in session.execute(
                select(SyncRecord.kind, SyncRecord.push_state, SyncRecord.is_deleted)
                .where(SyncRecord.company_id == company_.id)
            ):
                key = "deleted" if deleted else state
                result.setdefault(kind, {}).setdefault(key, 0)
                result[kind][key] += 1
            return result

    @staticmethod
    def _row(session: Any, company: str, kind: str, external_id: str) -> SyncRecord:
        company_: Company = company_row(session, company)
        row = records.find(session, company_.id, kind, external_id=external_id)
        if row is None:
            raise NotFoundError(f"no {kind} with external id {external_id} in {company}")
        return row


def _note_base(row: SyncRecord) -> None:
    """Keep what we know QuickBooks has before a new write replaces ``data``: a QuickBooks
    edit that arrives meanwhile is compared with it (see :mod:`.conflicts`). A write that
    replaces one still waiting keeps the older base: QuickBooks never saw the first."""
    if row.push_state not in (PENDING, FAILED):
        row.base_data = row.data


def _label(record: Any) -> str | None:
    for attribute in ("name", "number", "reference"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)[:250]
    return None
