"""Amount checks before sending: the mismatches QuickBooks would refuse or book differently.

:func:`check_amounts` returns problems as values, in plain words, so the engine can mark the
record failed with the message instead of sending it. QuickBooks' arithmetic (see
:mod:`mappers.money`): a line's amount is round_half_up(quantity x rate, 2); the subtotal is
the sum of line amounts (discounts are negative lines); the total adds the sales tax.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal, TypeVar

from attrs import evolve, frozen

from mappers.money import CENT, line_amount, round_cents, total
from mappers.payments import Deposit, Payment, PaymentApplication
from mappers.sales import CreditMemo, Estimate, Invoice

__all__ = ["AmountProblem", "ProblemKind", "check_amounts", "with_total"]

_Sales = TypeVar("_Sales", Invoice, Estimate, CreditMemo)

ProblemKind = Literal[
    "fraction_of_cent",
    "line_amount",
    "total",
    "negative_payment",
    "not_positive",
    "over_applied",
    "over_balance",
    "deposit_total",
]


@frozen(kw_only=True)
class AmountProblem:
    """One amount that does not add up.

    Attributes:
        kind: What is wrong (see :data:`ProblemKind`).
        where: The field, e.g. ``lines[2].amount``, ``total``, ``applications[0].amount``.
        expected: The amount QuickBooks would book, or the limit exceeded.
        actual: The amount given.
        message: The problem in plain words, for the person who fixes the record.
    """

    kind: ProblemKind
    where: str
    expected: Decimal
    actual: Decimal
    message: str


def check_amounts(
    record: Invoice | Estimate | CreditMemo | Payment | Deposit,
    *,
    open_balances: Mapping[str, Decimal] | None = None,
) -> list[AmountProblem]:
    """The amount problems of ``record``; empty when it adds up.

    Args:
        record: A sales document, payment or deposit about to be sent.
        open_balances: What is still owed on invoices, keyed by invoice ``qb_id`` or
            platform id; a payment applying more than that is reported.

    Returns:
        Problems in field order.
    """
    if isinstance(record, Payment):
        return _payment(record, open_balances or {})
    if isinstance(record, Deposit):
        return _deposit(record)
    return _sales(record)


def with_total(record: _Sales) -> _Sales:
    """``record`` with the total QuickBooks will book, when the platform left it out.

    That is the line amounts (quantity x rate rounded half up to cents, line by line) plus
    ``tax_total``; a stated total is kept (:func:`check_amounts` compares it).
    """
    if record.total is not None:
        return record
    return evolve(record, total=record.subtotal + (record.tax_total or Decimal("0.00")))


def _cents(where: str, value: Decimal | None) -> list[AmountProblem]:
    if value is None or value == value.quantize(CENT):
        return []
    return [
        AmountProblem(
            kind="fraction_of_cent",
            where=where,
            expected=round_cents(value),
            actual=value,
            message=f"{where} is {value}: QuickBooks amounts have whole cents.",
        )
    ]


def _sales(record: Invoice | Estimate | CreditMemo) -> list[AmountProblem]:
    problems: list[AmountProblem] = []
    for index, line in enumerate(record.lines):
        where = f"lines[{index}].amount"
        problems.extend(_cents(where, line.amount))
        computed = line_amount(line.quantity, line.rate)
        if line.amount is not None and computed is not None and computed != line.amount:
            quantity = 1 if line.quantity is None else line.quantity
            problems.append(
                AmountProblem(
                    kind="line_amount",
                    where=where,
                    expected=computed,
                    actual=line.amount,
                    message=(
                        f"Line {index + 1}: {quantity} x {line.rate} comes to {computed} in "
                        f"QuickBooks (rounded half up to cents), but the amount given is "
                        f"{line.amount}."
                    ),
                )
            )
    problems.extend(_cents("total", record.total))
    if record.total is not None:
        expected = record.subtotal + (record.tax_total or Decimal("0.00"))
        if expected != record.total:
            tax = f" plus tax {record.tax_total}" if record.tax_total is not None else ""
            problems.append(
                AmountProblem(
                    kind="total",
                    where="total",
                    expected=expected,
                    actual=record.total,
                    message=(
                        f"The total given is {record.total}, but the lines add up to "
                        f"{record.subtotal}{tax} = {expected}."
                    ),
                )
            )
    return problems


def _positive(where: str, value: Decimal | None, what: str) -> list[AmountProblem]:
    """A zero or negative amount where QuickBooks books only money that moves in."""
    if value is None or value > 0:
        return []
    return [
        AmountProblem(
            kind="not_positive",
            where=where,
            expected=CENT,
            actual=value,
            message=f"{where} is {value}: {what} must be more than 0.00.",
        )
    ]


def _payment(payment: Payment, open_balances: Mapping[str, Decimal]) -> list[AmountProblem]:
    problems = _cents("amount", payment.amount)
    if payment.amount < 0:
        problems.append(
            AmountProblem(
                kind="negative_payment",
                where="amount",
                expected=Decimal("0.00"),
                actual=payment.amount,
                message=(
                    f"amount is {payment.amount}: a payment is money received, so send the "
                    "amount the customer paid as a positive number. A refund is not a "
                    "negative payment in QuickBooks: to undo a payment that bounced or was "
                    "charged back, reverse it; a refund paid out to the customer cannot be "
                    "pushed yet, so record it in QuickBooks."
                ),
            )
        )
    else:
        problems.extend(_positive("amount", payment.amount, "a payment moves money, so it"))
    for index, application in enumerate(payment.applications):
        where = f"applications[{index}].amount"
        problems.extend(_cents(where, application.amount))
        problems.extend(_positive(where, application.amount, "the part applied to an invoice"))
        balance = _open_balance(open_balances, application)
        if balance is not None and application.amount > balance:
            problems.append(
                AmountProblem(
                    kind="over_balance",
                    where=where,
                    expected=balance,
                    actual=application.amount,
                    message=(
                        f"{application.amount} is applied to invoice {_label(application)}, "
                        f"which has only {balance} open; QuickBooks refuses to pay more than "
                        "the amount due."
                    ),
                )
            )
    applied = total(application.amount for application in payment.applications)
    if payment.applications and applied > payment.amount:
        problems.append(
            AmountProblem(
                kind="over_applied",
                where="applications",
                expected=payment.amount,
                actual=applied,
                message=(
                    f"The applications add up to {applied}, more than the payment of "
                    f"{payment.amount}."
                ),
            )
        )
    return problems


def _open_balance(
    open_balances: Mapping[str, Decimal], application: PaymentApplication
) -> Decimal | None:
    """The open balance of the application's invoice, by QuickBooks id or platform id."""
    invoice = application.invoice
    for key in (invoice.qb_id if invoice else None, application.invoice_external_id):
        if key is not None and key in open_balances:
            return open_balances[key]
    return None


def _label(application: PaymentApplication) -> str:
    invoice = application.invoice
    if invoice is not None and invoice.name:
        return invoice.name
    return str((invoice.qb_id if invoice else None) or application.invoice_external_id)


def _deposit(deposit: Deposit) -> list[AmountProblem]:
    problems = _cents("total", deposit.total)
    problems.extend(_positive("total", deposit.total, "a deposit's total"))
    for index, deposited in enumerate(deposit.payments):
        where = f"payments[{index}].amount"
        problems.extend(_cents(where, deposited.amount))
        problems.extend(_positive(where, deposited.amount, "a deposited payment"))
    amounts = [deposited.amount for deposited in deposit.payments]
    if deposit.total is None or any(amount is None for amount in amounts):
        return problems
    expected = total(amount for amount in amounts if amount is not None)
    if expected != deposit.total:
        problems.append(
            AmountProblem(
                kind="deposit_total",
                where="total",
                expected=expected,
                actual=deposit.total,
                message=(
                    f"The deposit total given is {deposit.total}, but its payments add up "
                    f"to {expected}."
                ),
            )
        )
    return problems
