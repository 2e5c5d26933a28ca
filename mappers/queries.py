"""qbXML queries the sync engine sends: changes since a time, history windows, look-ups.

Incremental queries ask for everything modified since the last sync, archived customers
included (``ActiveStatus`` All), with line items and linked transactions, and page through an
iterator (``page_size`` per page; send ``query.continue_(iterator_id)`` for the next page).
Deletions never show up there: poll :func:`deleted_transactions_since` and
:func:`deleted_list_objects_since`. Look-ups find our own record after a lost response
(compare the candidates' ExternalGUID, see :mod:`mappers.identity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from mappers.common import EntityRef
from qbxml import requests as rq

__all__ = [
    "LIST_DEL_TYPES",
    "TXN_DEL_TYPES",
    "accounts",
    "customer_by_name",
    "customers_changed_since",
    "deleted_list_objects_since",
    "deleted_transactions_since",
    "invoice_by_number",
    "invoices_changed_since",
    "invoices_dated",
    "invoices_of_customer_on",
    "items_changed_since",
    "payment_by_reference",
    "payments_changed_since",
    "payments_dated",
    "payments_of_customer_on",
]

DEFAULT_PAGE_SIZE = 100

#: Neutral kind -> qbXML ``TxnDelType`` values.
TXN_DEL_TYPES: dict[str, tuple[str, ...]] = {
    "invoice": ("Invoice",),
    "payment": ("ReceivePayment",),
    "deposit": ("Deposit",),
    "estimate": ("Estimate",),
    "credit_memo": ("CreditMemo",),
}
#: Neutral kind -> qbXML ``ListDelType`` values.
LIST_DEL_TYPES: dict[str, tuple[str, ...]] = {
    "customer": ("Customer",),
    "account": ("Account",),
    "item": tuple(
        f"Item{kind}"
        for kind in (
            "Discount FixedAsset Group Inventory InventoryAssembly NonInventory OtherCharge"
            " Payment SalesTax SalesTaxGroup Service Subtotal"
        ).split()
    ),
}


def _modified(since: dt.datetime, until: dt.datetime | None) -> rq.ModifiedDateRangeFilter:
    return rq.ModifiedDateRangeFilter(from_modified_date=since, to_modified_date=until)


def customers_changed_since(
    since: dt.datetime, *, until: dt.datetime | None = None, page_size: int = DEFAULT_PAGE_SIZE
) -> rq.CustomerQuery:
    """Customers and jobs modified at or after ``since`` (archived ones too), first page."""
    return rq.CustomerQuery(
        max_returned=page_size,
        active_status="All",
        from_modified_date=since,
        to_modified_date=until,
    ).start()


def items_changed_since(
    since: dt.datetime, *, until: dt.datetime | None = None, page_size: int = DEFAULT_PAGE_SIZE
) -> rq.ItemQuery:
    """Items of every kind modified at or after ``since`` (inactive ones too), first page."""
    return rq.ItemQuery(
        max_returned=page_size,
        active_status="All",
        from_modified_date=since,
        to_modified_date=until,
    ).start()


def accounts(*, since: dt.datetime | None = None) -> rq.AccountQuery:
    """The chart of accounts (inactive accounts too); no iterator exists for accounts."""
    return rq.AccountQuery(active_status="All", from_modified_date=since)


def invoices_changed_since(
    since: dt.datetime, *, until: dt.datetime | None = None, page_size: int = DEFAULT_PAGE_SIZE
) -> rq.InvoiceQuery:
    """Invoices modified at or after ``since``, with lines and linked payments, first page."""
    return rq.InvoiceQuery(
        max_returned=page_size,
        modified_date_range_filter=_modified(since, until),
        include_line_items=True,
        include_linked_txns=True,
    ).start()


def payments_changed_since(
    since: dt.datetime, *, until: dt.datetime | None = None, page_size: int = DEFAULT_PAGE_SIZE
) -> rq.ReceivePaymentQuery:
    """Received payments modified at or after ``since``, with what they paid, first page."""
    return rq.ReceivePaymentQuery(
        max_returned=page_size,
        modified_date_range_filter=_modified(since, until),
        include_line_items=True,
    ).start()


def invoices_dated(
    start: dt.date, end: dt.date, *, page_size: int = DEFAULT_PAGE_SIZE
) -> rq.InvoiceQuery:
    """Invoices dated ``start`` to ``end`` inclusive (first sync: recent months, then older)."""
    return rq.InvoiceQuery(
        max_returned=page_size,
        txn_date_range_filter=rq.TxnDateRangeFilter(from_txn_date=start, to_txn_date=end),
        include_line_items=True,
        include_linked_txns=True,
    ).start()


def payments_dated(
    start: dt.date, end: dt.date, *, page_size: int = DEFAULT_PAGE_SIZE
) -> rq.ReceivePaymentQuery:
    """Received payments dated ``start`` to ``end`` inclusive."""
    return rq.ReceivePaymentQuery(
        max_returned=page_size,
        txn_date_range_filter=rq.TxnDateRangeFilter(from_txn_date=start, to_txn_date=end),
        include_line_items=True,
    ).start()


def customer_by_name(name: str) -> rq.CustomerQuery:
    """The customer named exactly ``name`` (a full name, ``Parent:Job`` for a job)."""
    return rq.CustomerQuery(full_name=(name,))


def invoice_by_number(number: str) -> rq.InvoiceQuery:
    """Invoices whose RefNumber is ``number`` (QuickBooks allows duplicates)."""
    return rq.InvoiceQuery(ref_number=(number,), include_line_items=True, include_linked_txns=True)


def payment_by_reference(reference: str) -> rq.ReceivePaymentQuery:
    """Received payments whose RefNumber is ``reference``."""
    return rq.ReceivePaymentQuery(ref_number=(reference,), include_line_items=True)


def _entity_filter(customer: EntityRef) -> rq.ListFilter:
    if customer.qb_id is not None:
        return rq.ListFilter(list_id=(customer.qb_id,))
    return rq.ListFilter(full_name=(customer.name or "",))


def _day(day: dt.date) -> rq.TxnDateRangeFilter:
    return rq.TxnDateRangeFilter(from_txn_date=day, to_txn_date=day)


def payments_of_customer_on(customer: EntityRef, day: dt.date) -> rq.ReceivePaymentQuery:
    """The customer's payments dated ``day``: the candidates when reconciling a lost add."""
    return rq.ReceivePaymentQuery(
        entity_filter=_entity_filter(customer),
        txn_date_range_filter=_day(day),
        include_line_items=True,
    )


