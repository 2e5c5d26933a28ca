"""What a session moved, for the partner's sync history: counts on the session row.

``WebConnectorSession.summary`` is JSON ``{"pulled": {"customer": 12, ...}, "pushed":
{"payment": 50}, "failed": 1}``. The engine marks the change feed before a step works and
tallies the entries written after it: a pull step's entries count as pulled, a push or
reconcile step's as pushed (``push_failed`` as failed), wherever they were written (while
making a message, e.g. a record that fails before it is sent, or while reading an answer).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qbwc_server.store.models import ChangeFeedEntry, WebConnectorSession
from qbwc_server.sync.records import PUSH_FAILED

PULLED, PUSHED, FAILED = "pulled", "pushed", "failed"


def empty() -> str:
    return json.dumps({PULLED: {}, PUSHED: {}, FAILED: 0}, sort_keys=True)


def mark(session: Session, company_id: int) -> int:
    """The company's newest change-feed id so far."""
    session.flush()
    newest = session.scalar(select(func.max(ChangeFeedEntry.id))
                            .where(ChangeFeedEntry.company_id == company_id))
    return int(newest or 0)


def tally(session: Session, sess: WebConnectorSession, company_id: int, since: int,
          side: str) -> None:
    """Add the entries written after ``since`` to the session's summary under ``side``."""
    session.flush()
    rows = session.execute(
        select(ChangeFeedEntry.kind, ChangeFeedEntry.change, func.count())
        .where(ChangeFeedEntry.company_id == company_id, ChangeFeedEntry.id > since)
        .group_by(ChangeFeedEntry.kind, ChangeFeedEntry.change)).all()
    if not rows:
        return
    summary: dict[str, Any] = json.loads(sess.summary or empty())
    for kind, change, count in rows:
        if change == PUSH_FAILED:
            summary[FAILED] = summary.get(FAILED, 0) + count
        else:
            moved = summary.setdefault(side, {})
            moved[kind] = moved.get(kind, 0) + count
    sess.summary = json.dumps(summary, sort_keys=True)


#: Problems kept per session: enough to act on, never a flood from one damaged list.
MAX_PROBLEMS = 10


def report(state: dict[str, Any], problem: str) -> None:
    """Note a problem a step met (an odd value QuickBooks sent), for the session's history."""
    problems: list[str] = state.setdefault("problems", [])
    if problem not in problems and len(problems) < MAX_PROBLEMS:
        problems.append(problem)


def collect(sess: WebConnectorSession, state: dict[str, Any]) -> None:
    """Move the problems a step noted into the session's summary (``"problems": [...]``)."""
    problems = state.pop("problems", None)
    if not problems:
        return
    summary: dict[str, Any] = json.loads(sess.summary or empty())
    kept: list[str] = summary.setdefault("problems", [])
    kept.extend(p for p in problems if p not in kept)
    del kept[MAX_PROBLEMS:]
    sess.summary = json.dumps(summary, sort_keys=True)
