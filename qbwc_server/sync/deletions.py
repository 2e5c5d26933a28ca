"""Pull deletions: QuickBooks only reports them through TxnDeletedQuery / ListDeletedQuery.

Which deletion types are asked for comes from the pull specs (each names the TxnDelType or
ListDelType values its records are deleted under), so a kind the pull stores cannot be left
out of the deletion query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from qbwc_server.sync import records, watermarks
from qbwc_server.sync.profile import pulls
from qbwc_server.sync.pull import PullSpec, checked_mark, newest_checked
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, ResponseMessage
from qbxml.requests import DeletedDateRangeFilter, ListDeletedQuery, TxnDeletedQuery

#: Transactions the engine pushes but has no pull for: a deletion in QuickBooks is still
#: reported when their direction includes pull.
PUSHED_ONLY_TXN_TYPES = {"Deposit": "deposit", "CreditMemo": "credit_memo",
                         "Estimate": "estimate"}


class DeletionsStep:
    """One TxnDeletedQuery and one ListDeletedQuery for the pulled types, since the watermark.

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

    def next(self, ctx: StepContext) -> Outgoing | None:
        if ctx.state.get("done"):
            return None
        requests: list[tuple[str, Any]] = []
        directions = ctx.profile.directions
        txn_types = tuple(t for t, k in self.txn_types.items() if pulls(directions, k))
        list_types = tuple(t for t, k in self.list_types.items() if pulls(directions, k))
        if txn_types:
            requests.append(("deleted-txn", TxnDeletedQuery(
                txn_del_type=txn_types, deleted_date_range_filter=self._since(ctx, "txn"))))
        if list_types:
            requests.append(("deleted-list", ListDeletedQuery(
                list_del_type=list_types, deleted_date_range_filter=self._since(ctx, "list"))))
        return Outgoing(requests=requests)

    @staticmethod
    def _since(ctx: StepContext, which: str) -> DeletedDateRangeFilter | None:
        mark = checked_mark(ctx, f"deleted:{which}")
        if mark is None:
            return None
        return DeletedDateRangeFilter(from_deleted_date=watermarks.since(mark))

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        ctx.state["done"] = True
        for rs in answer.responses:
            if rs.status.action not in (Action.OK, Action.EMPTY):
                continue
            which = "txn" if rs.request_id == "deleted-txn" else "list"
            times: list[str] = []
            for ret in rs.records:
                if which == "txn":
                    kind, qb_id, label = self.txn_types.get(ret.txn_del_type or ""), \
                        ret.txn_id, ret.ref_number
                else:
                    kind, qb_id, label = self.list_types.get(ret.list_del_type or ""), \
                        ret.list_id, ret.full_name
                deleted = ret.time_deleted.text if ret.time_deleted else None
                if kind and qb_id:
                    records.mark_deleted(ctx.session, ctx.company.id, kind, qb_id, ctx.now,
                                         {"qb_id": qb_id, "label": label, "deleted_at": deleted})
                if deleted:
                    times.append(deleted)
            latest = newest_checked(ctx, f"deleted:{which}", times, None)
            if latest:
                records.save_watermark(ctx.session, ctx.company.id, f"deleted:{which}", ctx.now,
                                       modified_text=latest)

    def estimate(self, ctx: StepContext) -> int:
        return 0 if ctx.state.get("done") else 1
