"""Canonical platform records and their mapping to qbXML (and later QuickBooks Online JSON).

Pure: values in, values out; no I/O, no clock. Records (:class:`Customer`, :class:`Invoice`,
:class:`Payment`, :class:`Deposit`...) are read from qbXML with ``Record.from_qbxml(ret)``;
the builders in :mod:`mappers.to_qbxml` and :mod:`mappers.queries` turn them into qbXML
requests; :func:`check_amounts` finds amounts that do not add up before anything is sent.
"""

from __future__ import annotations

from mappers.amounts import AmountProblem, ProblemKind, check_amounts, with_total
from mappers.catalog import (
    Account,
    AccountKind,
    Item,
    ItemType,
)
from mappers.common import Address, EntityRef, LinkedTransaction
from mappers.customers import Customer
from mappers.errors import MapperError, MissingFieldError, MoneyTypeError
from mappers.identity import (
    IDENTITY_NAMESPACE,
    find_marker,
    identity_guid,
    identity_marker,
    recover_external_id,
    with_marker,
)
from mappers.mappings import MAPPING_TABLES, Mappings
from mappers.money import line_amount, require_money, round_cents
from mappers.payments import (
    Deposit,
    DepositedPayment,
    Payment,
    PaymentApplication,
)
from mappers.queries import (
    LIST_DEL_TYPES,
    TXN_DEL_TYPES,
    accounts,
    customer_by_name,
    customers_changed_since,
    deleted_list_objects_since,
    deleted_transactions_since,
    invoice_by_number,
    invoices_changed_since,
    invoices_dated,
    invoices_of_customer_on,
    items_changed_since,
    payment_by_reference,
    payments_changed_since,
    payments_dated,
    payments_of_customer_on,
)
from mappers.sales import (
    CreditMemo,
    Estimate,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)
from mappers.to_qbxml import (
    RecordKind,
    credit_memo_add,
    customer_add,
    customer_archive,
    customer_mod,
    deposit_add,
    estimate_add,
    invoice_add,
    invoice_mod,
    payment_add,
    payment_reversal,
)
from mappers.tombstones import Tombstone

__all__ = [
    "Account",
    "AccountKind",
    "Address",
    "AmountProblem",
    "CreditMemo",
    "Customer",
    "Deposit",
    "DepositedPayment",
    "EntityRef",
    "Estimate",
    "IDENTITY_NAMESPACE",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "Item",
    "ItemType",
    "LIST_DEL_TYPES",
    "LinkedTransaction",
    "MAPPING_TABLES",
    "MapperError",
    "Mappings",
    "MissingFieldError",
    "MoneyTypeError",
    "Payment",
    "PaymentApplication",
    "ProblemKind",
    "RecordKind",
    "TXN_DEL_TYPES",
    "Tombstone",
    "accounts",
    "check_amounts",
    "credit_memo_add",
    "customer_add",
    "customer_archive",
    "customer_by_name",
    "customer_mod",
    "customers_changed_since",
    "deleted_list_objects_since",
    "deleted_transactions_since",
    "deposit_add",
    "estimate_add",
    "find_marker",
    "identity_guid",
    "identity_marker",
    "invoice_add",
    "invoice_by_number",
    "invoice_mod",
    "invoices_changed_since",
    "invoices_dated",
    "invoices_of_customer_on",
    "items_changed_since",
    "line_amount",
    "payment_add",
    "payment_by_reference",
    "payment_reversal",
    "payments_changed_since",
    "payments_dated",
    "payments_of_customer_on",
    "recover_external_id",
    "require_money",
    "round_cents",
    "with_marker",
    "with_total",
]
