"""Reconcile: writes whose answer never came back are looked up before anything is resent.

Runs first in every session. A record still ``sent`` whose message is no longer out (the
queue item went ``unknown`` because the session was cut, QBWC crashed, the answer was lost
or came out of order; or ``failed`` with an HRESULT) becomes ``unknown`` and its message
``reconciled``. Then one read-only message per batch asks QuickBooks about them:

* payments: ``ReceivePaymentQuery`` by customer (EntityFilter) and date (the payment's date,
  a day either side), ours is the one carrying our ExternalGUID; before qbXML 9.0 the memo
  marker, else RefNumber and amount;
* customers added: ``CustomerQuery`` by FullName (a customer of that name is ours to link);
* invoices added: ``InvoiceQuery`` by RefNumber (or customer and date), matched by GUID;
* deposits added: ``DepositQuery`` by bank account and date, matched by GUID;
* archives: a query by id; one that shows ``IsActive`` false is done, else it is resent;
* modifications: a query by id for the whole record. A copy that holds every value the write
  changes is done; any other is merged with the write as a pull would merge it (an edit the
  accountant made meanwhile is kept, and reported as a conflict) and the write resent;
* reversals: ``ReceivePaymentQuery`` by TxnID; not found means deleted, i.e. done.

Found: ``synced`` with QuickBooks' ids, no second copy. Not found: back to ``pending``, to be
sent once more. An answer that settles nothing (lost again, QuickBooks busy) leaves the
record ``unknown`` for the next session: it is never sent blindly.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mappers import Customer, Deposit, Invoice, Payment, find_marker, identity_marker
from mappers.identity import normalise_guid
from qbwc_server.store import queue
from qbwc_server.store.models import QueuedRequest, SyncRecord
from qbwc_server.sync import conflicts, records
from qbwc_server.sync.profile import pushes
from qbwc_server.sync.push import (
    LINKED,
    REVERSED,
    SENT,
    UNKNOWN,
    Fail,
    back_to_pending,
    mark_synced,
    settle,
    take_qb_id,
)
from qbwc_server.sync.push_kinds import GUID_ON_TXNS
from qbwc_server.sync.serialize import from_json
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, ResponseMessage
from qbxml.requests import (
    CustomerQuery,
    DepositQuery,
    InvoiceQuery,
    ListFilter,
    ReceivePaymentQuery,
    Request,
    TxnDateRangeFilter,
)

RECONCILED = "reconciled"
# What a look-up needs back; the rest of each record would only make the answer long.
TXN_FIELDS = ("TxnID", "EditSequence", "TxnDate", "RefNumber", "TotalAmount", "Memo",
              "ExternalGUID")
LIST_FIELDS = ("ListID", "EditSequence", "Name", "FullName", "IsActive", "ExternalGUID")
KINDS = ("customer", "invoice", "payment", "deposit")


class ReconcileStep:
    """Look up every write whose outcome we do not know; first step of every session."""

    name = "reconcile"

    def applies(self, profile: SyncProfile) -> bool:
        return any(pushes(profile.directions, kind) for kind in KINDS)

    def next(self, ctx: StepContext) -> Outgoing | None:
        asked = ctx.state.setdefault("asked", [])
        rows = [row for row in self._unresolved(ctx) if row.id not in asked]
        rows = rows[:max(1, ctx.profile.batch_size)]
        if not rows:
            return None
        # Records sharing a look-up (one customer's payments of one day) share one query.
        lookups: dict[Request, list[int]] = {}
        for row in rows:
            asked.append(row.id)
            item = ctx.session.get(QueuedRequest, row.queue_item_id) if row.queue_item_id else None
            if item is not None and item.state != RECONCILED:
                item.state = RECONCILED
            row.push_state = UNKNOWN
            lookups.setdefault(_lookup(row, item), []).append(row.id)
        requests = [(f"r{ids[0]}", request) for request, ids in lookups.items()]
        meta = {"lookups": {f"r{ids[0]}": ids for ids in lookups.values()}}
        return Outgoing(requests=requests, is_write=False, meta=meta)

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        by_id = {rs.request_id: rs for rs in answer.responses}
        for request_id, record_ids in meta["lookups"].items():
            rs = by_id.get(request_id)
            if rs is None:
                continue
            action = rs.status.action
            if action in (Action.OK, Action.EMPTY):
                found = [r for r in rs.records if hasattr(r, "edit_sequence")]
            elif action is Action.NOT_FOUND or (action is Action.SKIP and rs.status_code < 1000):
                found = []
            else:
                continue  # busy or stopped: settles nothing, still unknown, asked next session
            for record_id in record_ids:
                row = ctx.session.get(SyncRecord, record_id)
                if row is not None and row.push_state == UNKNOWN:
                    _decide(ctx, row, found)

    def estimate(self, ctx: StepContext) -> int:
        asked = ctx.state.get("asked", [])
        left = sum(1 for row in self._unresolved(ctx) if row.id not in asked)
        return math.ceil(left / max(1, ctx.profile.batch_size))

    @staticmethod
    def _unresolved(ctx: StepContext) -> list[SyncRecord]:
        rows = ctx.session.scalars(
            select(SyncRecord)
            .where(SyncRecord.company_id == ctx.company.id,
                   SyncRecord.push_state.in_((SENT, UNKNOWN)))
            .order_by(SyncRecord.id)
        ).all()
        found = []
        for row in rows:
            item = ctx.session.get(QueuedRequest, row.queue_item_id) if row.queue_item_id else None
            if row.push_state == UNKNOWN or item is None or item.state != queue.SENT:
                found.append(row)
        return found


# -- the look-ups ------------------------------------------------------------------------


def _refs(row: SyncRecord, item: QueuedRequest | None) -> dict[str, Any]:
    meta = json.loads(item.meta or "{}") if item is not None else {}
    refs: dict[str, Any] = meta.get("refs", {}).get(str(row.id), {})
    return refs


def _entity(pair: list[str | None] | None, fallback: str | None) -> ListFilter:
    qb_id, name = pair if pair else (None, fallback)
    return ListFilter(list_id=(qb_id,)) if qb_id else ListFilter(full_name=(name or "",))


def _days(day: date | None, item: QueuedRequest | None, row: SyncRecord) -> TxnDateRangeFilter:
    """The record's date, or the day it was sent, a day either side (time zones)."""
    if day is None:
        sent = item.sent_at if item is not None and item.sent_at else row.updated_at
        day = sent.date()
    return TxnDateRangeFilter(from_txn_date=day - timedelta(days=1),
                              to_txn_date=day + timedelta(days=1))


