"""The per-company request queue that Web Connector sessions drain.

An item holds one qbXML request message, what it is for, its state and the
response. States: ``queued`` -> ``sent`` -> ``done`` | ``failed``. An item that
was sent but never answered (session lost) goes back to ``queued`` if it only
reads, and to ``unknown`` if it writes: a write is never sent twice blindly. An item that
QuickBooks refused for now (a lock) goes back to ``queued`` with a ``next_attempt_at``
before which no session takes it.
"""

from __future__ import annotations

import re
from datetime import datetime

import attrs
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from qbwc_server.store.models import QueuedRequest

QUEUED, SENT, DONE, FAILED, UNKNOWN = "queued", "sent", "done", "failed", "unknown"
# A sync engine read that lost its session: the engine plans afresh, so it is never resent.
DROPPED = "dropped"
# Made by the sync engine for the session's next sendRequestXML, not yet sent.
PREPARED = "prepared"
ENGINE_PREFIX = "sync:"
# A requestID attribute of an element start tag, walking the attributes before it, so that
# text that merely looks like one (a customer's notes, say) never counts.
_REQUEST_ID_RE = re.compile(
    r"""<[A-Za-z][^\s<>/]*(?:\s+[^\s=<>]+\s*=\s*(?:"[^"]*"|'[^']*'))*?"""
    r"""\s+requestID\s*=\s*(?:"([^"<]{1,50})"|'([^'<]{1,50})')"""
)


@attrs.frozen(kw_only=True)
class QueueItem:
    """A request in the queue, as the rest of the server sees it."""

    id: int
    company_id: int
    purpose: str
    request_id: str
    request_xml: str
    is_write: bool
    state: str
    response_xml: str | None
    error: str | None
    created_at: datetime
    completed_at: datetime | None

    @classmethod
    def from_row(cls, row: QueuedRequest) -> QueueItem:
        return cls(
            id=row.id,
            company_id=row.company_id,
            purpose=row.purpose,
            request_id=row.request_id,
            request_xml=row.request_xml,
            is_write=row.is_write,
            state=row.state,
            response_xml=row.response_xml,
            error=row.error,
            created_at=row.created_at,
            completed_at=row.completed_at,
        )


def enqueue(
    session: Session,
    company_id: int,
    *,
    purpose: str,
    request_xml: str,
    now: datetime,
    is_write: bool = False,
    meta: str | None = None,
) -> QueueItem:
    """Add a request message; its first requestID correlates the answer."""
    found = request_ids_in(request_xml)
    row = QueuedRequest(
        company_id=company_id,
        purpose=purpose[:100],
        request_id=found[0] if found else "",
        request_xml=request_xml,
        is_write=is_write,
        meta=meta,
        state=QUEUED,
        attempts=0,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return QueueItem.from_row(row)


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(QueuedRequest.next_attempt_at.is_(None), QueuedRequest.next_attempt_at <= now)


def count_queued(session: Session, company_id: int, *, due_at: datetime | None = None) -> int:
    """Items waiting for a session; with ``due_at``, only those a session may take then."""
    query = select(func.count()).where(
        QueuedRequest.company_id == company_id, QueuedRequest.state == QUEUED
    )
    if due_at is not None:
        query = query.where(_due(due_at))
    return session.scalar(query) or 0


def claim_next(
    session: Session, company_id: int, session_id: int, now: datetime
) -> QueuedRequest | None:
    """Mark the oldest due queued item as sent by this session, atomically."""
    for _ in range(5):
        item_id = session.scalar(
            select(QueuedRequest.id)
            .where(QueuedRequest.company_id == company_id, QueuedRequest.state == QUEUED,
                   _due(now))
            .order_by(QueuedRequest.id)
            .limit(1)
        )
        if item_id is None:
            return None
        # The conditional UPDATE is the claim on both SQLite and PostgreSQL.
        claimed = session.execute(
            update(QueuedRequest)
            .where(QueuedRequest.id == item_id, QueuedRequest.state == QUEUED)
            .values(state=SENT, session_id=session_id, sent_at=now,
                    attempts=QueuedRequest.attempts + 1)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return session.get(QueuedRequest, item_id, populate_existing=True)
    return None


def complete(row: QueuedRequest, response_xml: str, now: datetime) -> None:
    row.state, row.response_xml, row.completed_at, row.error = DONE, response_xml, now, None


def fail(row: QueuedRequest, error: str, now: datetime) -> None:
    row.state, row.error, row.completed_at = FAILED, error, now


def again_later(row: QueuedRequest, error: str, not_before: datetime) -> None:
    """QuickBooks refused the item for now: back in the queue, not taken before ``not_before``."""
    row.state, row.error, row.next_attempt_at, row.completed_at = QUEUED, error, not_before, None


def release_unanswered(session: Session, session_id: int) -> None:
    """A session ended with an item still out: reads go back, writes become unknown."""
    for row in session.scalars(
        select(QueuedRequest).where(
            QueuedRequest.session_id == session_id,
            QueuedRequest.state.in_((SENT, PREPARED)),
        )
    ):
        if row.state == PREPARED:
            row.state = DROPPED  # never sent: nothing to reconcile
        elif row.is_write:
            row.state = UNKNOWN
        else:
            row.state = DROPPED if row.purpose.startswith(ENGINE_PREFIX) else QUEUED


def items_for(session: Session, company_id: int, limit: int = 100) -> list[QueueItem]:
    rows = session.scalars(
        select(QueuedRequest)
        .where(QueuedRequest.company_id == company_id)
        .order_by(QueuedRequest.id.desc())
        .limit(limit)
    )
    return [QueueItem.from_row(row) for row in rows]


def request_ids_in(text: str) -> list[str]:
    """Every requestID attribute in a qbXML message, in order (cheap, no parse)."""
    return [double or single for double, single in _REQUEST_ID_RE.findall(text)]


def answers(request_xml: str, response_xml: str) -> bool:
    """Whether ``response_xml`` is the answer to ``request_xml``.

    It must echo the message's first requestID (QuickBooks answers requests in order, and
    even ``stopOnError`` answers the first), and only requestIDs the message sent: an
    answer to another message, of this session or an earlier one, is refused. A message
    that carries no requestID cannot be matched and is taken as answered.
    """
    asked = request_ids_in(request_xml)
    if not asked:
        return True
    answered = request_ids_in(response_xml)
    return asked[0] in answered and set(answered) <= set(asked)
