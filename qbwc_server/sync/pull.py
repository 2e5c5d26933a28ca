"""Pull steps: read what changed in QuickBooks into canonical records and the change feed.

Incremental by a modified-time watermark per record type, with an overlap, because
QuickBooks filters on its wall clock and reports UTC offsets off by an hour around
daylight-saving changes (qbwc-protocol.md §9; the rules are in :mod:`.watermarks`); records
arriving twice are recognised by their EditSequence.
The first sync of a transaction type takes the last 12 months (or everything after the
company's "sync data after" date, when that is more recent). History follows from the next
session on, a year at a time, newest first, down to the sync start date, or without one to
the oldest transaction QuickBooks has: an empty year is crossed in the same session, and a
one-record probe (``MaxReturned`` 1, dated before the year) tells whether anything older is
left at all. So each session after the first brings at least one year that has data.
Pages follow :mod:`qbwc_server.sync.paging`: iterators where the qbXML version has them, a
moving filter where it does not, and a smaller page after a page QuickBooks failed on.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from qbwc_server.store.limits import fit
from qbwc_server.store.models import SyncRecord
from qbwc_server.store.queue import ENGINE_PREFIX
from qbwc_server.sync import paging, records, summary, watermarks
from qbwc_server.sync.profile import pulls
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, ResponseMessage
from qbxml.requests import (
    AccountQuery,
    CustomerQuery,
    InvoiceQuery,
    ItemQuery,
    LocalDateTime,
    ModifiedDateRangeFilter,
    ReceivePaymentQuery,
    Request,
    TxnDateRangeFilter,
)

log = logging.getLogger(__name__)

FIRST_WINDOW_DAYS = 365
#: Empty years crossed in one session before the rest waits for the next (keeps a session of
#: a company with decades of gaps short).
MAX_EMPTY_YEARS = 20


@attrs.frozen(kw_only=True)
class PullSpec:
    """How one record type is pulled.

    Attributes:
        kind: our record type name (``customer``, ``invoice``...).
        to_record: turns a Ret record into a canonical record.
        query: builds the query from (modified since, txn-date window, page size).
        is_txn: transactions have a date window for the first sync and history.
        deleted_as: the TxnDelType / ListDelType values QuickBooks reports this kind's
            deletions under (every kind the pull stores; see ``deletions.py``).
    """

    kind: str
    to_record: Callable[[Any], Any]
    query: Callable[[LocalDateTime | None, tuple[date | None, date | None] | None, int],
                    Request]
    is_txn: bool
    deleted_as: tuple[str, ...] = ()


class PullStep:
    """Pull one record type; one message per page."""

    def __init__(self, spec: PullSpec) -> None:
        self.spec = spec
        self.name = f"pull:{spec.kind}"

    def applies(self, profile: SyncProfile) -> bool:
        return pulls(profile.directions, self.spec.kind)

    # -- planning ------------------------------------------------------------

    def next(self, ctx: StepContext) -> Outgoing | None:
        state = ctx.state
        if state.get("done"):
            return None
        if "phase" not in state:
            self._choose_phase(ctx)
            if state.get("done"):
                return None
        if "paging" not in state:
            self._choose_paging(ctx)
        request = self._query(ctx)
        # A probe only asks whether anything is left: one record, no iterator.
        if state["paging"] == paging.ITERATOR and state["phase"] != "probe":
            request = (request.continue_(state["iterator"])  # type: ignore[attr-defined]
                       if state.get("iterator") else request.start())  # type: ignore[attr-defined]
        return Outgoing(requests=[(f"{self.spec.kind}-{state['pages']}", request)],
                        meta={"page": state["page"]})

    def _choose_paging(self, ctx: StepContext) -> None:
        """Iterators or a moving filter, and the page size after recent failures."""
        ctx.state.update(paging.starting_page(
            ctx.session, ctx.company.id, ENGINE_PREFIX + self.name, ctx.profile.page_size,
            ctx.now))
        ctx.state["paging"] = paging.mode(self.spec.query(None, None, 1), ctx.version)

    def _choose_phase(self, ctx: StepContext) -> None:
        state = ctx.state
        mark = checked_mark(ctx, self.spec.kind)
        state.update(pages=0, iterator=None, remaining=None, max_text=None, seen=0)
        if mark is not None:
            state["phase"] = "changes"
            state["since"] = watermarks.since(mark).wall.isoformat()
        elif self.spec.is_txn:
            state["phase"] = "first"
            state["window"] = [_first_cutoff(ctx).isoformat(), None]
            state["since"] = None
        else:
            state["phase"] = "first"

    def _query(self, ctx: StepContext) -> Request:
        state = ctx.state
        since = LocalDateTime(datetime.fromisoformat(state["since"])) if state.get("since") \
            else None
        window = None
        if state.get("window"):
            start, end = state["window"]
            window = (date.fromisoformat(start) if start else None,
                      date.fromisoformat(end) if end else None)
        if state["phase"] == "probe":
            return self.spec.query(since, window, 1)
        if state["paging"] == paging.CURSOR:
            # The next page starts where the last one ended; the first one of a list
            # starts at the beginning of time so that it, too, comes oldest first.
            at = paging.cursor(state)
            if window is not None:
                window = (date.fromisoformat(at) if at else window[0], window[1])
            elif at is not None:
                since = LocalDateTime(watermarks.wall(at))
            elif since is None:
                since = paging.EPOCH
        return self.spec.query(since, window, state["page"])

    # -- answers -------------------------------------------------------------

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        state = ctx.state
        state["pages"] += 1
        rs = answer.responses[0] if answer.responses else None
        if rs is None:
            state["done"] = True
            return
        action = rs.status.action
        if action is Action.RETRY and rs.status_code == 3391:
            # The iterator expired (new QuickBooks session): start this phase again.
            state.update(iterator=None, remaining=None)
            return
        if action not in (Action.OK, Action.EMPTY):
            log.warning("pull %s: QuickBooks said %s %s to a page of %s", self.spec.kind,
                        rs.status_code, rs.status_message, state["page"])
            if paging.shrink(state):
                # Ask again, smaller; an iterator starts over, as its page size is fixed.
                state.update(iterator=None, remaining=None)
            else:
                state["done"] = True
            return
        if state["phase"] == "probe":
            state["seen"] = len(rs.records)
            self._finish_phase(ctx)
            return
        page = self._store(ctx, rs.records)
        if state["paging"] == paging.CURSOR:
            outcome = paging.advance(state, page)
            if outcome == paging.MORE:
                return
            if outcome == paging.STUCK:
                log.warning("pull %s: no page gets past %s; trying again next session",
                            self.spec.kind, paging.cursor(state))
                state["done"] = True
                return
        elif rs.iterator_remaining_count:
            state.update(iterator=rs.iterator_id, remaining=rs.iterator_remaining_count)
            return
        self._finish_phase(ctx)

    def _store(self, ctx: StepContext, rets: Any) -> paging.Page:
        """Store the records of an answer that are new to this phase."""
        page: list[records.Pulled] = []
        keys: list[tuple[str, str | None]] = []
        returned = 0
        for ret in rets:
            returned += 1
            record = self.spec.to_record(ret)
            if not record.qb_id:
                continue
            modified = getattr(record, "updated_at_text", None)
            version = getattr(record, "qb_version", None)
            damage = records.damage(record.qb_id, version, modified)
            if damage is not None:
                log.warning("pull %s: skipped a damaged record from QuickBooks: %s",
                            self.spec.kind, damage)
                continue
            key = _paging_key(ctx.state, ret, modified)
            keys.append((record.qb_id, key))
            if paging.is_repeat(ctx.state, record.qb_id, key):
                continue
            page.append(records.Pulled(
                record=record, qb_id=record.qb_id, qb_version=version,
                label=fit(_label(record), SyncRecord.label), modified_text=modified,
                is_active=getattr(record, "is_active", True)))
        ctx.state["max_text"] = newest_checked(
            ctx, self.spec.kind, [p.modified_text for p in page if p.modified_text],
            ctx.state["max_text"])
        records.upsert_pulled_many(ctx.session, ctx.company.id, self.spec.kind, page, ctx.now)
        ctx.state["seen"] += len(page)
        return paging.Page(keys=keys, returned=returned, fresh=len(page))

    def _finish_phase(self, ctx: StepContext) -> None:
        state = ctx.state
        session, company_id, kind = ctx.session, ctx.company.id, self.spec.kind
        phase = state["phase"]
        if phase in ("first", "changes"):
            # A first sync that found nothing still marks "now": later changes come as changes.
            newest = state["max_text"] or (now_mark(ctx) if phase == "first" else None)
            records.save_watermark(session, company_id, kind, ctx.now, modified_text=newest)
            if phase == "first" and self.spec.is_txn:
                start = date.fromisoformat(state["window"][0])
                floor = _history_floor(ctx)
                if floor is None or start > floor:
                    records.save_watermark(session, company_id, kind, ctx.now,
                                           history_until=start.isoformat())
            mark = records.watermark(session, company_id, kind)
            # History starts in the session after the first one, so recent data comes first.
            if self.spec.is_txn and phase == "changes" and mark is not None \
                    and mark.history_until:
                self._history_window(ctx, date.fromisoformat(mark.history_until))
                return
        elif phase == "history":
            start = date.fromisoformat(state["window"][0])
            floor = _history_floor(ctx)
            if floor is not None and start <= floor:
                records.save_watermark(session, company_id, kind, ctx.now, clear_history=True)
            else:
                records.save_watermark(session, company_id, kind, ctx.now,
                                       history_until=start.isoformat())
                if not state["seen"] and state.get("empty_years", 0) < MAX_EMPTY_YEARS:
                    # An empty year: is anything older left at all?
                    state["empty_years"] = state.get("empty_years", 0) + 1
                    if floor is None:
                        state.update(phase="probe", iterator=None, remaining=None, seen=0,
                                     window=[None, (start - timedelta(days=1)).isoformat()])
                    else:
                        self._history_window(ctx, start)
                    return
        elif phase == "probe":
            mark = records.watermark(session, company_id, kind)
            if state["seen"] and mark is not None and mark.history_until:
                self._history_window(ctx, date.fromisoformat(mark.history_until))
                return
            if not state["seen"]:
                records.save_watermark(session, company_id, kind, ctx.now, clear_history=True)
        state["done"] = True

    def _history_window(self, ctx: StepContext, end: date) -> None:
        """Pull the year before ``end`` (not below the sync start date), newest first."""
        start = end - timedelta(days=FIRST_WINDOW_DAYS)
        floor = _history_floor(ctx)
        if floor is not None:
            start = max(start, floor)
        ctx.state.update(phase="history", since=None, iterator=None, remaining=None, seen=0,
                         window=[start.isoformat(), (end - timedelta(days=1)).isoformat()])

    def estimate(self, ctx: StepContext) -> int:
        state = ctx.state
        if state.get("done"):
            return 0
        if state.get("remaining"):
            return math.ceil(state["remaining"] / max(1, state.get("page") or 1))
        return 1


def checked_mark(ctx: StepContext, kind: str) -> str | None:
    """The kind's watermark once checked; a stored value that fails the checks (written
    before they existed) is repaired, or dropped so the kind is pulled from the start."""
    mark = records.watermark(ctx.session, ctx.company.id, kind)
    if mark is None or not mark.modified_text:
        return None
    checked = watermarks.check(mark.modified_text, now=ctx.now,
                               offset=watermarks.offset_of(mark.modified_text))
    if checked.text != mark.modified_text:
        records.save_watermark(ctx.session, ctx.company.id, kind, ctx.now,
                               modified_text=checked.text, replace=True)
    if checked.problem:
        summary.report(ctx.state, f"{kind}: {checked.problem}")
    return checked.text


def newest_checked(ctx: StepContext, kind: str, texts: list[str], newest: str | None
                   ) -> str | None:
    """The newest of ``newest`` and the checked ``texts``; odd values are reported."""
    mark = records.watermark(ctx.session, ctx.company.id, kind)
    # A value without offset is read in the company's time: the offset its others carry.
    offset = next((o for o in map(watermarks.offset_of, texts) if o is not None),
                  watermarks.offset_of(mark.modified_text if mark else None))
    for text in texts:
        checked = watermarks.check(text, now=ctx.now, offset=offset)
        if checked.problem:
            summary.report(ctx.state, f"{kind}: {checked.problem}")
        if checked.text and (newest is None
                             or watermarks.wall(checked.text) > watermarks.wall(newest)):
            newest = checked.text
    return newest


def now_mark(ctx: StepContext) -> str:
    """The session's clock as a watermark, in the company's time as its watermarks show it."""
    return watermarks.now_text(ctx.now, company_offset(ctx))


def company_offset(ctx: StepContext) -> timedelta | None:
    """The company's UTC offset as its watermarks show it, if any does."""
    for row in records.watermarks_of(ctx.session, ctx.company.id):
        offset = watermarks.offset_of(row.modified_text)
        if offset is not None:
            return offset
    return None