def _lookup(row: SyncRecord, item: QueuedRequest | None) -> Request:
    data = json.loads(row.data)
    refs = _refs(row, item)
    if row.push_action == "archive":
        return CustomerQuery(list_id=(row.qb_id or "",), include_ret_element=LIST_FIELDS)
    if row.push_action == "mod" or (row.qb_id and row.push_action != "delete"):
        # The whole record: it is merged with the write before anything is resent.
        return (CustomerQuery(list_id=(row.qb_id or "",)) if row.kind == "customer"
                else InvoiceQuery(txn_id=(row.qb_id or "",), include_line_items=True,
                                  include_linked_txns=True))
    if row.push_action == "delete":
        return ReceivePaymentQuery(txn_id=(row.qb_id or "",), include_ret_element=TXN_FIELDS)
    if row.kind == "customer":
        customer = from_json(Customer, data)
        return CustomerQuery(full_name=(customer.path or customer.name,),
                             include_ret_element=LIST_FIELDS)
    if row.kind == "invoice":
        invoice = from_json(Invoice, data)
        if invoice.number:
            return InvoiceQuery(ref_number=(invoice.number,), include_ret_element=TXN_FIELDS)
        return InvoiceQuery(entity_filter=_entity(refs.get("customer"), invoice.customer.name),
                            txn_date_range_filter=_days(invoice.txn_date, item, row),
                            include_ret_element=TXN_FIELDS)
    if row.kind == "deposit":
        deposit = from_json(Deposit, data)
        return DepositQuery(txn_date_range_filter=_days(deposit.date, item, row),
                            account_filter=_entity(refs.get("account"), None),
                            include_ret_element=TXN_FIELDS[:2] + TXN_FIELDS[-2:])
    payment = from_json(Payment, data)
    return ReceivePaymentQuery(entity_filter=_entity(refs.get("customer"), payment.customer.name),
                               txn_date_range_filter=_days(payment.date, item, row),
                               include_ret_element=TXN_FIELDS)