def invoices_of_customer_on(customer: EntityRef, day: dt.date) -> rq.InvoiceQuery:
    """The customer's invoices dated ``day``."""
    return rq.InvoiceQuery(
        entity_filter=_entity_filter(customer),
        txn_date_range_filter=_day(day),
        include_line_items=True,
        include_linked_txns=True,
    )


def _types(kinds: Iterable[str], table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    types: list[str] = []
    for kind in kinds:
        if kind not in table:
            raise ValueError(f"unknown record kind {kind!r}; known: {', '.join(table)}")
        types.extend(table[kind])
    return tuple(types)


def deleted_transactions_since(
    since: dt.datetime,
    *,
    kinds: Iterable[str] = ("invoice", "payment", "deposit"),
    until: dt.datetime | None = None,
) -> rq.TxnDeletedQuery:
    """Transactions of ``kinds`` deleted at or after ``since`` (no iterator exists).

    Raises:
        ValueError: A kind not in :data:`TXN_DEL_TYPES`.
    """
    return rq.TxnDeletedQuery(
        txn_del_type=_types(kinds, TXN_DEL_TYPES),
        deleted_date_range_filter=rq.DeletedDateRangeFilter(
            from_deleted_date=since, to_deleted_date=until
        ),
    )


def deleted_list_objects_since(
    since: dt.datetime,
    *,
    kinds: Iterable[str] = ("customer",),
    until: dt.datetime | None = None,
) -> rq.ListDeletedQuery:
    """List objects (customers, accounts, items) deleted at or after ``since``.

    Raises:
        ValueError: A kind not in :data:`LIST_DEL_TYPES`.
    """
    return rq.ListDeletedQuery(
        list_del_type=_types(kinds, LIST_DEL_TYPES),
        deleted_date_range_filter=rq.DeletedDateRangeFilter(
            from_deleted_date=since, to_deleted_date=until
        ),
    )
