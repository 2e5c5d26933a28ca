"""Query filters: the aggregates, and the filter sets list and transaction queries share.

List queries (customers, accounts, items) take bare ``FromModifiedDate``/``ToModifiedDate``;
transaction queries (invoices, payments) wrap them in ``ModifiedDateRangeFilter``
(``qbwc-protocol.md`` section 8). Fetching by IDs, names or ref numbers excludes the other
filters; the writer refuses such mixes using the schema's choice groups.
"""

from __future__ import annotations

import datetime as dt
import uuid

from attrs import field, frozen


def _naive(instance: object, attribute: object, value: dt.datetime) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is not None:
        raise ValueError("LocalDateTime.wall is a naive datetime (QuickBooks' wall clock)")


@frozen
class LocalDateTime:
    """A wall-clock time in the company file's own time zone, written without a UTC offset.

    QuickBooks reads a date-time filter in its local time and reports offsets that are an hour
    off around daylight-saving changes, so an incremental query sends back the wall-clock time
    QuickBooks reported rather than a converted instant (``qbwc-protocol.md`` section 9).
    """

    wall: dt.datetime = field(validator=_naive)



@frozen(kw_only=True)
class NameFilter:
    """``NameFilter``: names that start with, contain or end with ``name``."""

    match_criterion: str
    name: str


@frozen(kw_only=True)
class NameRangeFilter:
    """``NameRangeFilter``: names between ``from_name`` and ``to_name``."""

    from_name: str | None = None
    to_name: str | None = None


@frozen(kw_only=True)
class ModifiedDateRangeFilter:
    """``ModifiedDateRangeFilter`` of transaction queries (``from`` is inclusive)."""

    from_modified_date: dt.datetime | LocalDateTime | None = None
    to_modified_date: dt.datetime | LocalDateTime | None = None


@frozen(kw_only=True)
class TxnDateRangeFilter:
    """``TxnDateRangeFilter``: a date range or a ``date_macro`` such as ``ThisMonth``."""

    from_txn_date: dt.date | None = None
    to_txn_date: dt.date | None = None
    date_macro: str | None = None


@frozen(kw_only=True)
class DeletedDateRangeFilter:
    """``DeletedDateRangeFilter`` of the deleted-object queries."""

    from_deleted_date: dt.datetime | LocalDateTime | None = None
    to_deleted_date: dt.datetime | LocalDateTime | None = None


@frozen(kw_only=True)
class ListFilter:
    """``EntityFilter``, ``AccountFilter``, ``CurrencyFilter``, ``ClassFilter``: pick one way."""

    list_id: tuple[str, ...] = ()
    full_name: tuple[str, ...] = ()
    list_id_with_children: str | None = None
    full_name_with_children: str | None = None


@frozen(kw_only=True)
class RefNumberFilter:
    """``RefNumberFilter``: ref numbers that start with, contain or end with ``ref_number``."""

    match_criterion: str
    ref_number: str


@frozen(kw_only=True)
class RefNumberRangeFilter:
    """``RefNumberRangeFilter``."""

    from_ref_number: str | None = None
    to_ref_number: str | None = None


@frozen(kw_only=True, slots=False)
class ListFilters:
    """Filters of list queries (``CustomerQuery``, ``AccountQuery``, ``ItemQuery``)."""

    list_id: tuple[str, ...] = ()
    full_name: tuple[str, ...] = ()
    max_returned: int | None = None
    active_status: str | None = None
    from_modified_date: dt.datetime | LocalDateTime | None = None
    to_modified_date: dt.datetime | LocalDateTime | None = None
    name_filter: NameFilter | None = None
    name_range_filter: NameRangeFilter | None = None
    include_ret_element: tuple[str, ...] = ()
    owner_id: tuple[str | uuid.UUID, ...] = ()


@frozen(kw_only=True, slots=False)
class TxnFilters:
    """Filters of transaction queries (``InvoiceQuery``, ``ReceivePaymentQuery``)."""

    txn_id: tuple[str, ...] = ()
    ref_number: tuple[str, ...] = ()
    ref_number_case_sensitive: tuple[str, ...] = ()
    max_returned: int | None = None
    modified_date_range_filter: ModifiedDateRangeFilter | None = None
    txn_date_range_filter: TxnDateRangeFilter | None = None
    entity_filter: ListFilter | None = None
    account_filter: ListFilter | None = None
    ref_number_filter: RefNumberFilter | None = None
    ref_number_range_filter: RefNumberRangeFilter | None = None
    currency_filter: ListFilter | None = None
    include_line_items: bool | None = None
    include_ret_element: tuple[str, ...] = ()
    owner_id: tuple[str | uuid.UUID, ...] = ()
