"""Pull steps: read what changed in QuickBooks into canonical records and the change feed.

Incremental by a modified-time watermark per record type, with an overlap, because
QuickBooks reports UTC offsets off by an hour around daylight-saving changes
(qbwc-protocol.md §9); records arriving twice are recognised by their EditSequence.
The first sync of a transaction type takes the last 12 months (or everything after the
company's "sync data after" date); each later session pulls one more year of history
until a year comes back empty.
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
from qbwc_server.sync import records
from qbwc_server.sync.profile import pulls
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, ResponseMessage
from qbxml.requests import (
    AccountQuery,
    CustomerQuery,
    InvoiceQuery,
    ItemQuery,
    ModifiedDateRangeFilter,
    ReceivePaymentQuery,
    Request,
    TxnDateRangeFilter,
)

log = logging.getLogger(__name__)

# Wide enough for QuickBooks' one-hour DST error, plus clock drift between runs.
OVERLAP = timedelta(minutes=65)
FIRST_WINDOW_DAYS = 365


@attrs.frozen(kw_only=True)
class PullSpec:
    """How one record type is pulled.

    Attributes:
        kind: our record type name (``customer``, ``invoice``...).
        to_record: turns a Ret record into a canonical record.
        query: builds the query from (modified since, txn-date window, page size).
        is_txn: transactions have a date window for the first sync and history.
        iterates: whether the query supports iterators (AccountQuery does not).
    """

    kind: str
    to_record: Callable[[Any], Any]
    query: Callable[[datetime | None, tuple[date, date | None] | None, int], Request]
    is_txn: bool
    iterates: bool = True


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
        request = self._query(ctx)
        if state.get("iterator"):
            request = request.continue_(state["iterator"])  # type: ignore[attr-defined]
        elif self.spec.iterates:
            request = request.start()  # type: ignore[attr-defined]
        return Outgoing(requests=[(f"{self.spec.kind}-{state['pages']}", request)])

    def _choose_phase(self, ctx: StepContext) -> None:
        state = ctx.state
        mark = records.watermark(ctx.session, ctx.company.id, self.spec.kind)
        state.update(pages=0, iterator=None, remaining=None, max_text=None, seen=0)
        if mark is not None and mark.modified_text:
            state["phase"] = "changes"
            since = datetime.fromisoformat(mark.modified_text) - OVERLAP
            state["since"] = since.isoformat()
        elif self.spec.is_txn:
            state["phase"] = "first"
            state["window"] = [_first_cutoff(ctx).isoformat(), None]
        else:
            state["phase"] = "first"

    def _query(self, ctx: StepContext) -> Request:
        state = ctx.state
        since = datetime.fromisoformat(state["since"]) if state.get("since") else None
        window = None
        if state.get("window"):
            start, end = state["window"]
            window = (date.fromisoformat(start), date.fromisoformat(end) if end else None)
        return self.spec.query(since, window, ctx.profile.page_size)

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
            log.warning("pull %s: QuickBooks said %s %s", self.spec.kind, rs.status_code,
                        rs.status_message)
            state["done"] = True
            return
        self._store(ctx, rs.records)
        if rs.iterator_remaining_count:
            state.update(iterator=rs.iterator_id, remaining=rs.iterator_remaining_count)
            return
        self._finish_phase(ctx)

    def _store(self, ctx: StepContext, rets: Any) -> None:
        page = []
        for ret in rets:
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
            page.append(records.Pulled(
                record=record, qb_id=record.qb_id, qb_version=version,
                label=fit(_label(record), SyncRecord.label), modified_text=modified,
                is_active=getattr(record, "is_active", True)))
            if modified and (ctx.state["max_text"] is None or modified > ctx.state["max_text"]):
                ctx.state["max_text"] = modified
        records.upsert_pulled_many(ctx.session, ctx.company.id, self.spec.kind, page, ctx.now)
        ctx.state["seen"] += len(page)

    def _finish_phase(self, ctx: StepContext) -> None:
        state = ctx.state
        session, company_id, kind = ctx.session, ctx.company.id, self.spec.kind
        if state["phase"] in ("first", "changes"):
            records.save_watermark(session, company_id, kind, ctx.now,
                                   modified_text=state["max_text"])
            if state["phase"] == "first" and self.spec.is_txn and state["max_text"]:
                records.save_watermark(session, company_id, kind, ctx.now,
                                       history_until=state["window"][0])
            mark = records.watermark(session, company_id, kind)
            # History starts in the session after the first one, so recent data comes first.
            if (self.spec.is_txn and state["phase"] == "changes" and mark is not None
                    and mark.history_until):
                # One year of older history per session, newest first.
                end = date.fromisoformat(mark.history_until)
                state.update(phase="history", since=None, iterator=None, remaining=None,
                             seen=0, window=[(end - timedelta(days=FIRST_WINDOW_DAYS))
                                             .isoformat(), (end - timedelta(days=1)).isoformat()])
                return
        elif state["phase"] == "history":
            if state["seen"]:
                records.save_watermark(session, company_id, kind, ctx.now,
                                       history_until=state["window"][0])
            else:
                records.save_watermark(session, company_id, kind, ctx.now, clear_history=True)
        state["done"] = True

    def estimate(self, ctx: StepContext) -> int:
        state = ctx.state
        if state.get("done"):
            return 0
        if state.get("remaining"):
            return math.ceil(state["remaining"] / max(1, ctx.profile.page_size))
        return 1


def _first_cutoff(ctx: StepContext) -> date:
    if ctx.profile.sync_after:
        return date.fromisoformat(ctx.profile.sync_after)
    return ctx.now.date() - timedelta(days=FIRST_WINDOW_DAYS)


def _label(record: Any) -> str | None:
    for attribute in ("path", "name", "number"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)[:250]
    return None


def list_query(factory: type[CustomerQuery] | type[ItemQuery] | type[AccountQuery],
               ) -> Callable[[datetime | None, tuple[date, date | None] | None, int], Request]:
    """A list query: everything (active or not) modified since the watermark."""

    def build(since: datetime | None, window: object, page: int) -> Request:
        extra: dict[str, Any] = {"max_returned": page} if factory is not AccountQuery else {}
        return factory(active_status="All", from_modified_date=since, **extra)

    return build


def txn_query(factory: type[InvoiceQuery] | type[ReceivePaymentQuery], **flags: Any,
              ) -> Callable[[datetime | None, tuple[date, date | None] | None, int], Request]:
    """A transaction query with lines and links: modified since, or in a date window."""

    def build(since: datetime | None, window: tuple[date, date | None] | None,
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
