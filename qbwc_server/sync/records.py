"""The store side of sync: canonical records, the change feed and pull watermarks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from qbwc_server.store.limits import max_length
from qbwc_server.store.models import ChangeFeedEntry, SyncRecord, SyncWatermark
from qbwc_server.sync import conflicts
from qbwc_server.sync.conflicts import CONFLICT
from qbwc_server.sync.serialize import to_json

CREATED, UPDATED, DELETED, ARCHIVED = "created", "updated", "deleted", "archived"
PUSHED, PUSH_FAILED = "pushed", "push_failed"
#: Ids per IN (...) query: far below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


def find(session: Session, company_id: int, kind: str, *, qb_id: str | None = None,
         external_id: str | None = None) -> SyncRecord | None:
    query = select(SyncRecord).where(SyncRecord.company_id == company_id, SyncRecord.kind == kind)
    if qb_id is not None:
        return session.scalar(query.where(SyncRecord.qb_id == qb_id))
    if external_id is not None:
        return session.scalar(query.where(SyncRecord.external_id == external_id))
    return None


@attrs.frozen(kw_only=True)
class Pulled:
    """One record read from QuickBooks, ready to store."""

    record: Any
    qb_id: str
    qb_version: str | None
    label: str | None
    modified_text: str | None
    is_active: bool = True


def upsert_pulled(
    session: Session,
    company_id: int,
    kind: str,
    record: Any,
    *,
    qb_id: str,
    qb_version: str | None,
    label: str | None,
    modified_text: str | None,
    now: datetime,
    is_active: bool = True,
) -> tuple[SyncRecord, str | None]:
    """Store a record read from QuickBooks; returns it and the change (None if unchanged)."""
    (stored,) = upsert_pulled_many(session, company_id, kind, [Pulled(
        record=record, qb_id=qb_id, qb_version=qb_version, label=label,
        modified_text=modified_text, is_active=is_active)], now)
    return stored


def upsert_pulled_many(session: Session, company_id: int, kind: str, pulled: list[Pulled],
                       now: datetime) -> list[tuple[SyncRecord, str | None]]:
    """Store a page of records read from QuickBooks; each with its change (None: unchanged).

    Pulls overlap on purpose (QuickBooks' DST offsets), so the same EditSequence arriving
    again is recognised and produces no change-feed entry. A record with a platform write
    still to be made keeps it (:mod:`.conflicts`). One query finds the page's known
    records and one flush writes the new ones (a query and a flush per record made a
    20,000-invoice first sync spend most of its time in the store).
    """
    wanted = list(dict.fromkeys(p.qb_id for p in pulled))
    known: dict[str, SyncRecord] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.scalars(select(SyncRecord).where(
            SyncRecord.company_id == company_id, SyncRecord.kind == kind,
            SyncRecord.qb_id.in_(wanted[start:start + _CHUNK])))
        known.update((row.qb_id, row) for row in rows if row.qb_id)
    results: list[tuple[SyncRecord, str | None, str]] = []
    fresh = False
    for item in pulled:
        data = canonical(item.record)
        row = known.get(item.qb_id)
        change: str | None
        if row is None:
            row = SyncRecord(company_id=company_id, kind=kind, qb_id=item.qb_id,
                             qb_version=item.qb_version, label=item.label, data=data,
                             is_deleted=False, qb_modified_text=item.modified_text,
                             push_state="none", push_attempts=0, created_at=now, updated_at=now)
            session.add(row)
            known[item.qb_id], change, fresh = row, CREATED, True
        elif row.push_state in (*conflicts.WAITING, *conflicts.OUT):
            # The platform's write is not in QuickBooks yet: QuickBooks' copy must not
            # replace it (that made the Mod send QuickBooks' own values back).
            report = conflicts.meet(row, qb_version=item.qb_version, data=data,
                                    modified_text=item.modified_text, now=now)
            change = None
            if report is not None:
                change, data = CONFLICT, json.dumps(report, sort_keys=True)
        elif row.qb_version == item.qb_version and row.data == data and not row.is_deleted:
            change = None
        else:
            was_active = json.loads(row.data).get("is_active", True)
            change = ARCHIVED if was_active and not item.is_active else UPDATED
            row.qb_version, row.label, row.data = item.qb_version, item.label, data
            row.qb_modified_text, row.is_deleted, row.updated_at = item.modified_text, False, now
        results.append((row, change, data))
    if fresh:
        session.flush()  # the new rows' ids, for their change-feed entries
    for row, change, data in results:
        if change is not None:
            session.add(ChangeFeedEntry(
                company_id=row.company_id, record_id=row.id, kind=row.kind, change=change,
                qb_id=row.qb_id, external_id=row.external_id, data=data, created_at=now))
    return [(row, change) for row, change, _ in results]


def canonical(record: Any) -> str:
    """A canonical record as stored: JSON with sorted keys, so equal records compare equal."""
    return json.dumps(to_json(record), sort_keys=True, separators=(",", ":"))


def read_again(session: Session, row: SyncRecord, record: Any, qb_version: str | None,
               now: datetime) -> None:
    """``row``'s write was refused as stale (3200) and QuickBooks' current copy read by id:
    merged with the pending write as a pull would (:mod:`.conflicts`), so the resend does
    not undo the edit that made the EditSequence move. ``record`` None: only the version."""
    if record is None:
        row.qb_version = qb_version
        return
    report = conflicts.meet(row, qb_version=qb_version, data=canonical(record),
                            modified_text=getattr(record, "updated_at_text", None), now=now)
    if report is not None:
        append_feed(session, row, CONFLICT, now, data=report)


def damage(qb_id: str | None, qb_version: str | None = None,
           modified_text: str | None = None) -> str | None:
    """What makes ids QuickBooks sent impossible (longer than a QuickBooks id can be, so
    longer than the columns that hold them), or None when they are fine."""
    for what, value, column in (("ListID/TxnID", qb_id, SyncRecord.qb_id),
                                ("EditSequence", qb_version, SyncRecord.qb_version),
                                ("TimeModified", modified_text, SyncRecord.qb_modified_text)):
        if value is not None and len(value) > max_length(column):
            return f"its {what} has {len(value)} characters (at most {max_length(column)})"
    return None


def mark_deleted(session: Session, company_id: int, kind: str, qb_id: str,
                 now: datetime, data: dict[str, Any]) -> SyncRecord | None:
    """Record a deletion QuickBooks reported; returns the record when it was known and alive."""
    row = find(session, company_id, kind, qb_id=qb_id)
    if row is None or row.is_deleted:
        return None
    row.is_deleted, row.updated_at = True, now
    append_feed(session, row, DELETED, now, data=data)
    return row


def append_feed(session: Session, row: SyncRecord, change: str, now: datetime,
                data: dict[str, Any] | None = None) -> None:
    session.add(ChangeFeedEntry(
        company_id=row.company_id, record_id=row.id, kind=row.kind, change=change,
        qb_id=row.qb_id, external_id=row.external_id,
        data=json.dumps(data) if data is not None else row.data, created_at=now,
    ))


def watermark(session: Session, company_id: int, kind: str) -> SyncWatermark | None:
    return session.get(SyncWatermark, (company_id, kind))


def watermarks_of(session: Session, company_id: int) -> list[SyncWatermark]:
    return list(session.scalars(select(SyncWatermark).where(
        SyncWatermark.company_id == company_id).order_by(SyncWatermark.kind)))


def save_watermark(session: Session, company_id: int, kind: str, now: datetime, *,
                   modified_text: str | None = None, history_until: str | None = None,
                   clear_history: bool = False, replace: bool = False) -> None:
    """Move a watermark forward (by QuickBooks' wall clock, the first 19 characters of the
    text); ``replace`` sets ``modified_text`` as given, to repair a value that failed checks."""
    row = watermark(session, company_id, kind)
    if row is None:
        row = SyncWatermark(company_id=company_id, kind=kind, updated_at=now)
        session.add(row)
    if replace or (modified_text is not None and (
            row.modified_text is None or modified_text[:19] > row.modified_text[:19])):
        row.modified_text = modified_text
    if history_until is not None or clear_history:
        row.history_until = history_until
    row.updated_at = now
