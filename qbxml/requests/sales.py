"""Sales transactions: invoices (add, modify, query), estimates and credit memos (add).

A new invoice line on :class:`InvoiceMod` is an :class:`InvoiceLineMod` with
``txn_line_id="-1"`` (flowlink fixtures, ``qbwc-protocol.md`` section 8). Lines go in
``lines``; QuickBooks also has line groups, which this package does not send.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import ClassVar

from attrs import field, frozen

from qbxml.requests.base import IteratorQuery, Request, element
from qbxml.requests.common import Address, DataExt, LinkToTxn, Ref, SetCredit
from qbxml.requests.filters import TxnFilters


@frozen(kw_only=True)
class _LineFields:
    """Fields every sales line has; ``rate``, ``rate_percent`` and a price level exclude
    each other."""

    item_ref: Ref | None = None
    desc: str | None = None
    quantity: Decimal | None = None
    unit_of_measure: str | None = None
    rate: Decimal | None = None
    rate_percent: Decimal | None = None
    price_level_ref: Ref | None = None
    class_ref: Ref | None = None
    amount: Decimal | None = None
    sales_tax_code_ref: Ref | None = None
    override_item_account_ref: Ref | None = None
    other1: str | None = None
    other2: str | None = None


@frozen(kw_only=True)
class InvoiceLineAdd(_LineFields):
    """``InvoiceLineAdd``."""

    service_date: dt.date | None = None
    link_to_txn: LinkToTxn | None = None
    data_ext: tuple[DataExt, ...] = ()


@frozen(kw_only=True)
class InvoiceLineMod(_LineFields):
    """``InvoiceLineMod``: ``txn_line_id`` of the line, or ``"-1"`` for a new one."""

    txn_line_id: str
    service_date: dt.date | None = None


@frozen(kw_only=True)
class CreditMemoLineAdd(_LineFields):
    """``CreditMemoLineAdd``."""

    service_date: dt.date | None = None
    data_ext: tuple[DataExt, ...] = ()


@frozen(kw_only=True)
class EstimateLineAdd(_LineFields):
    """``EstimateLineAdd``; markup and price level exclude each other."""

    markup_rate: Decimal | None = None
    markup_rate_percent: Decimal | None = None
    data_ext: tuple[DataExt, ...] = ()


@frozen(kw_only=True)
class _SalesFields:
    """Header fields of invoices, estimates and credit memos."""

    customer_ref: Ref | None = None
    class_ref: Ref | None = None
    template_ref: Ref | None = None
    txn_date: dt.date | None = None
    ref_number: str | None = None
    bill_address: Address | None = None
    ship_address: Address | None = None
    po_number: str | None = None
    terms_ref: Ref | None = None
    due_date: dt.date | None = None
    sales_rep_ref: Ref | None = None
    fob: str | None = None
    item_sales_tax_ref: Ref | None = None
    memo: str | None = None
    customer_msg_ref: Ref | None = None
    is_to_be_emailed: bool | None = None
    customer_sales_tax_code_ref: Ref | None = None
    other: str | None = None
    exchange_rate: Decimal | None = None
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class _ShippedFields(_SalesFields):
    """Header fields invoices and credit memos add to estimates'."""

    ar_account_ref: Ref | None = None
    is_pending: bool | None = None
    ship_date: dt.date | None = None
    ship_method_ref: Ref | None = None
    is_to_be_printed: bool | None = None


@frozen(kw_only=True)
class InvoiceAdd(_ShippedFields, Request):
    """``InvoiceAddRq``: ``customer_ref`` is required."""

    RQ: ClassVar[str] = "InvoiceAddRq"
    is_finance_charge: bool | None = None
    external_guid: str | uuid.UUID | None = None
    link_to_txn_id: tuple[str, ...] = ()
    set_credit: tuple[SetCredit, ...] = ()
    lines: tuple[InvoiceLineAdd, ...] = field(default=(), metadata=element("InvoiceLineAdd"))


@frozen(kw_only=True)
class InvoiceMod(_ShippedFields, Request):
    """``InvoiceModRq`` (qbXML 2.1): ``txn_id`` and the current ``edit_sequence``."""

    RQ: ClassVar[str] = "InvoiceModRq"
    txn_id: str
    edit_sequence: str
    set_credit: tuple[SetCredit, ...] = ()
    lines: tuple[InvoiceLineMod, ...] = field(default=(), metadata=element("InvoiceLineMod"))


@frozen(kw_only=True)
class InvoiceQuery(TxnFilters, IteratorQuery):
    """``InvoiceQueryRq`` (supports iterators)."""

    RQ: ClassVar[str] = "InvoiceQueryRq"
    paid_status: str | None = None
    include_linked_txns: bool | None = None


@frozen(kw_only=True)
class EstimateAdd(_SalesFields, Request):
    """``EstimateAddRq``: ``customer_ref`` is required."""

    RQ: ClassVar[str] = "EstimateAddRq"
    is_active: bool | None = None
    external_guid: str | uuid.UUID | None = None
    lines: tuple[EstimateLineAdd, ...] = field(default=(), metadata=element("EstimateLineAdd"))


@frozen(kw_only=True)
class CreditMemoAdd(_ShippedFields, Request):
    """``CreditMemoAddRq``: ``customer_ref`` is required."""

    RQ: ClassVar[str] = "CreditMemoAddRq"
    external_guid: str | uuid.UUID | None = None
    lines: tuple[CreditMemoLineAdd, ...] = field(
        default=(), metadata=element("CreditMemoLineAdd")
    )