def _history_floor(ctx: StepContext) -> date | None:
    """The sync start date, if the company has one: no history before it."""
    return date.fromisoformat(ctx.profile.sync_after) if ctx.profile.sync_after else None


def _paging_key(state: dict[str, Any], ret: Any, modified: str | None) -> str | None:
    if state.get("paging") != paging.CURSOR:
        return None
    if paging.by_txn_date(state):
        txn_date = getattr(ret, "txn_date", None)
        return txn_date.isoformat() if txn_date else None
    return modified


def _first_cutoff(ctx: StepContext) -> date:
    """The last 12 months, or less when the sync start date is more recent."""
    recent = ctx.now.date() - timedelta(days=FIRST_WINDOW_DAYS)
    floor = _history_floor(ctx)
    return max(recent, floor) if floor is not None else recent


def _label(record: Any) -> str | None:
    for attribute in ("path", "name", "number"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)[:250]
    return None


def list_query(factory: type[CustomerQuery] | type[ItemQuery] | type[AccountQuery],
               ) -> Callable[[LocalDateTime | None, tuple[date | None, date | None] | None, int],
                            Request]:
    """A list query: everything (active or not) modified since the watermark.

    AccountQuery has no iterator, but it has MaxReturned: it pages by modified time, so a
    chart of accounts too large for one answer cannot stall the pull.
    """

    def build(since: LocalDateTime | None, window: object, page: int) -> Request:
        return factory(active_status="All", from_modified_date=since, max_returned=page)

    return build


def txn_query(factory: type[InvoiceQuery] | type[ReceivePaymentQuery], **flags: Any,
              ) -> Callable[[LocalDateTime | None, tuple[date | None, date | None] | None, int],
                            Request]:
    """A transaction query with lines and links: modified since, or in a date window."""

    def build(since: LocalDateTime | None, window: tuple[date | None, date | None] | None,
              page: int) -> Request:
        return factory(
            max_returned=page,
            modified_date_range_filter=ModifiedDateRangeFilter(from_modified_date=since)
            if since else None,
            txn_date_range_filter=TxnDateRangeFilter(from_txn_date=window[0],
                                                     to_txn_date=window[1])
            if window else None,
            include_line_items=True,
            **flags,
        )

    return build
