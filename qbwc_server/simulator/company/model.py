"""The records the simulated company holds: list elements and transactions.

Plain mutable dataclasses: the company is an in-memory database and these are its rows. Money
is ``Decimal``, dates are ``date``, times are aware ``datetime``. Fields QuickBooks only stores
and echoes (phone numbers, addresses, PONumber...) live in ``extra`` as element name -> text,
or -> nested dict for aggregates, or -> list for repeated elements, and are rendered back in
schema order.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "Account",
    "Customer",
    "DataExt",
    "DataExtDef",
    "Deleted",
    "Deposit",
    "DepositLine",
    "Item",
    "Line",
    "OtherListEntry",
    "Payment",
    "SalesTxn",
    "Stamp",
]

ZERO = Decimal("0.00")


@dataclasses.dataclass(kw_only=True)
class Stamp:
    """What every object has: creation and modification times and the EditSequence."""

    time_created: datetime
    time_modified: datetime
    edit_sequence: str


@dataclasses.dataclass(kw_only=True)
class Account(Stamp):
    list_id: str
    name: str
    account_type: str
    parent_id: str | None = None
    special_type: str | None = None
    number: str | None = None
    desc: str | None = None
    opening_balance: Decimal = ZERO
    is_active: bool = True
    cash_flow: str = "NotApplicable"


@dataclasses.dataclass(kw_only=True)
class Item(Stamp):
    """Service, non-inventory, other-charge, discount, payment or sales-tax item."""

    list_id: str
    name: str
    kind: str  # the Ret tag: ItemServiceRet, ItemDiscountRet, ...
    desc: str | None = None
    price: Decimal | None = None
    account_id: str | None = None
    rate_percent: Decimal | None = None  # discount / sales-tax rate
    is_active: bool = True
    external_guid: str | None = None


@dataclasses.dataclass(kw_only=True)
class OtherListEntry(Stamp):
    """A list the company holds only by name: PaymentMethod, Terms, SalesTaxCode, Template."""

    list_id: str
    kind: str
    name: str
    days: int | None = None  # Terms: net days
    is_active: bool = True


@dataclasses.dataclass(kw_only=True)
class Customer(Stamp):
    list_id: str
    name: str
    parent_id: str | None = None
    is_active: bool = True
    job_status: str = "None"
    external_guid: str | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(kw_only=True)
class Line:
    txn_line_id: str
    item_id: str | None = None
    desc: str | None = None
    quantity: Decimal | None = None
    rate: Decimal | None = None
    rate_percent: Decimal | None = None
    amount: Decimal = ZERO
    service_date: date | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(kw_only=True)
class SalesTxn(Stamp):
    """An Invoice, CreditMemo or Estimate (``kind``)."""

    txn_id: str
    kind: str
    txn_number: int
    customer_id: str
    txn_date: date
    ref_number: str | None = None
    ar_account_id: str | None = None
    template_id: str | None = None
    terms_id: str | None = None
    due_date: date | None = None
    memo: str | None = None
    is_pending: bool = False
    is_active: bool = True  # estimates only
    external_guid: str | None = None
    lines: list[Line] = dataclasses.field(default_factory=list)
    # Invoice: credit txn id -> amount taken from a credit memo (or an unused payment).
    credits: dict[str, Decimal] = dataclasses.field(default_factory=dict)
    voided: bool = False
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclasses.dataclass(kw_only=True)
class Payment(Stamp):
    """A ReceivePayment; ``applied`` maps invoice TxnID -> amount paid on it."""

    txn_id: str
    txn_number: int
    customer_id: str
    txn_date: date
    total: Decimal
    ar_account_id: str | None = None
    deposit_to_id: str | None = None
    ref_number: str | None = None
    method_id: str | None = None
    memo: str | None = None
    external_guid: str | None = None
    applied: dict[str, Decimal] = dataclasses.field(default_factory=dict)
    deposit_id: str | None = None  # the Deposit that took it out of Undeposited Funds
    voided: bool = False
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(kw_only=True)
class DepositLine:
    txn_line_id: str
    amount: Decimal
    payment_id: str | None = None
    entity_id: str | None = None
    account_id: str | None = None
    memo: str | None = None
    check_number: str | None = None
    method_id: str | None = None


@dataclasses.dataclass(kw_only=True)
class Deposit(Stamp):
    txn_id: str
    txn_number: int
    txn_date: date
    account_id: str
    memo: str | None = None
    external_guid: str | None = None
    lines: list[DepositLine] = dataclasses.field(default_factory=list)
    voided: bool = False

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclasses.dataclass(kw_only=True)
class DataExtDef:
    owner_id: str
    name: str
    data_ext_type: str
    assign_to: list[str] = dataclasses.field(default_factory=list)
    data_ext_id: int | None = None


@dataclasses.dataclass(kw_only=True)
class DataExt:
    """A custom field value on an object (``object_id``), or on the company (``"Company"``)."""

    owner_id: str
    name: str
    data_ext_type: str
    object_id: str
    value: str


@dataclasses.dataclass(kw_only=True)
class Deleted:
    """What TxnDeletedQuery / ListDeletedQuery report about a deleted object."""

    del_type: str
    object_id: str
    time_created: datetime
    time_deleted: datetime
    name: str | None = None  # RefNumber of a transaction, FullName of a list element
