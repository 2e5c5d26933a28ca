"""Payments and deposits: ReceivePayment (add, query), DepositAdd and DepositQuery.

A received payment must say where it goes: ``is_auto_apply`` or one or more ``applied_to``
invoices; the 13.0 XSD makes that choice required, so an unapplied payment is
``is_auto_apply=False`` (``qbwc-protocol.md`` section 8). A deposit line either deposits a
payment waiting in Undeposited Funds (``payment_txn_id``) or is a plain line
(``account_ref`` + ``amount``); see :meth:`DepositLineAdd.payment`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import ClassVar

from attrs import field, frozen

from qbxml.requests.base import IteratorQuery, Request, element
from qbxml.requests.common import CashBackInfo, Ref, SetCredit
from qbxml.requests.filters import (
    ListFilter,
    ModifiedDateRangeFilter,
    TxnDateRangeFilter,
    TxnFilters,
)


@frozen(kw_only=True)
class AppliedToTxnAdd:
    """Apply (part of) a payment to the invoice ``txn_id``."""

    txn_id: str
    payment_amount: Decimal | None = None
    set_credit: tuple[SetCredit, ...] = ()
    discount_amount: Decimal | None = None
    discount_account_ref: Ref | None = None
    discount_class_ref: Ref | None = None


@frozen(kw_only=True)
class ReceivePaymentAdd(Request):
    """``ReceivePaymentAddRq``: ``customer_ref``, then ``is_auto_apply`` or ``applied_to``."""

    RQ: ClassVar[str] = "ReceivePaymentAddRq"
    customer_ref: Ref
    ar_account_ref: Ref | None = None
    txn_date: dt.date | None = None
    ref_number: str | None = None
    total_amount: Decimal | None = None
    exchange_rate: Decimal | None = None
    payment_method_ref: Ref | None = None
    memo: str | None = None
    deposit_to_account_ref: Ref | None = None
    external_guid: str | uuid.UUID | None = None
    is_auto_apply: bool | None = None
    applied_to: tuple[AppliedToTxnAdd, ...] = field(
        default=(), metadata=element("AppliedToTxnAdd")
    )
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class ReceivePaymentQuery(TxnFilters, IteratorQuery):
    """``ReceivePaymentQueryRq`` (supports iterators)."""

    RQ: ClassVar[str] = "ReceivePaymentQueryRq"


@frozen(kw_only=True)
class DepositLineAdd:
    """``DepositLineAdd``: a payment from Undeposited Funds, or a plain line (not both)."""

    payment_txn_id: str | None = None
    payment_txn_line_id: str | None = None
    override_memo: str | None = None
    override_check_number: str | None = None
    override_class_ref: Ref | None = None
    entity_ref: Ref | None = None
    account_ref: Ref | None = None
    memo: str | None = None
    check_number: str | None = None
    payment_method_ref: Ref | None = None
    class_ref: Ref | None = None
    amount: Decimal | None = None

    @classmethod
    def payment(cls, txn_id: str, txn_line_id: str | None = None) -> DepositLineAdd:
        """Deposit the Undeposited-Funds payment ``txn_id`` (line ``txn_line_id`` if split)."""
        return cls(payment_txn_id=txn_id, payment_txn_line_id=txn_line_id)


@frozen(kw_only=True)
class DepositAdd(Request):
    """``DepositAddRq`` (qbXML 2.0): ``deposit_to_account_ref`` is required."""

    RQ: ClassVar[str] = "DepositAddRq"
    deposit_to_account_ref: Ref
    txn_date: dt.date | None = None
    memo: str | None = None
    cash_back_info_add: CashBackInfo | None = None
    currency_ref: Ref | None = None
    exchange_rate: Decimal | None = None
    external_guid: str | uuid.UUID | None = None
    lines: tuple[DepositLineAdd, ...] = field(default=(), metadata=element("DepositLineAdd"))
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class DepositQuery(IteratorQuery):
    """``DepositQueryRq`` (qbXML 2.0): by ``txn_id``, or by date, entity and bank account.

    Deposits have no RefNumber, so the filters are fewer than :class:`TxnFilters`.
    """

    RQ: ClassVar[str] = "DepositQueryRq"
    txn_id: tuple[str, ...] = ()
    max_returned: int | None = None
    modified_date_range_filter: ModifiedDateRangeFilter | None = None
    txn_date_range_filter: TxnDateRangeFilter | None = None
    entity_filter: ListFilter | None = None
    account_filter: ListFilter | None = None
    currency_filter: ListFilter | None = None
    include_line_items: bool | None = None
    include_ret_element: tuple[str, ...] = ()
    owner_id: tuple[str | uuid.UUID, ...] = ()
