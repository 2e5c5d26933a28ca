"""Query requests: filters, ordering, MaxReturned, iterators, deleted-object queries.

Rules (OPS ``qbxmlops130.xml``; ``qbwc-protocol.md`` sections 8-9):

* List queries (Customer, Account, Item) take bare ``FromModifiedDate``/``ToModifiedDate`` and
  default to ``ActiveStatus`` ActiveOnly; transaction queries wrap the dates in
  ``ModifiedDateRangeFilter``. Date bounds are inclusive; a value without offset is company time.
* ``ListID``/``FullName``/``TxnID`` lists ignore the other filters. Some not found: statusCode
  500 (Warn) with the rest (qbwc gem warn sample); none found: 3120 for IDs (gem error
  sample), 500 for names.
* No match: statusCode 1, Info, "A query request did not find a matching object in QuickBooks"
  (flowlink item_inventory_query_rs_empty).
* ``iterator="Start"`` with MaxReturned returns the first page, ``iteratorRemainingCount`` and a
  ``{GUID}`` ``iteratorID``; ``Continue`` hands out the next page; an unknown or finished
  iteratorID is 3391. Iterators live for the QuickBooks session (``open``/``close`` clear them).
* Lists come back ordered by FullName, transactions in the order they were entered, except
  that a query filtered by modified date comes back by TimeModified and one filtered by
  transaction date by TxnDate, so ``MaxReturned`` takes the oldest (how a QuickBooks without
  iterators, before qbXML 5.0, is paged: the next query starts at the last record's value).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from lxml import etree

from qbwc_server.simulator.company import xmlin
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.errors import StatusError
from qbwc_server.simulator.company.filters import (
    list_filters,
    missing_status,
    txn_filters,
)
from qbwc_server.simulator.company.model import Deleted
from qbwc_server.simulator.company.render import build, ret_for
from qbwc_server.simulator.company.rs import NO_MATCH, Context, IteratorState, error_rs, rs

__all__ = ["QUERY_KINDS", "deleted_query", "query"]

# Rq tag -> (kind of records, is a list query)
QUERY_KINDS: dict[str, tuple[str, bool]] = {
    "CustomerQueryRq": ("Customer", True),
    "AccountQueryRq": ("Account", True),
    "ItemQueryRq": ("Item", True),
    "InvoiceQueryRq": ("Invoice", False),
    "CreditMemoQueryRq": ("CreditMemo", False),
    "EstimateQueryRq": ("Estimate", False),
    "ReceivePaymentQueryRq": ("ReceivePayment", False),
    "DepositQueryRq": ("Deposit", False),
}


def records_of(books: Books, kind: str) -> dict[str, Any]:
    """ID -> record of one kind."""
    if kind == "Customer":
        return books.customers
    if kind == "Account":
        return books.accounts
    if kind == "Item":
        return books.items
    if kind == "ReceivePayment":
        return books.payments
    if kind == "Deposit":
        return books.deposits
    return {txn_id: sale for txn_id, sale in books.sales.items() if sale.kind == kind}


def _ordered(books: Books, kind: str, records: Iterable[Any], is_list: bool,
             rq: etree._Element | None = None) -> list[Any]:
    if rq is not None and _filters_modified(rq, is_list):
        return sorted(records, key=lambda r: (r.time_modified, _key(r)))
    if rq is not None and rq.find("TxnDateRangeFilter") is not None:
        return sorted(records, key=lambda r: (r.txn_date, r.txn_number))
    if is_list:
        return sorted(records, key=lambda r: books.full_name(r.list_id).lower())
    return sorted(records, key=lambda r: r.txn_number)


def _filters_modified(rq: etree._Element, is_list: bool) -> bool:
    if is_list:
        return rq.find("FromModifiedDate") is not None or rq.find("ToModifiedDate") is not None
    return rq.find("ModifiedDateRangeFilter") is not None


def _match(ctx: Context, rq: etree._Element, kind: str, is_list: bool
           ) -> tuple[list[Any], StatusError | None]:
    """Records matching the request's filters, and a 500 warning for names/IDs not found."""
    books = ctx.books
    table = records_of(books, kind)
    id_tag = "ListID" if is_list else "TxnID"
    ids = xmlin.texts(rq, id_tag)
    if ids:
        found = [table[i] for i in dict.fromkeys(ids) if i in table]
        missing = [i for i in ids if i not in table]
        return _ordered(books, kind, found, is_list), missing_status(missing, bool(found), True)
    if is_list and (names := xmlin.texts(rq, "FullName")):
        by_name = {books.full_name(i).lower(): r for i, r in table.items()}
        found = [by_name[n.lower()] for n in dict.fromkeys(names) if n.lower() in by_name]
        missing = [n for n in names if n.lower() not in by_name]
        return _ordered(books, kind, found, is_list), missing_status(missing, bool(found), False)
    predicate = list_filters(books, rq, kind) if is_list else txn_filters(books, rq, kind)
    matched = [record for record in table.values() if predicate(record)]
    return _ordered(books, kind, matched, is_list, rq), None


