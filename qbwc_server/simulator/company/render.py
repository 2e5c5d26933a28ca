"""Ret elements in the order Intuit's schema gives (``qbxml/data/schema130.json``).

Each ``*_values`` function says which fields an object has, in any order; :func:`build` writes
them in schema order and leaves out everything unset, as QuickBooks does. Fields stored from a
request but not part of the Ret (``OpenBalance``...) are dropped by the same walk.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from lxml import etree

from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.ids import format_time
from qbwc_server.simulator.company.model import (
    Account,
    Customer,
    DataExt,
    Deposit,
    Item,
    Line,
    Payment,
    SalesTxn,
)
from qbxml.schema import load_schema

__all__ = ["build", "customer_values", "money", "ref", "ret_for"]


@cache
def _children(path: str) -> tuple[str, ...] | None:
    try:
        return load_schema().children(path)
    except KeyError:
        return None


def money(value: Decimal) -> str:
    """AMTTYPE: exactly two decimals."""
    return f"{value.quantize(Decimal('0.01')):.2f}"


def number(value: Decimal) -> str:
    """QUANTYPE/PRICETYPE: no trailing zeros beyond what the value needs (``2``, ``12.5``)."""
    text = format(value.normalize(), "f")
    return text


def price(value: Decimal) -> str:
    """PRICETYPE as QuickBooks prints a rate: two decimals unless it needs more (``103.00``)."""
    quantized = value.quantize(Decimal("0.01"))
    return money(value) if quantized == value else number(value)


def _text(value: object, zone: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_time(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def build(tag: str, path: str, values: Mapping[str, Any], zone: Any = None,
          only: Collection[str] | None = None) -> etree._Element:
    """The element ``tag`` with ``values`` as children in the order the schema gives ``path``.

    Args:
        tag: element name to create.
        path: schema path of the element (``CustomerRet``, ``InvoiceRet/InvoiceLineRet``).
        values: child name -> text, nested mapping, element, or list of those.
        zone: timezone for datetime values.
        only: IncludeRetElement names; other top-level children are left out.
    """
    element = etree.Element(tag)
    order = _children(path)
    names = list(order) if order is not None else list(values)
    for name in names:
        if name not in values or (only and name not in only):
            continue
        value = values[name]
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if isinstance(item, etree._Element):
                element.append(item)
            elif isinstance(item, Mapping):
                element.append(build(name, f"{path}/{name}", item, zone))
            else:
                etree.SubElement(element, name).text = _text(item, zone)
    return element


def ref(books: Books, list_id: str | None) -> dict[str, str] | None:
    if not list_id:
        return None
    return {"ListID": list_id, "FullName": books.full_name(list_id)}


def _stamp(record: Any) -> dict[str, Any]:
    return {"TimeCreated": record.time_created, "TimeModified": record.time_modified,
            "EditSequence": record.edit_sequence}


def data_ext_rets(books: Books, object_id: str, owners: Collection[str]) -> list[dict[str, str]]:
    """DataExtRet of the object for the OwnerIDs a query asked for."""
    if not owners:
        return []
    return [data_ext_values(ext) for ext in books.data_exts
            if ext.object_id == object_id and ext.owner_id in owners]


def data_ext_values(ext: DataExt) -> dict[str, str]:
    return {"OwnerID": ext.owner_id, "DataExtName": ext.name,
            "DataExtType": ext.data_ext_type, "DataExtValue": ext.value}


def customer_values(books: Books, customer: Customer, owners: Collection[str] = ()
                    ) -> dict[str, Any]:
    values: dict[str, Any] = dict(customer.extra)
    values.update(_stamp(customer))
    values.update({
        "ListID": customer.list_id, "Name": customer.name,
        "FullName": books.customer_full_name(customer), "IsActive": customer.is_active,
        "ParentRef": ref(books, customer.parent_id), "Sublevel": books.sublevel(customer),
        "Balance": money(books.customer_balance(customer.list_id)),
        "TotalBalance": money(books.customer_total_balance(customer.list_id)),
        "JobStatus": customer.job_status, "ExternalGUID": customer.external_guid,
        "DataExtRet": data_ext_rets(books, customer.list_id, owners),
    })
    return values


def account_values(books: Books, account: Account, balance: Decimal) -> dict[str, Any]:
    values: dict[str, Any] = _stamp(account)
    values.update({
        "ListID": account.list_id, "Name": account.name,
        "FullName": books.account_full_name(account), "IsActive": account.is_active,
        "ParentRef": ref(books, account.parent_id), "Sublevel": books.sublevel(account),
        "AccountType": account.account_type, "SpecialAccountType": account.special_type,
        "AccountNumber": account.number, "Desc": account.desc,
        "Balance": money(balance), "TotalBalance": money(balance),
        "CashFlowClassification": account.cash_flow,
    })
    return values


def item_values(books: Books, item: Item) -> dict[str, Any]:
    values: dict[str, Any] = _stamp(item)
    values.update({"ListID": item.list_id, "Name": item.name, "FullName": item.name,
                   "IsActive": item.is_active, "Sublevel": 0, "ExternalGUID": item.external_guid})
    if item.kind in ("ItemServiceRet", "ItemNonInventoryRet", "ItemOtherChargeRet"):
        values["SalesOrPurchase"] = {
            "Desc": item.desc,
            "Price": price(item.price) if item.price is not None else None,
            "PricePercent": number(item.rate_percent) if item.rate_percent is not None else None,
            "AccountRef": ref(books, item.account_id),
        }
    elif item.kind == "ItemDiscountRet":
        values.update({"ItemDesc": item.desc, "AccountRef": ref(books, item.account_id),
                       "DiscountRatePercent": number(item.rate_percent)
                       if item.rate_percent is not None else None,
                       "DiscountRate": price(item.price) if item.price is not None else None})
    elif item.kind == "ItemPaymentRet":
        values.update({"ItemDesc": item.desc, "DepositToAccountRef": ref(books, item.account_id)})
    elif item.kind == "ItemSalesTaxRet":
        values.update({"ItemDesc": item.desc, "TaxRate": number(item.rate_percent or Decimal(0))})
    return values


def line_values(books: Books, line: Line) -> dict[str, Any]:
    values: dict[str, Any] = dict(line.extra)
    values.update({
        "TxnLineID": line.txn_line_id, "ItemRef": ref(books, line.item_id), "Desc": line.desc,
        "Quantity": number(line.quantity) if line.quantity is not None else None,
        "Rate": price(line.rate) if line.rate is not None else None,
        "RatePercent": number(line.rate_percent) if line.rate_percent is not None else None,
        "Amount": money(line.amount), "ServiceDate": line.service_date,
    })
    return values


def linked_txns(books: Books, sale: SalesTxn) -> list[dict[str, Any]]:
    """LinkedTxn of an invoice (payments, credits) or a credit memo (invoices it paid)."""
    links: list[tuple[str, Decimal]] = []
    if sale.kind == "Invoice":
        links = [*books.payments_on(sale.txn_id).items(), *sale.credits.items()]
    elif sale.kind == "CreditMemo":
        links = list(books.credit_uses(sale.txn_id).items())
    rets = []
    for txn_id, amount in links:
        other = books.txn(txn_id)
        kind = other.kind if isinstance(other, SalesTxn) else type(other).__name__
        rets.append({"TxnID": txn_id, "TxnType": "ReceivePayment" if kind == "Payment" else kind,
                     "TxnDate": other.txn_date, "RefNumber": getattr(other, "ref_number", None),
                     "LinkType": "AMTTYPE",
                     "Amount": money(-amount if sale.kind == "Invoice" else amount)})
    return rets


def sales_values(books: Books, sale: SalesTxn, *, lines: bool = True, links: bool = False,
                 owners: Collection[str] = ()) -> dict[str, Any]:
    kind = sale.kind
    values: dict[str, Any] = dict(sale.extra)
    values.update(_stamp(sale))
    total = sale.subtotal
    values.update({
        "TxnID": sale.txn_id, "TxnNumber": sale.txn_number,
        "CustomerRef": ref(books, sale.customer_id), "ARAccountRef": ref(books, sale.ar_account_id),
        "TemplateRef": ref(books, sale.template_id), "TxnDate": sale.txn_date,
        "RefNumber": sale.ref_number, "TermsRef": ref(books, sale.terms_id),
        "DueDate": sale.due_date, "Memo": sale.memo, "ExternalGUID": sale.external_guid,
        "Subtotal": money(total), "SalesTaxPercentage": "0.00", "SalesTaxTotal": "0.00",
        "DataExtRet": data_ext_rets(books, sale.txn_id, owners),
    })
    if kind in ("Invoice", "CreditMemo"):
        values["IsPending"] = sale.is_pending
    if kind == "Invoice":
        remaining = books.balance_remaining(sale)
        values.update({"IsFinanceCharge": False, "AppliedAmount": money(-books.applied_to(sale)),
                       "BalanceRemaining": money(remaining), "IsPaid": remaining <= 0})
    elif kind == "CreditMemo":
        values.update({"TotalAmount": money(total),
                       "CreditRemaining": money(books.credit_remaining(sale))})
    else:
        values.update({"TotalAmount": money(total), "IsActive": sale.is_active})
    if links:
        values["LinkedTxn"] = linked_txns(books, sale)
    if lines:
        path = f"{kind}Ret/{kind}LineRet"
        values[f"{kind}LineRet"] = [build(f"{kind}LineRet", path, line_values(books, line), None)
                                   for line in sale.lines]
    return values


def payment_values(books: Books, payment: Payment, owners: Collection[str] = ()
                   ) -> dict[str, Any]:
    values: dict[str, Any] = dict(payment.extra)
    values.update(_stamp(payment))
    applied = []
    for invoice_id, amount in payment.applied.items():
        invoice = books.sales[invoice_id]
        applied.append({"TxnID": invoice_id, "TxnType": "Invoice", "TxnDate": invoice.txn_date,
                        "RefNumber": invoice.ref_number,
                        "BalanceRemaining": money(books.balance_remaining(invoice)),
                        "Amount": money(amount)})
    values.update({
        "TxnID": payment.txn_id, "TxnNumber": payment.txn_number,
        "CustomerRef": ref(books, payment.customer_id),
        "ARAccountRef": ref(books, payment.ar_account_id), "TxnDate": payment.txn_date,
        "RefNumber": payment.ref_number, "TotalAmount": money(payment.total),
        "PaymentMethodRef": ref(books, payment.method_id), "Memo": payment.memo,
        "DepositToAccountRef": ref(books, payment.deposit_to_id),
        "UnusedPayment": money(books.unused_payment(payment)), "UnusedCredits": "0.00",
        "ExternalGUID": payment.external_guid, "AppliedToTxnRet": applied,
        "DataExtRet": data_ext_rets(books, payment.txn_id, owners),
    })
    return values


def deposit_values(books: Books, deposit: Deposit, *, lines: bool = True,
                   owners: Collection[str] = ()) -> dict[str, Any]:
    values: dict[str, Any] = _stamp(deposit)
    values.update({
        "TxnID": deposit.txn_id, "TxnNumber": deposit.txn_number, "TxnDate": deposit.txn_date,
        "DepositToAccountRef": ref(books, deposit.account_id), "Memo": deposit.memo,
        "DepositTotal": money(deposit.total), "ExternalGUID": deposit.external_guid,
        "DataExtRet": data_ext_rets(books, deposit.txn_id, owners),
    })
    if lines:
        rets = []
        undeposited = books.undeposited_funds().list_id
        for line in deposit.lines:
            if line.payment_id:
                payment = books.payments.get(line.payment_id)
                rets.append({"TxnType": "ReceivePayment", "TxnID": line.payment_id,
                             "TxnLineID": line.txn_line_id,
                             "EntityRef": ref(books, payment.customer_id if payment else None),
                             "AccountRef": ref(books, undeposited), "Memo": line.memo,
                             "PaymentMethodRef": ref(books, payment.method_id if payment else None),
                             "Amount": money(line.amount)})
            else:
                rets.append({"TxnLineID": line.txn_line_id, "EntityRef": ref(books, line.entity_id),
                             "AccountRef": ref(books, line.account_id), "Memo": line.memo,
                             "CheckNumber": line.check_number,
                             "PaymentMethodRef": ref(books, line.method_id),
                             "Amount": money(line.amount)})
        values["DepositLineRet"] = rets
    return values


def ret_for(books: Books, record: Any, *, lines: bool = True, links: bool = False,
            owners: Collection[str] = (), only: Collection[str] | None = None,
            balances: Mapping[str, Decimal] | None = None) -> etree._Element:
    """The Ret element of any record (with the TimeModified QuickBooks reports for it)."""
    element = _ret_for(books, record, lines=lines, links=links, owners=owners, only=only,
                       balances=balances)
    if books.dst_error:
        for tag, at in (("TimeCreated", record.time_created),
                        ("TimeModified", record.time_modified)):
            stamp = element.find(tag)
            if stamp is not None:
                stamp.text = books.stamp_text(at)
    odd = books.reported_times.get(str(getattr(record, "list_id", None) or record.txn_id))
    stamp = element.find("TimeModified")
    if odd is not None and stamp is not None:
        stamp.text = odd
    return element


def _ret_for(books: Books, record: Any, *, lines: bool, links: bool, owners: Collection[str],
             only: Collection[str] | None, balances: Mapping[str, Decimal] | None
             ) -> etree._Element:
    zone = books.zone
    if isinstance(record, Customer):
        return build("CustomerRet", "CustomerRet", customer_values(books, record, owners), zone,
                     only)
    if isinstance(record, Account):
        balance = (balances or books.account_balances())[record.list_id]
        return build("AccountRet", "AccountRet", account_values(books, record, balance), zone, only)
    if isinstance(record, Item):
        return build(record.kind, record.kind, item_values(books, record), zone, only)
    if isinstance(record, SalesTxn):
        tag = f"{record.kind}Ret"
        values = sales_values(books, record, lines=lines, links=links, owners=owners)
        return build(tag, tag, values, zone, only)
    if isinstance(record, Payment):
        return build("ReceivePaymentRet", "ReceivePaymentRet",
                     payment_values(books, record, owners), zone, only)
    if isinstance(record, Deposit):
        return build("DepositRet", "DepositRet",
                     deposit_values(books, record, lines=lines, owners=owners), zone, only)
    raise TypeError(type(record).__name__)