def _decide(ctx: StepContext, row: SyncRecord, found: list[Any]) -> None:
    if row.push_action == "delete":
        if found:
            back_to_pending(row, ctx.now)  # still there: delete it (again)
        else:
            row.is_deleted = True
            mark_synced(ctx, row, REVERSED)
        return
    if row.push_action in ("mod", "archive") or row.qb_id:
        if not found:
            back_to_pending(row, ctx.now)
            return
        if row.push_action == "archive":
            row.qb_version = found[0].edit_sequence or row.qb_version
            if found[0].is_active is False:
                mark_synced(ctx, row, "archived")
            else:
                back_to_pending(row, ctx.now)  # resent once, with the current EditSequence
            return
        _modified(ctx, row, found[0])
        return
    ours = [ret for ret in found if _is_ours(ctx, row, ret)]
    if row.kind == "customer" and found and not ours:
        ours, change = found[:1], LINKED  # the name is taken: link, as a 3100 would
    else:
        change = records.PUSHED
    if not ours:
        back_to_pending(row, ctx.now)
        return
    qb_id = getattr(ours[0], "txn_id", None) or getattr(ours[0], "list_id", None)
    if not take_qb_id(ctx, row, qb_id or "", ours[0].edit_sequence):
        settle(ctx, row, Fail(reason="QuickBooks holds it already, linked to another record"))
        return
    mark_synced(ctx, row, change)


def _modified(ctx: StepContext, row: SyncRecord, ret: Any) -> None:
    """A modification whose answer never came: QuickBooks' copy decides. When it holds every
    value the write changes, the write is done. Otherwise it is merged with the write as a
    pull would merge it (an edit made meanwhile is kept and reported) and resent: resent as
    it stood, it would put back the values QuickBooks had when the write was last merged."""
    record = (Customer if row.kind == "customer" else Invoice).from_qbxml(ret)
    base = json.loads(row.base_data) if row.base_data else {}
    mine, theirs = json.loads(row.data), json.loads(records.canonical(record))
    if conflicts.carried(base, mine, theirs):
        row.data = json.dumps(conflicts.merge(base, mine, theirs).record, sort_keys=True,
                              separators=(",", ":"))
        row.qb_version = ret.edit_sequence or row.qb_version
        mark_synced(ctx, row, records.PUSHED)
        return
    back_to_pending(row, ctx.now)
    records.read_again(ctx.session, row, record, ret.edit_sequence, ctx.now)


def _is_ours(ctx: StepContext, row: SyncRecord, ret: Any) -> bool:
    guid = getattr(ret, "external_guid", None)
    if not row.identity:
        return False
    if guid and guid != "0":
        return normalise_guid(guid) == normalise_guid(row.identity)
    if find_marker(getattr(ret, "memo", None)) == identity_marker(row.identity):
        return True
    if row.kind == "payment" and ctx.version < GUID_ON_TXNS:
        # No GUID, no marker (QuickBooks may cut memos): the reference and amount decide.
        payment = from_json(Payment, json.loads(row.data))
        return bool(payment.reference) and ret.ref_number == payment.reference and \
            Decimal(ret.total_amount or 0) == payment.amount
    return False
