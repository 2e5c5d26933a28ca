"""How a pull pages through QuickBooks: the page size, and paging without iterators.

**Page size.** A page starts at the company's ``page_size`` and is asked again at half the
size, never below :data:`MIN_PAGE` records, when it fails. QuickBooks answering it with an
error status: at once, in the same session. A failure that ends the session (an HRESULT such
as out of memory, a lost answer, an answer our transport refused as too large): the next
sessions start at half the smallest page that failed so in the last :data:`FAILURE_MEMORY`,
read from the message queue (each page message records its size), so the size grows back
once a day has passed without one.

**Paging without iterators.** Iterators came with qbXML 5.0; a QuickBooks that speaks only 4.x
is paged with ``MaxReturned`` and a filter that starts where the last page ended. This relies
on QuickBooks answering a query filtered by modified date oldest first, and one filtered by
transaction date earliest first (the protocol notes are silent on the order; the simulated
company answers so). The filter bound is inclusive, so records at the boundary come again and
are skipped; a full page holding nothing new (more records stamped with one second than fit a
page) doubles the page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from qbwc_server.store import queue
from qbwc_server.store.models import QueuedRequest
from qbxml import Version, load_schema
from qbxml.requests import LocalDateTime, Request

ITERATOR, CURSOR, SINGLE = "iterator", "cursor", "single"
MORE, LAST, STUCK = "more", "last", "stuck"
MIN_PAGE = 10
FAILURE_MEMORY = timedelta(hours=24)
#: Where a list's first pull starts when it pages by modified time: before any company file
#: (QuickBooks' own wall clock, like every modified-date filter).
EPOCH = LocalDateTime(datetime(1990, 1, 1))  # noqa: DTZ001 (a wall clock by design)
_FAILED = (queue.FAILED, queue.DROPPED, queue.SENT)


def mode(request: Request, version: Version) -> str:
    """``iterator`` when the message version allows one, else ``cursor`` for a query with
    ``MaxReturned``, else ``single`` (one answer holds everything)."""
    if load_schema().field(request.RQ).takes_attribute("iterator", version):
        return ITERATOR
    if getattr(request, "max_returned", None) is not None:
        return CURSOR
    return SINGLE


def starting_page(session: Session, company_id: int, purpose: str, configured: int,
                  now: datetime, *, key: str = "page") -> dict[str, Any]:
    """The paging state a step starts the session with (see the module's page-size rule).

    ``key`` names the size in each message's ``meta`` (a step sending pages of two kinds
    keeps a size for each).
    """
    failed = _recent_failures(session, company_id, purpose, now, key)
    smallest = min(failed, default=None)
    size = configured
    if smallest is not None:
        size = max(min(MIN_PAGE, configured), min(configured, smallest // 2))
    return {"page": size, "failed_page": smallest}


def _recent_failures(session: Session, company_id: int, purpose: str,
                     now: datetime, key: str) -> list[int]:
    """Page sizes of this step's messages that were sent and never answered well lately."""
    metas = session.scalars(
        select(QueuedRequest.meta).where(
            QueuedRequest.company_id == company_id,
            QueuedRequest.purpose == purpose,
            QueuedRequest.state.in_(_FAILED),
            QueuedRequest.sent_at.is_not(None),
            QueuedRequest.sent_at >= now - FAILURE_MEMORY,
        )
    )
    sizes = []
    for meta in metas:
        page = json.loads(meta or "{}").get(key)
        if isinstance(page, int) and page > 0:
            sizes.append(page)
    return sizes


def shrink(state: dict[str, Any]) -> bool:
    """QuickBooks failed on this page: halve it. False when it is already the smallest."""
    page = state["page"]
    floor = min(MIN_PAGE, page)
    failed = state.get("failed_page")
    state["failed_page"] = page if failed is None else min(failed, page)
    if page <= floor:
        return False
    state["page"] = max(floor, page // 2)
    return True


# -- paging without iterators ----------------------------------------------------------------


def _scope(state: dict[str, Any]) -> str:
    # A cursor belongs to one phase and window; a new phase or year starts from its own start.
    return json.dumps([state.get("phase"), state.get("since"), state.get("window")])


def cursor(state: dict[str, Any]) -> str | None:
    """Where the next page starts (a TimeModified text or a TxnDate), None on the first page."""
    saved = state.get("cursor")
    if saved and saved["scope"] == _scope(state):
        return str(saved["at"])
    return None


def by_txn_date(state: dict[str, Any]) -> bool:
    """Window phases (first sync and history of transactions) page by TxnDate."""
    return bool(state.get("window"))


def is_repeat(state: dict[str, Any], qb_id: str, key: str | None) -> bool:
    """A record at the boundary that the previous page already brought."""
    saved = state.get("cursor")
    return (saved is not None and saved["scope"] == _scope(state) and key == saved["at"]
            and qb_id in saved["boundary"])


@attrs.frozen(kw_only=True)
class Page:
    """What one answer brought.

    Attributes:
        keys: (QuickBooks id, paging key) of each record, in QuickBooks' order.
        returned: how many records QuickBooks returned (fewer than ``MaxReturned``: the end).
        fresh: how many of them were new to this phase.
    """

    keys: Sequence[tuple[str, str | None]]
    returned: int
    fresh: int


def advance(state: dict[str, Any], page: Page) -> str:
    """Move the cursor past ``page``.

    Returns:
        :data:`MORE` for another page, :data:`LAST` when the phase is complete, :data:`STUCK`
        when no page QuickBooks can answer gets past the cursor (try again next session).
    """
    if page.returned < state["page"]:
        return LAST
    keys = [key for _, key in page.keys if key]
    if not keys:
        return STUCK
    last = keys[-1]
    boundary = {qb_id for qb_id, key in page.keys if key == last}
    saved = state.get("cursor")
    if cursor(state) == last and saved is not None:
        boundary |= set(saved["boundary"])
    state["cursor"] = {"scope": _scope(state), "at": last, "boundary": sorted(boundary)}
    if not page.fresh:
        # A page full of one instant: only a bigger page can get past it.
        grown = state["page"] * 2
        failed = state.get("failed_page")
        if failed is not None and grown >= failed:
            return STUCK
        state["page"] = grown
    return MORE