def query(ctx: Context, rq: etree._Element) -> etree._Element:
    """Answer a list or transaction query, with or without an iterator."""
    kind, is_list = QUERY_KINDS[str(rq.tag)]
    books = ctx.books
    iterator = rq.get("iterator")
    max_returned = xmlin.text(rq, "MaxReturned")
    limit = int(max_returned) if max_returned else None
    warning: StatusError | None = None
    extra: dict[str, str] = {}
    table = records_of(books, kind)
    if iterator in ("Continue", "Stop"):
        iterator_id = rq.get("iteratorID") or ""
        state = ctx.iterators.get(iterator_id)
        if state is None or state.rq_tag != rq.tag:
            return error_rs(rq, StatusError(
                3391, f'The iteratorID "{iterator_id}" is not valid.'))
        if iterator == "Stop":
            del ctx.iterators[iterator_id]
            return rs(rq, attrs={"iteratorRemainingCount": "0", "iteratorID": iterator_id})
        ids = [i for i in state.remaining if i in table]
        page, rest = (ids[:limit], ids[limit:]) if limit is not None else (ids, [])
        records = [table[i] for i in page]
        if rest:
            state.remaining = rest
        else:
            del ctx.iterators[iterator_id]
        extra = {"iteratorRemainingCount": str(len(rest)), "iteratorID": iterator_id}
    else:
        try:
            matched, warning = _match(ctx, rq, kind, is_list)
        except StatusError as error:
            return error_rs(rq, error)
        if warning is not None and warning.code != 500:
            return error_rs(rq, warning)
        records, rest_records = (matched[:limit], matched[limit:]) if limit is not None else (
            matched, [])
        if iterator == "Start":
            iterator_id = ctx.new_guid()
            if rest_records:
                ctx.iterators[iterator_id] = IteratorState(
                    rq_tag=str(rq.tag), remaining=[_key(r) for r in rest_records])
            extra = {"iteratorRemainingCount": str(len(rest_records)), "iteratorID": iterator_id}
    if not records:
        if warning is not None:
            return error_rs(rq, warning)
        return rs(rq, 1, "Info", NO_MATCH, extra)
    answer = error_rs(rq, warning) if warning is not None else rs(rq, attrs=extra)
    for name, value in extra.items():
        answer.set(name, value)
    only = xmlin.texts(rq, "IncludeRetElement") or None
    owners = xmlin.texts(rq, "OwnerID")
    lines = xmlin.boolean(rq, "IncludeLineItems") is True or kind == "Deposit"
    links = xmlin.boolean(rq, "IncludeLinkedTxns") is True
    balances = books.account_balances() if kind == "Account" else None
    for record in records:
        answer.append(ret_for(books, record, lines=lines, links=links, owners=owners,
                              only=only, balances=balances))
    return answer


def _key(record: Any) -> str:
    return str(getattr(record, "list_id", None) or record.txn_id)


def deleted_query(ctx: Context, rq: etree._Element) -> etree._Element:
    """TxnDeletedQuery / ListDeletedQuery."""
    is_txn = rq.tag == "TxnDeletedQueryRq"
    type_tag = "TxnDelType" if is_txn else "ListDelType"
    types = set(xmlin.texts(rq, type_tag))
    books = ctx.books
    zone = books.zone
    window = xmlin.child(rq, "DeletedDateRangeFilter")
    low = high = None
    if window is not None:
        low_text = xmlin.text(window, "FromDeletedDate")
        high_text = xmlin.text(window, "ToDeletedDate")
        low = books.filter_bound(low_text) if low_text else None
        high = books.filter_bound(high_text, end_of_day=True) if high_text else None
    only = xmlin.texts(rq, "IncludeRetElement") or None

    def wanted(record: Deleted) -> bool:
        return record.del_type in types and _within(books.time_key(record.time_deleted), low,
                                                    high)

    found = [record for record in ctx.books.deleted
             if wanted(record) and (record.del_type in _TXN_DEL_TYPES) == is_txn]
    if not found:
        return rs(rq, 1, "Info", NO_MATCH)
    answer = rs(rq)
    ret_tag = "TxnDeletedRet" if is_txn else "ListDeletedRet"
    for record in found:
        values = {type_tag: record.del_type, "TxnID" if is_txn else "ListID": record.object_id,
                  "TimeCreated": books.stamp_text(record.time_created),
                  "TimeDeleted": books.stamp_text(record.time_deleted),
                  "RefNumber" if is_txn else "FullName": record.name}
        answer.append(build(ret_tag, ret_tag, values, zone, only))
    return answer


_TXN_DEL_TYPES = frozenset({"Invoice", "CreditMemo", "Estimate", "ReceivePayment", "Deposit"})


def _within(value: datetime, low: datetime | None, high: datetime | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


