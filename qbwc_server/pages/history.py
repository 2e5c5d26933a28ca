"""What the pages show about a company's syncing: sessions, records on their way, counts,
and conflicts between QuickBooks edits and platform writes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import func, select

from qbwc_server.store.companies import company_row
from qbwc_server.store.database import Database
from qbwc_server.store.models import ChangeFeedEntry, SyncRecord, WebConnectorSession
from qbwc_server.sync.conflicts import CONFLICT

#: Change-feed entries that are outcomes of pushes; everything else was pulled.
_PUSHED = {"pushed", "linked", "reversed"}
_FAILED = {"push_failed"}
#: A shown value longer than this is cut (an address, an invoice's lines).
_VALUE_CHARS = 120
#: Push states in plain words for partners.
STATE_WORDS = {
    "pending": "Waiting for the next Web Connector run",
    "sent": "Sent to QuickBooks; waiting for its answer",
    "unknown": "The answer was lost; checking QuickBooks before anything is sent again",
    "synced": "In QuickBooks",
    "failed": "Failed",
}
SESSION_WORDS = {
    "open": "running",
    "closed": "finished",
    "expired": "stopped answering",
    "failed": "failed",
}


@attrs.frozen(kw_only=True)
class SessionRow:
    id: int
    state: str
    started_at: datetime
    ended_at: datetime | None
    progress: int
    requests_sent: int
    responses_received: int
    last_error: str | None
    pulled: dict[str, int]
    pushed: dict[str, int]
    failed: dict[str, int]
    conflicts: dict[str, int]
    summary: dict[str, Any] | None
    #: Odd values QuickBooks sent that the session could not use as they were.
    problems: tuple[str, ...] = ()

    @property
    def state_words(self) -> str:
        return SESSION_WORDS.get(self.state, self.state)

    @property
    def pulled_words(self) -> str:
        return counts_in_words(self.pulled)

    @property
    def pushed_words(self) -> str:
        return counts_in_words(self.pushed)

    @property
    def failed_words(self) -> str:
        return counts_in_words(self.failed)

    @property
    def conflicts_words(self) -> str:
        return counts_in_words(self.conflicts)


def counts_in_words(counts: Mapping[str, int]) -> str:
    """``{"account": 13, "customer": 2}`` as ``13 accounts, 2 customers``; empty for none."""
    return ", ".join(f"{n} {kind.replace('_', ' ')}{'' if n == 1 else 's'}"
                     for kind, n in sorted(counts.items()) if n)


@attrs.frozen(kw_only=True)
class RecordRow:
    kind: str
    external_id: str | None
    qb_id: str | None
    label: str | None
    push_state: str
    push_action: str | None
    push_error: str | None
    updated_at: datetime

    @property
    def state_words(self) -> str:
        return STATE_WORDS.get(self.push_state, self.push_state)


def sessions(db: Database, company: str, limit: int = 30) -> list[SessionRow]:
    """The company's Web Connector sessions, newest first, with what each moved.

    What the engine tallied in the session's ``summary`` is used when it is there;
    otherwise what the session pulled and pushed is counted from the change-feed entries
    written while it ran.
    """
    with db.transaction() as session:
        company_id = company_row(session, company).id
        rows = list(session.scalars(
            select(WebConnectorSession).where(WebConnectorSession.company_id == company_id)
            .order_by(WebConnectorSession.started_at.desc(), WebConnectorSession.id.desc())
            .limit(limit)))
        result = []
        for row in rows:
            end = row.ended_at or row.last_seen_at
            moved = session.execute(
                select(ChangeFeedEntry.kind, ChangeFeedEntry.change, func.count())
                .where(ChangeFeedEntry.company_id == company_id,
                       ChangeFeedEntry.created_at >= row.started_at,
                       ChangeFeedEntry.created_at <= end)
                .group_by(ChangeFeedEntry.kind, ChangeFeedEntry.change))
            pulled: Counter[str] = Counter()
            pushed: Counter[str] = Counter()
            failed: Counter[str] = Counter()
            conflicts: Counter[str] = Counter()
            for kind, change, n in moved:
                target = (pushed if change in _PUSHED else failed if change in _FAILED
                          else conflicts if change == CONFLICT else pulled)
                target[kind] += n
            summary = _summary(row.summary)
            if summary is not None:
                pulled, pushed = _counts(summary.get("pulled")), _counts(summary.get("pushed"))
                # The engine tallies failures as one number, not per record type.
                failed = _counts({"record": summary.get("failed")})
            result.append(SessionRow(
                id=row.id, state=row.state, started_at=row.started_at, ended_at=row.ended_at,
                progress=row.progress, requests_sent=row.requests_sent,
                responses_received=row.responses_received, last_error=row.last_error,
                pulled=dict(sorted(pulled.items())), pushed=dict(sorted(pushed.items())),
                failed=dict(sorted(failed.items())), conflicts=dict(sorted(conflicts.items())),
                summary=summary, problems=_problems(row.summary)))
        return result


def push_records(db: Database, company: str, limit: int = 100) -> list[RecordRow]:
    """Records the platform asked to write, failed ones first, then the newest."""
    with db.transaction() as session:
        company_id = company_row(session, company).id
        rows = session.scalars(
            select(SyncRecord)
            .where(SyncRecord.company_id == company_id, SyncRecord.push_state != "none")
            .order_by((SyncRecord.push_state != "failed"), SyncRecord.updated_at.desc(),
                      SyncRecord.id.desc())
            .limit(limit))
        return [RecordRow(kind=r.kind, external_id=r.external_id, qb_id=r.qb_id, label=r.label,
                          push_state=r.push_state, push_action=r.push_action,
                          push_error=r.push_error, updated_at=r.updated_at) for r in rows]


@attrs.frozen(kw_only=True)
class ConflictRow:
    """A QuickBooks edit that met a platform write not yet made (see sync.conflicts).

    ``overwritten`` holds, per field both sides changed, QuickBooks' value and the
    platform's value that was written over it.
    """

    kind: str
    external_id: str | None
    label: str | None
    created_at: datetime
    kept: tuple[str, ...]
    written: tuple[str, ...]
    overwritten: tuple[tuple[str, str, str], ...]


def conflicts(db: Database, company: str, limit: int = 20) -> list[ConflictRow]:
    """The newest conflicts between QuickBooks edits and platform writes."""
    with db.transaction() as session:
        company_id = company_row(session, company).id
        entries = session.scalars(
            select(ChangeFeedEntry)
            .where(ChangeFeedEntry.company_id == company_id, ChangeFeedEntry.change == CONFLICT)
            .order_by(ChangeFeedEntry.id.desc()).limit(limit))
        result = []
        for entry in entries:
            report = json.loads(entry.data)
            fields, theirs, ours = report["fields"], report["quickbooks"], report["platform"]
            result.append(ConflictRow(
                kind=entry.kind, external_id=entry.external_id,
                label=theirs.get("name") or theirs.get("number"), created_at=entry.created_at,
                kept=tuple(fields["quickbooks"]), written=tuple(fields["platform"]),
                overwritten=tuple((field, _shown(theirs.get(field)), _shown(ours.get(field)))
                                  for field in fields["both"])))
        return result


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= _VALUE_CHARS else text[:_VALUE_CHARS - 1] + "…"


def _counts(value: object) -> Counter[str]:
    """The whole-number counts in a summary's ``{kind: count}`` object; anything else dropped."""
    if not isinstance(value, dict):
        return Counter()
    return Counter({str(kind): n for kind, n in value.items()
                    if isinstance(n, int) and not isinstance(n, bool) and n > 0})


def _summary(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value else None


def _problems(text: str | None) -> tuple[str, ...]:
    found = (_summary(text) or {}).get("problems")
    return tuple(str(p) for p in found) if isinstance(found, list) else ()
