"""Pull deletions: QuickBooks only reports them through TxnDeletedQuery / ListDeletedQuery."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from qbwc_server.sync import records
from qbwc_server.sync.profile import pulls
from qbwc_server.sync.pull import OVERLAP
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, ResponseMessage
from qbxml.requests import DeletedDateRangeFilter, ListDeletedQuery, TxnDeletedQuery

TXN_TYPES = {"Invoice": "invoice", "ReceivePayment": "payment", "Deposit": "deposit",
             "CreditMemo": "credit_memo", "Estimate": "estimate"}
LIST_TYPES = {"Customer": "customer", "Account": "account", "ItemService": "item",
              "ItemNonInventory": "item", "ItemOtherCharge": "item", "ItemInventory": "item",
              "ItemDiscount": "item", "ItemPayment": "item", "ItemSalesTax": "item",
              "ItemSubtotal": "item", "ItemGroup": "item"}

log = logging.getLogger(__name__)


class DeletionsStep:
    """One TxnDeletedQuery and one ListDeletedQuery for the pulled types, since the watermark."""

    name = "pull:deletions"

    def applies(self, profile: SyncProfile) -> bool:
        return any(pulls(profile.directions, kind)
                   for kind in set(TXN_TYPES.values()) | set(LIST_TYPES.values()))

    def next(self, ctx: StepContext) -> Outgoing | None:
        if ctx.state.get("done"):
            return None
        requests: list[tuple[str, Any]] = []
        txn_types = tuple(t for t, k in TXN_TYPES.items() if pulls(ctx.profile.directions, k))
        list_types = tuple(t for t, k in LIST_TYPES.items() if pulls(ctx.profile.directions, k))
        if txn_types:
            requests.append(("deleted-txn", TxnDeletedQuery(
                txn_del_type=txn_types, deleted_date_range_filter=self._since(ctx, "txn"))))
        if list_types:
            requests.append(("deleted-list", ListDeletedQuery(
                list_del_type=list_types, deleted_date_range_filter=self._since(ctx, "list"))))
        return Outgoing(requests=requests)

    @staticmethod
    def _since(ctx: StepContext, which: str) -> DeletedDateRangeFilter | None:
        mark = records.watermark(ctx.session, ctx.company.id, f"deleted:{which}")
        if mark is None or not mark.modified_text:
            return None
        return DeletedDateRangeFilter(
            from_deleted_date=datetime.fromisoformat(mark.modified_text) - OVERLAP)

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        ctx.state["done"] = True
        for rs in answer.responses:
            if rs.status.action not in (Action.OK, Action.EMPTY):
                continue
            which = "txn" if rs.request_id == "deleted-txn" else "list"
            latest: str | None = None
            for ret in rs.records:
                if which == "txn":
                    kind, qb_id, label = TXN_TYPES.get(ret.txn_del_type or ""), ret.txn_id, \
                        ret.ref_number
                else:
                    kind, qb_id, label = LIST_TYPES.get(ret.list_del_type or ""), ret.list_id, \
                        ret.full_name
                deleted = ret.time_deleted.text if ret.time_deleted else None
                damage = records.damage(qb_id, modified_text=deleted)
                if damage is not None:
                    log.warning("deletions: skipped a damaged answer from QuickBooks: %s", damage)
                    continue
                if kind and qb_id:
                    records.mark_deleted(ctx.session, ctx.company.id, kind, qb_id, ctx.now,
                                         {"qb_id": qb_id, "label": label, "deleted_at": deleted})
                if deleted and (latest is None or deleted > latest):
                    latest = deleted
            if latest:
                records.save_watermark(ctx.session, ctx.company.id, f"deleted:{which}", ctx.now,
                                       modified_text=latest)

    def estimate(self, ctx: StepContext) -> int:
        return 0 if ctx.state.get("done") else 1
