"""Received payments and deposits.

* A payment lands in ``DepositToAccountRef``, by default Undeposited Funds, and lowers
  Accounts Receivable by its TotalAmount.
* Applied to invoices (``AppliedToTxnAdd``) it lowers their BalanceRemaining; paying more than
  an invoice's open balance is 3210 "You cannot pay more than the amount due." with severity
  Info, as in the consolibyte capture. What is not applied stays as UnusedPayment, a credit on
  the customer.
* ``IsAutoApply`` true applies to the customer's open invoices: first one whose balance equals
  the payment, else oldest first (QuickBooks' auto-apply preference).
* A deposit line naming a payment moves it out of Undeposited Funds into the deposit's account;
  a payment can be deposited once.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from qbwc_server.simulator.company import errors
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.model import ZERO, Deposit, DepositLine, Payment, SalesTxn

__all__ = ["DepositLineSpec", "add_deposit", "open_invoices", "receive_payment"]


def open_invoices(books: Books, customer_id: str) -> list[SalesTxn]:
    """The customer's invoices with a balance, oldest first."""
    invoices = [books.sales[t] for t in books.txn_ids_of(customer_id) if t in books.sales]
    found = [i for i in invoices if i.kind == "Invoice" and books.balance_remaining(i) > 0]
    return sorted(found, key=lambda i: (i.txn_date, i.txn_number))


def _auto_apply(books: Books, customer_id: str, total: Decimal) -> dict[str, Decimal]:
    candidates = open_invoices(books, customer_id)
    exact = [i for i in candidates if books.balance_remaining(i) == total]
    if exact:
        return {exact[0].txn_id: total}
    applied: dict[str, Decimal] = {}
    left = total
    for invoice in candidates:
        if left <= 0:
            break
        amount = min(left, books.balance_remaining(invoice))
        applied[invoice.txn_id] = amount
        left -= amount
    return applied


def receive_payment(books: Books, customer_id: str, *, total: Decimal | None = None,
                    applications: list[tuple[str, Decimal]] | None = None,
                    auto_apply: bool = False, txn_date: date | None = None,
                    ref_number: str | None = None, method_id: str | None = None,
                    memo: str | None = None, deposit_to_id: str | None = None,
                    ar_account_id: str | None = None, external_guid: str | None = None,
                    extra: dict[str, Any] | None = None, at: datetime | None = None) -> Payment:
    """ReceivePaymentAdd."""
    applications = applications or []
    if total is None:
        total = sum((amount for _, amount in applications), ZERO)
    applied: dict[str, Decimal] = {}
    for invoice_id, amount in applications:
        invoice = books.sales.get(invoice_id)
        if invoice is None or invoice.kind != "Invoice":
            raise errors.not_found(invoice_id)
        if invoice.customer_id != customer_id:
            raise errors.invalid_value("AppliedToTxnAdd TxnID", invoice_id,
                                       "The transaction belongs to another customer.")
        if amount > books.balance_remaining(invoice) - applied.get(invoice_id, ZERO):
            raise errors.invalid_value("AppliedToTxnAdd payment amount", f"{amount:.2f}",
                                       "You cannot pay more than the amount due.", "Info")
        applied[invoice_id] = applied.get(invoice_id, ZERO) + amount
    if sum(applied.values(), ZERO) > total:
        raise errors.invalid_value("TotalAmount", f"{total:.2f}",
                                   "The amount applied is more than the payment amount.")
    if auto_apply:
        applied = _auto_apply(books, customer_id, total)
    when = at or books.now()
    payment = Payment(
        txn_id=books.ids.txn_id(when), txn_number=books.ids.next_txn_number(),
        customer_id=customer_id, txn_date=txn_date or when.astimezone(books.zone).date(),
        total=total, ar_account_id=ar_account_id or books.receivables().list_id,
        deposit_to_id=deposit_to_id or books.undeposited_funds().list_id,
        ref_number=ref_number, method_id=method_id, memo=memo, external_guid=external_guid,
        applied=applied, extra=dict(extra or {}), **books.new_stamp(when),
    )
    books.payments[payment.txn_id] = payment
    books.index_payment(payment)
    for invoice_id in applied:
        books.touch(books.sales[invoice_id], when)
    return payment


@dataclasses.dataclass(kw_only=True)
class DepositLineSpec:
    """A DepositLineAdd: a payment from Undeposited Funds, or an amount from an account."""

    payment_id: str | None = None
    entity_id: str | None = None
    account_id: str | None = None
    memo: str | None = None
    check_number: str | None = None
    method_id: str | None = None
    amount: Decimal | None = None


def add_deposit(books: Books, account_id: str, lines: list[DepositLineSpec], *,
                txn_date: date | None = None, memo: str | None = None,
                external_guid: str | None = None, at: datetime | None = None) -> Deposit:
    """DepositAdd."""
    when = at or books.now()
    undeposited = books.undeposited_funds().list_id
    seen: set[str] = set()
    stored: list[DepositLine] = []
    for spec in lines:
        if spec.payment_id:
            payment = books.payments.get(spec.payment_id)
            if payment is None:
                raise errors.not_found(spec.payment_id)
            if (payment.deposit_id or spec.payment_id in seen
                    or payment.deposit_to_id != undeposited or payment.voided):
                raise errors.invalid_value(
                    "PaymentTxnID", spec.payment_id,
                    "The payment is not in Undeposited Funds (it has already been deposited).")
            seen.add(spec.payment_id)
            stored.append(DepositLine(txn_line_id=books.ids.txn_id(when), amount=payment.total,
                                      payment_id=payment.txn_id, memo=spec.memo))
        else:
            stored.append(DepositLine(
                txn_line_id=books.ids.txn_id(when), amount=spec.amount or ZERO,
                entity_id=spec.entity_id, account_id=spec.account_id, memo=spec.memo,
                check_number=spec.check_number, method_id=spec.method_id))
    deposit = Deposit(txn_id=books.ids.txn_id(when), txn_number=books.ids.next_txn_number(),
                      txn_date=txn_date or when.astimezone(books.zone).date(),
                      account_id=account_id, memo=memo, external_guid=external_guid,
                      lines=stored, **books.new_stamp(when))
    books.deposits[deposit.txn_id] = deposit
    for line in stored:
        if line.payment_id:
            payment = books.payments[line.payment_id]
            payment.deposit_id = deposit.txn_id
            books.touch(payment, when)
    return deposit
