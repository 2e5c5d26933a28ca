"""Typed transaction records: invoices, estimates, credit memos, payments, deposits, deletions.

Lines keep document order in ``lines``: an invoice's ``InvoiceLineRet`` and
``InvoiceLineGroupRet`` children share that one tuple, as they share one sequence in qbXML.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from qbxml.responses.base import (
    QbDateTime,
    RawValue,
    Record,
    many,
    one,
    raw_value,
    to_bool,
    to_date,
    to_datetime,
    to_money,
    xml_record,
)
from qbxml.responses.common import (
    Address,
    DataExtRet,
    LinkedTxn,
    Ref,
)

__all__ = [
    "AppliedToTxnRet",
    "CreditMemoLineGroupRet",
    "CreditMemoLineRet",
    "CreditMemoRet",
    "DepositLineRet",
    "DepositRet",
    "EstimateLineGroupRet",
    "EstimateLineRet",
    "EstimateRet",
    "InvoiceLineGroupRet",
    "InvoiceLineRet",
    "InvoiceRet",
    "ReceivePaymentRet",
    "TxnDeletedRet",
]

_TXN_HEAD = {
    "TxnID": one("txn_id"),
    "TimeCreated": one("time_created", to_datetime),
    "TimeModified": one("time_modified", to_datetime),
    "EditSequence": one("edit_sequence"),
    "TxnNumber": one("txn_number"),
    "TxnDate": one("txn_date", to_date),
    "RefNumber": one("ref_number"),
    "Memo": one("memo"),
    "CurrencyRef": one("currency_ref", Ref),
    "ExchangeRate": one("exchange_rate", to_money),
    "ExternalGUID": one("external_guid"),
    "DataExtRet": many("data_ext", DataExtRet),
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Txn(Record):
    """Fields of :data:`_TXN_HEAD`, shared by every transaction record."""

    txn_id: str | None = None
    time_created: QbDateTime | None = None
    time_modified: QbDateTime | None = None
    edit_sequence: str | None = None
    txn_number: str | None = None
    txn_date: date | None = None
    ref_number: str | None = None
    memo: str | None = None
    currency_ref: Ref | None = None
    exchange_rate: Decimal | None = None
    external_guid: str | None = None
    data_ext: tuple[DataExtRet, ...] = ()


_LINE = {
    "TxnLineID": one("txn_line_id"),
    "ItemRef": one("item_ref", Ref),
    "Desc": one("desc"),
    "Quantity": one("quantity", to_money),
    "UnitOfMeasure": one("unit_of_measure"),
    "Rate": one("rate", to_money),
    "RatePercent": one("rate_percent", to_money),
    "ClassRef": one("class_ref", Ref),
    "Amount": one("amount", to_money),
    "TaxAmount": one("tax_amount", to_money),
    "ServiceDate": one("service_date", to_date),
    "SalesTaxCodeRef": one("sales_tax_code_ref", Ref),
    "IsTaxable": one("is_taxable", to_bool),
    "Other1": one("other1"),
    "Other2": one("other2"),
    "DataExtRet": many("data_ext", DataExtRet),
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class _SalesLine(Record):
    """One item line of an invoice, estimate or credit memo."""

    txn_line_id: str | None = None
    item_ref: Ref | None = None
    desc: str | None = None
    quantity: Decimal | None = None
    unit_of_measure: str | None = None
    rate: Decimal | None = None
    rate_percent: Decimal | None = None
    class_ref: Ref | None = None
    amount: Decimal | None = None
    tax_amount: Decimal | None = None
    service_date: date | None = None
    sales_tax_code_ref: Ref | None = None
    is_taxable: bool | None = None
    other1: str | None = None
    other2: str | None = None
    data_ext: tuple[DataExtRet, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoiceLineRet(_SalesLine):
    """An invoice item line."""

    _XML = _LINE


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class CreditMemoLineRet(_SalesLine):
    """A credit memo item line."""

    _XML = _LINE


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class EstimateLineRet(_SalesLine):
    """An estimate item line (estimates add a markup)."""

    _XML = {
        **_LINE,
        "MarkupRate": one("markup_rate", to_money),
        "MarkupRatePercent": one("markup_rate_percent", to_money),
    }

    markup_rate: Decimal | None = None
    markup_rate_percent: Decimal | None = None


_GROUP = {
    "TxnLineID": one("txn_line_id"),
    "ItemGroupRef": one("item_group_ref", Ref),
    "Desc": one("desc"),
    "Quantity": one("quantity", to_money),
    "UnitOfMeasure": one("unit_of_measure"),
    "IsPrintItemsInGroup": one("is_print_items_in_group", to_bool),
    "TotalAmount": one("total_amount", to_money),
    "ServiceDate": one("service_date", to_date),
    "DataExtRet": many("data_ext", DataExtRet),
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class _SalesLineGroup(Record):
    """An item group on a sales transaction, with its member lines."""

    txn_line_id: str | None = None
    item_group_ref: Ref | None = None
    desc: str | None = None
    quantity: Decimal | None = None
    unit_of_measure: str | None = None
    is_print_items_in_group: bool | None = None
    total_amount: Decimal | None = None
    service_date: date | None = None
    lines: tuple[_SalesLine, ...] = ()
    data_ext: tuple[DataExtRet, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoiceLineGroupRet(_SalesLineGroup):
    """An item group on an invoice."""

    _XML = {**_GROUP, "InvoiceLineRet": many("lines", InvoiceLineRet)}


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class CreditMemoLineGroupRet(_SalesLineGroup):
    """An item group on a credit memo."""

    _XML = {**_GROUP, "CreditMemoLineRet": many("lines", CreditMemoLineRet)}


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class EstimateLineGroupRet(_SalesLineGroup):
    """An item group on an estimate."""

    _XML = {**_GROUP, "EstimateLineRet": many("lines", EstimateLineRet)}


_SALES_HEAD = {
    **_TXN_HEAD,
    "CustomerRef": one("customer_ref", Ref),
    "ClassRef": one("class_ref", Ref),
    "ARAccountRef": one("ar_account_ref", Ref),
    "TemplateRef": one("template_ref", Ref),
    "BillAddress": one("bill_address", Address),
    "ShipAddress": one("ship_address", Address),
    "IsPending": one("is_pending", to_bool),
    "PONumber": one("po_number"),
    "TermsRef": one("terms_ref", Ref),
    "DueDate": one("due_date", to_date),
    "SalesRepRef": one("sales_rep_ref", Ref),
    "FOB": one("fob"),
    "ShipDate": one("ship_date", to_date),
    "ShipMethodRef": one("ship_method_ref", Ref),
    "Subtotal": one("subtotal", to_money),
    "ItemSalesTaxRef": one("item_sales_tax_ref", Ref),
    "SalesTaxPercentage": one("sales_tax_percentage", to_money),
    "SalesTaxTotal": one("sales_tax_total", to_money),
    "TotalAmount": one("total_amount", to_money),
    "CustomerMsgRef": one("customer_msg_ref", Ref),
    "IsToBePrinted": one("is_to_be_printed", to_bool),
    "IsToBeEmailed": one("is_to_be_emailed", to_bool),
    "IsTaxIncluded": one("is_tax_included", to_bool),
    "CustomerSalesTaxCodeRef": one("customer_sales_tax_code_ref", Ref),
    "Other": one("other"),
    "LinkedTxn": many("linked_txns", LinkedTxn),
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class _SalesTxn(_Txn):
    """Header fields shared by invoices, estimates and credit memos."""

    customer_ref: Ref | None = None
    class_ref: Ref | None = None
    ar_account_ref: Ref | None = None
    template_ref: Ref | None = None
    bill_address: Address | None = None
    ship_address: Address | None = None
    is_pending: bool | None = None
    po_number: str | None = None
    terms_ref: Ref | None = None
    due_date: date | None = None
    sales_rep_ref: Ref | None = None
    fob: str | None = None
    ship_date: date | None = None
    ship_method_ref: Ref | None = None
    subtotal: Decimal | None = None
    item_sales_tax_ref: Ref | None = None
    sales_tax_percentage: Decimal | None = None
    sales_tax_total: Decimal | None = None
    total_amount: Decimal | None = None
    customer_msg_ref: Ref | None = None
    is_to_be_printed: bool | None = None
    is_to_be_emailed: bool | None = None
    is_tax_included: bool | None = None
    customer_sales_tax_code_ref: Ref | None = None
    other: str | None = None
    linked_txns: tuple[LinkedTxn, ...] = ()
    lines: tuple[_SalesLine | _SalesLineGroup, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoiceRet(_SalesTxn):
    """An invoice. ``lines`` holds :class:`InvoiceLineRet` and :class:`InvoiceLineGroupRet`."""

    _XML = {
        **_SALES_HEAD,
        "IsFinanceCharge": one("is_finance_charge", to_bool),
        "AppliedAmount": one("applied_amount", to_money),
        "BalanceRemaining": one("balance_remaining", to_money),
        "BalanceRemainingInHomeCurrency": one("balance_remaining_in_home_currency", to_money),
        "IsPaid": one("is_paid", to_bool),
        "SuggestedDiscountAmount": one("suggested_discount_amount", to_money),
        "SuggestedDiscountDate": one("suggested_discount_date", to_date),
        "InvoiceLineRet": many("lines", InvoiceLineRet),
        "InvoiceLineGroupRet": many("lines", InvoiceLineGroupRet),
    }

    is_finance_charge: bool | None = None
    applied_amount: Decimal | None = None
    balance_remaining: Decimal | None = None
    balance_remaining_in_home_currency: Decimal | None = None
    is_paid: bool | None = None
    suggested_discount_amount: Decimal | None = None
    suggested_discount_date: date | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class EstimateRet(_SalesTxn):
    """An estimate. ``lines`` holds :class:`EstimateLineRet` and :class:`EstimateLineGroupRet`."""

    _XML = {
        **_SALES_HEAD,
        "IsActive": one("is_active", to_bool),
        "TotalAmountInHomeCurrency": one("total_amount_in_home_currency", to_money),
        "EstimateLineRet": many("lines", EstimateLineRet),
        "EstimateLineGroupRet": many("lines", EstimateLineGroupRet),
    }

    is_active: bool | None = None
    total_amount_in_home_currency: Decimal | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class CreditMemoRet(_SalesTxn):
    """A credit memo; ``credit_remaining`` is what is left to apply."""

    _XML = {
        **_SALES_HEAD,
        "CreditRemaining": one("credit_remaining", to_money),
        "CreditRemainingInHomeCurrency": one("credit_remaining_in_home_currency", to_money),
        "CreditMemoLineRet": many("lines", CreditMemoLineRet),
        "CreditMemoLineGroupRet": many("lines", CreditMemoLineGroupRet),
    }

    credit_remaining: Decimal | None = None
    credit_remaining_in_home_currency: Decimal | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class AppliedToTxnRet(Record):
    """How much of a payment went to one transaction (usually an invoice)."""

    _XML = {
        "TxnID": one("txn_id"),
        "TxnType": one("txn_type"),
        "TxnDate": one("txn_date", to_date),
        "RefNumber": one("ref_number"),
        "BalanceRemaining": one("balance_remaining", to_money),
        "Amount": one("amount", to_money),
        "DiscountAmount": one("discount_amount", to_money),
        "DiscountAccountRef": one("discount_account_ref", Ref),
        "DiscountClassRef": one("discount_class_ref", Ref),
        "LinkedTxn": many("linked_txns", LinkedTxn),
    }

    txn_id: str | None = None
    txn_type: str | None = None
    txn_date: date | None = None
    ref_number: str | None = None
    balance_remaining: Decimal | None = None
    amount: Decimal | None = None
    discount_amount: Decimal | None = None
    discount_account_ref: Ref | None = None
    discount_class_ref: Ref | None = None
    linked_txns: tuple[LinkedTxn, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class ReceivePaymentRet(_Txn):
    """A customer payment and the transactions it was applied to."""

    _XML = {
        **_TXN_HEAD,
        "CustomerRef": one("customer_ref", Ref),
        "ARAccountRef": one("ar_account_ref", Ref),
        "TotalAmount": one("total_amount", to_money),
        "TotalAmountInHomeCurrency": one("total_amount_in_home_currency", to_money),
        "PaymentMethodRef": one("payment_method_ref", Ref),
        "DepositToAccountRef": one("deposit_to_account_ref", Ref),
        # Real output omits XSD-required children here (protocol doc section 7): keep it raw.
        "CreditCardTxnInfo": one("credit_card_txn_info", raw_value),
        "UnusedPayment": one("unused_payment", to_money),
        "UnusedCredits": one("unused_credits", to_money),
        "AppliedToTxnRet": many("applied_to_txns", AppliedToTxnRet),
    }

    customer_ref: Ref | None = None
    ar_account_ref: Ref | None = None
    total_amount: Decimal | None = None
    total_amount_in_home_currency: Decimal | None = None
    payment_method_ref: Ref | None = None
    deposit_to_account_ref: Ref | None = None
    credit_card_txn_info: RawValue | None = None
    unused_payment: Decimal | None = None
    unused_credits: Decimal | None = None
    applied_to_txns: tuple[AppliedToTxnRet, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class DepositLineRet(Record):
    """One deposit line: a deposited payment (``TxnID``) or a direct amount."""

    _XML = {
        "TxnType": one("txn_type"),
        "TxnID": one("txn_id"),
        "TxnLineID": one("txn_line_id"),
        "PaymentTxnLineID": one("payment_txn_line_id"),
        "EntityRef": one("entity_ref", Ref),
        "AccountRef": one("account_ref", Ref),
        "Memo": one("memo"),
        "CheckNumber": one("check_number"),
        "PaymentMethodRef": one("payment_method_ref", Ref),
        "ClassRef": one("class_ref", Ref),
        "Amount": one("amount", to_money),
    }

    txn_type: str | None = None
    txn_id: str | None = None
    txn_line_id: str | None = None
    payment_txn_line_id: str | None = None
    entity_ref: Ref | None = None
    account_ref: Ref | None = None
    memo: str | None = None
    check_number: str | None = None
    payment_method_ref: Ref | None = None
    class_ref: Ref | None = None
    amount: Decimal | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class DepositRet(_Txn):
    """A bank deposit with its lines."""

    _XML = {
        **_TXN_HEAD,
        "DepositToAccountRef": one("deposit_to_account_ref", Ref),
        "DepositTotal": one("deposit_total", to_money),
        "DepositTotalInHomeCurrency": one("deposit_total_in_home_currency", to_money),
        "CashBackInfoRet": one("cash_back_info", raw_value),
        "DepositLineRet": many("lines", DepositLineRet),
    }

    deposit_to_account_ref: Ref | None = None
    deposit_total: Decimal | None = None
    deposit_total_in_home_currency: Decimal | None = None
    cash_back_info: RawValue | None = None
    lines: tuple[DepositLineRet, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class TxnDeletedRet(Record):
    """A transaction deleted in QuickBooks (``TxnDeletedQuery``)."""

    _XML = {
        "TxnDelType": one("txn_del_type"),
        "TxnID": one("txn_id"),
        "TimeCreated": one("time_created", to_datetime),
        "TimeDeleted": one("time_deleted", to_datetime),
        "RefNumber": one("ref_number"),
    }

    txn_del_type: str | None = None
    txn_id: str | None = None
    time_created: QbDateTime | None = None
    time_deleted: QbDateTime | None = None
    ref_number: str | None = None
