"""Pull deletions: QuickBooks only reports them through TxnDeletedQuery / ListDeletedQuery.

Which deletion types are asked for comes from the pull specs (each names the TxnDelType or
ListDelType values its records are deleted under), so a kind the pull stores cannot be left
out of the deletion query.

**Date windows.** Neither query has an iterator or ``MaxReturned`` (qbXML 13.0), so the only
way to ask for less is a narrower ``DeletedDateRangeFilter``. Transactions and lists go in
messages of their own. Each asks from its watermark (minus the overlap) with no end, as long
as that works; a window QuickBooks or the transport cannot carry is narrowed to half, by the
page-size rule of :mod:`.paging` with seconds for records: an error status narrows it at
once, in the same session; a failure that ends the session (out of memory, an answer lost
or too large) makes the next sessions start at half the narrowest window that failed so in
the last day. Windows follow each other oldest first, the last one open-ended, and the
watermark moves to the end of each window read, so a session cut short keeps what it read.
Without this, one pile of deletions too large for an answer failed the same message in
every session, and the session ended before any push.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from qbwc_server.store.queue import ENGINE_PREFIX
from qbwc_server.sync import paging, records, summary, watermarks
from qbwc_server.sync.profile import pulls
from qbwc_server.sync.pull import PullSpec, checked_mark, company_offset, newest_checked, now_mark
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, ResponseMessage
from qbxml.requests import (
    DeletedDateRangeFilter,
    ListDeletedQuery,
    LocalDateTime,
    Request,
    TxnDeletedQuery,
)

log = logging.getLogger(__name__)

#: Transactions the engine pushes but has no pull for: a deletion in QuickBooks is still
#: reported when their direction includes pull.
PUSHED_ONLY_TXN_TYPES = {"Deposit": "deposit", "CreditMemo": "credit_memo",
                         "Estimate": "estimate"}
#: The two deletion queries, in the order they are asked.
WHICH = ("txn", "list")


class DeletionsStep:
    """TxnDeletedQuery and ListDeletedQuery for the pulled types, since their watermarks.

    Args:
        specs: the pull specs; their ``deleted_as`` types are asked for.
        extra_txn_types: TxnDelType -> kind for kinds without a pull spec.
    """

    name = "pull:deletions"

    def __init__(self, specs: Iterable[PullSpec],
                 extra_txn_types: Mapping[str, str] = PUSHED_ONLY_TXN_TYPES) -> None:
        specs = tuple(specs)
        self.txn_types = {t: s.kind for s in specs if s.is_txn for t in s.deleted_as}
        self.txn_types.update(extra_txn_types)
        self.list_types = {t: s.kind for s in specs if not s.is_txn for t in s.deleted_as}

    def applies(self, profile: SyncProfile) -> bool:
        kinds = set(self.txn_types.values()) | set(self.list_types.values())
        return any(pulls(profile.directions, kind) for kind in kinds)

    def _types(self, ctx: StepContext, which: str) -> tuple[str, ...]:
        types = self.txn_types if which == "txn" else self.list_types
        return tuple(t for t, kind in types.items() if pulls(ctx.profile.directions, kind))

    def _waiting(self, ctx: StepContext) -> list[str]:
        """The deletion queries this session still has to ask (some windows of them)."""
        return [which for which in WHICH if self._types(ctx, which)
                and not ctx.state.get(which, {}).get("done")]

    # -- planning ------------------------------------------------------------

    def next(self, ctx: StepContext) -> Outgoing | None:
        waiting = self._waiting(ctx)
        if not waiting:
            return None
        which = waiting[0]
        state = ctx.state.get(which) or self._start(ctx, which)
        now_wall = watermarks.wall(now_mark(ctx))
        low = datetime.fromisoformat(state["from"]) if state["from"] else None
        end = (low or paging.EPOCH.wall) + timedelta(seconds=state["page"])
        high = end if end < now_wall else None  # the last window is open-ended
        state["to"] = high.isoformat() if high else None
        window = None
        if low or high:
            window = DeletedDateRangeFilter(
                from_deleted_date=LocalDateTime(low) if low else None,
                to_deleted_date=LocalDateTime(high) if high else None)
        types = self._types(ctx, which)
        request: Request = (
            TxnDeletedQuery(txn_del_type=types, deleted_date_range_filter=window)
            if which == "txn" else
            ListDeletedQuery(list_del_type=types, deleted_date_range_filter=window))
        # The window's length goes with the message: the failure memory of paging.py.
        span = (high or now_wall) - (low or paging.EPOCH.wall)
        return Outgoing(requests=[(f"deleted-{which}", request)],
                        meta={which: max(1, int(span.total_seconds()))})

    def _start(self, ctx: StepContext, which: str) -> dict[str, Any]:
        """The first window of this session: from the watermark, as wide as recent failures
        allow (to now when none did)."""
        mark = checked_mark(ctx, f"deleted:{which}")
        low = watermarks.since(mark).wall if mark else None
        extent = watermarks.wall(now_mark(ctx)) - (low or paging.EPOCH.wall)
        state = paging.starting_page(ctx.session, ctx.company.id, ENGINE_PREFIX + self.name,
                                     max(1, int(extent.total_seconds())), ctx.now, key=which)
        state["from"] = low.isoformat() if low else None
        ctx.state[which] = state
        return state

    # -- answers -------------------------------------------------------------

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        for rs in answer.responses:
            which = "txn" if rs.request_id == "deleted-txn" else "list"
            state = ctx.state.setdefault(which, {})
            if rs.status.action not in (Action.OK, Action.EMPTY):
                self._narrow(ctx, which, state, f"{rs.status_code} {rs.status_message}")
                continue
            times = self._mark_deleted(ctx, which, rs.records)
            latest = newest_checked(ctx, f"deleted:{which}", times, None)
            # The window was read whole: the next one (or the next session, if this one is
            # cut short) starts at its end. The open-ended last one ends now, so a company
            # without deletions is not asked for every deletion since 1990 each session.
            if state.get("to"):
                end = watermarks.wall_text(datetime.fromisoformat(state["to"]),
                                           company_offset(ctx))
                state["from"] = state["to"]
            else:
                end = now_mark(ctx)
                state["done"] = True
            if latest is None or watermarks.wall(end) > watermarks.wall(latest):
                latest = end
            records.save_watermark(ctx.session, ctx.company.id, f"deleted:{which}", ctx.now,
                                   modified_text=latest)

    @staticmethod
    def _narrow(ctx: StepContext, which: str, state: dict[str, Any], said: str) -> None:
        """QuickBooks refused the window: ask again at half its width, or next session."""
        log.warning("deletions (%s): QuickBooks said %s to a window of %s s", which, said,
                    state.get("page"))
        if "page" in state and paging.shrink(state):
            return
        state["done"] = True
        summary.report(ctx.state, f"deletions ({which}): QuickBooks could not answer even "
                                  f"the narrowest window ({said}); asked again next session")

    def _mark_deleted(self, ctx: StepContext, which: str, rets: Any) -> list[str]:
        """Mark the deleted records we know; the TimeDeleted values seen."""
        times: list[str] = []
        for ret in rets:
            if which == "txn":
                kind, qb_id, label = self.txn_types.get(ret.txn_del_type or ""), \
                    ret.txn_id, ret.ref_number
            else:
                kind, qb_id, label = self.list_types.get(ret.list_del_type or ""), \
                    ret.list_id, ret.full_name
            deleted = ret.time_deleted.text if ret.time_deleted else None
            damage = records.damage(qb_id, modified_text=deleted)
            if damage is not None:
                log.warning("deletions: skipped a damaged answer from QuickBooks: %s", damage)
                continue
            if kind and qb_id:
                records.mark_deleted(ctx.session, ctx.company.id, kind, qb_id, ctx.now,
                                     {"qb_id": qb_id, "label": label, "deleted_at": deleted})
            if deleted:
                times.append(deleted)
        return times

    def estimate(self, ctx: StepContext) -> int:
        return len(self._waiting(ctx))
