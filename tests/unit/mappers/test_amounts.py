"""check_amounts: QuickBooks' arithmetic, one row per case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mappers import (
    AmountProblem,
    CreditMemo,
    Deposit,
    DepositedPayment,
    EntityRef,
    Estimate,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentApplication,
    check_amounts,
    with_total,
)

D = Decimal
ACME = EntityRef(name="Acme")


def line(quantity: str | None, rate: str | None, amount: str | None = None) -> InvoiceLine:
    return InvoiceLine(
        description="x",
        quantity=None if quantity is None else D(quantity),
        rate=None if rate is None else D(rate),
        amount=None if amount is None else D(amount),
    )


def kinds(problems: list[AmountProblem]) -> list[tuple[str, str, Decimal, Decimal]]:
    return [(p.kind, p.where, p.expected, p.actual) for p in problems]


@pytest.mark.parametrize(
    ("lines", "total", "tax", "expected"),
    [
        # 3 x 1.335 = 4.005 rounds half up to 4.01, not 4.00 (banker's rounding would say 4.00).
        ((line("3", "1.335", "4.00"),), None, None,
         [("line_amount", "lines[0].amount", D("4.01"), D("4.00"))]),
        # The same line with QuickBooks' amount is fine.
        ((line("3", "1.335", "4.01"),), None, None, []),
        # -0.005 rounds half up in magnitude to -0.01 (ROUND_HALF_UP is away from zero).
        ((line("1", "-0.005", "-0.01"),), None, None, []),
        # No quantity means 1.
        ((line(None, "19.99", "19.99"),), None, None, []),
        # Amount only (no rate): nothing to compare the line with.
        ((line(None, None, "7.50"),), D("7.50"), None, []),
        # A discount line is a negative amount; the total is the sum of lines.
        ((line("2", "50.00"), line(None, None, "-10.00")), D("90.00"), None, []),
        # A total that ignores the discount line.
        ((line("2", "50.00"), line(None, None, "-10.00")), D("100.00"), None,
         [("total", "total", D("90.00"), D("100.00"))]),
        # Sales tax is added to the lines.
        ((line("1", "10.00"),), D("10.63"), D("0.63"), []),
        # ... and a total without it is wrong.
        ((line("1", "10.00"),), D("10.00"), D("0.63"),
         [("total", "total", D("10.63"), D("10.00"))]),
        # Computed line amounts count in the sum: 3 x 0.335 = 1.005 -> 1.01.
        ((line("3", "0.335"),), D("1.00"), None, [("total", "total", D("1.01"), D("1.00"))]),
        # Fractions of a cent in an amount or total.
        ((line(None, None, "1.005"),), D("1.005"), None,
         [("fraction_of_cent", "lines[0].amount", D("1.01"), D("1.005")),
          ("fraction_of_cent", "total", D("1.01"), D("1.005"))]),
    ],
)
def test_sales_documents(
    lines: tuple[InvoiceLine, ...], total: Decimal | None, tax: Decimal | None,
    expected: list[tuple[str, str, Decimal, Decimal]],
) -> None:
    for cls in (Invoice, Estimate, CreditMemo):
        record = cls(customer=ACME, lines=lines, total=total, tax_total=tax)
        assert kinds(check_amounts(record)) == expected


def test_messages_are_plain_words() -> None:
    (problem,) = check_amounts(Invoice(customer=ACME, lines=(line("3", "1.335", "4.00"),)))
    assert problem.message == (
        "Line 1: 3 x 1.335 comes to 4.01 in QuickBooks (rounded half up to cents), but the "
        "amount given is 4.00."
    )
    (problem,) = check_amounts(Invoice(customer=ACME, lines=(line("1", "10.00"),),
                                       total=D("10.00"), tax_total=D("0.63")))
    assert problem.message == (
        "The total given is 10.00, but the lines add up to 10.00 plus tax 0.63 = 10.63."
    )


def applied(amount: str, qb_id: str | None = "I1", external: str | None = None,
            name: str | None = None) -> PaymentApplication:
    invoice = EntityRef(qb_id=qb_id, name=name) if qb_id or name else None
    return PaymentApplication(invoice=invoice, invoice_external_id=external, amount=D(amount))


@pytest.mark.parametrize(
    ("amount", "applications", "balances", "expected"),
    [
        # Fully applied to one invoice.
        ("100.00", (applied("100.00"),), {}, []),
        # Applied to two invoices for more than was paid.
        ("100.00", (applied("60.00"), applied("50.00", "I2")), {},
         [("over_applied", "applications", D("100.00"), D("110.00"))]),
        # More than the invoice's open balance (QuickBooks status 3210), balance by qb_id.
        ("100.00", (applied("100.00"),), {"I1": D("80.00")},
         [("over_balance", "applications[0].amount", D("80.00"), D("100.00"))]),
        # ... balance known by the platform's invoice id.
        ("100.00", (applied("100.00", None, "inv_1"),), {"inv_1": D("99.99")},
         [("over_balance", "applications[0].amount", D("99.99"), D("100.00"))]),
        # Exactly the open balance is fine; a partial payment too.
        ("100.00", (applied("80.00"), applied("20.00", "I2")), {"I1": D("80.00"),
                                                                "I2": D("50.00")}, []),
        # Unapplied: nothing to check.
        ("100.00", (), {}, []),
        # A negative payment is a refund in disguise.
        ("-5.00", (), {}, [("negative_payment", "amount", D("0.00"), D("-5.00"))]),
        # A zero payment moves no money.
        ("0.00", (), {}, [("not_positive", "amount", D("0.01"), D("0.00"))]),
        # Applying nothing, or a negative part, to an invoice.
        ("10.00", (applied("0.00"), applied("-2.00", "I2")), {},
         [("not_positive", "applications[0].amount", D("0.01"), D("0.00")),
          ("not_positive", "applications[1].amount", D("0.01"), D("-2.00"))]),
        # Fractions of a cent.
        ("1.001", (applied("1.001"),), {},
         [("fraction_of_cent", "amount", D("1.00"), D("1.001")),
          ("fraction_of_cent", "applications[0].amount", D("1.00"), D("1.001"))]),
    ],
)
def test_payments(
    amount: str, applications: tuple[PaymentApplication, ...], balances: dict[str, Decimal],
    expected: list[tuple[str, str, Decimal, Decimal]],
) -> None:
    payment = Payment(customer=ACME, amount=D(amount), applications=applications)
    assert kinds(check_amounts(payment, open_balances=balances)) == expected


@pytest.mark.parametrize(
    ("application", "label"),
    [
        (applied("9.00", "I1", None, "1001"), "invoice 1001"),  # its number
        (applied("9.00", "I1"), "invoice I1"),  # its QuickBooks id
        (applied("9.00", None, "inv_1"), "invoice inv_1"),  # the platform's id
    ],
)
def test_over_balance_names_the_invoice(application: PaymentApplication, label: str) -> None:
    payment = Payment(customer=ACME, amount=D("9.00"), applications=(application,))
    (problem,) = check_amounts(payment, open_balances={"I1": D("1.00"), "inv_1": D("1.00")})
    assert f"applied to {label}, which has only 1.00 open" in problem.message


def deposited(*amounts: str | None) -> tuple[DepositedPayment, ...]:
    return tuple(
        DepositedPayment(payment=EntityRef(qb_id=f"P{i}"), amount=None if a is None else D(a))
        for i, a in enumerate(amounts)
    )


@pytest.mark.parametrize(
    ("payments", "total", "expected"),
    [
        # Payments add up to the payout.
        (deposited("10.00", "5.50"), "15.50", []),
        # They do not.
        (deposited("10.00", "5.50"), "15.00",
         [("deposit_total", "total", D("15.50"), D("15.00"))]),
        # An amount is unknown: nothing to compare.
        (deposited("10.00", None), "15.00", []),
        # No total given.
        (deposited("10.00"), None, []),
        # A negative deposited payment, and a total that is not positive.
        (deposited("-10.00"), "-10.00",
         [("not_positive", "total", D("0.01"), D("-10.00")),
          ("not_positive", "payments[0].amount", D("0.01"), D("-10.00"))]),
        # A deposited amount with a fraction of a cent.
        (deposited("0.001"), None,
         [("fraction_of_cent", "payments[0].amount", D("0.00"), D("0.001"))]),
        # A total with a fraction of a cent.
        (deposited("10.00"), "10.001",
         [("fraction_of_cent", "total", D("10.00"), D("10.001")),
          ("deposit_total", "total", D("10.00"), D("10.001"))]),
    ],
)
def test_deposits(
    payments: tuple[DepositedPayment, ...], total: str | None,
    expected: list[tuple[str, str, Decimal, Decimal]],
) -> None:
    deposit = Deposit(bank_account=EntityRef(name="Checking"), payments=payments,
                      total=None if total is None else D(total))
    assert kinds(check_amounts(deposit)) == expected


def test_a_negative_payment_says_what_to_send_instead() -> None:
    (problem,) = check_amounts(Payment(customer=ACME, amount=D("-20.00")))
    assert "send the amount the customer paid as a positive number" in problem.message
    assert "reverse it" in problem.message


@pytest.mark.parametrize(
    ("lines", "total", "tax", "expected"),
    [
        # Left out: the line amounts as QuickBooks computes them, 3 x 1.335 -> 4.01, plus tax.
        ((line("3", "1.335"), line(None, None, "-1.00")), None, D("0.25"), D("3.26")),
        # Left out, no tax: the lines alone.
        ((line("2", "50.00"),), None, None, D("100.00")),
        # Stated: kept as it is, for check_amounts to compare.
        ((line("2", "50.00"),), D("99.00"), None, D("99.00")),
    ],
)
def test_with_total(lines: tuple[InvoiceLine, ...], total: Decimal | None,
                    tax: Decimal | None, expected: Decimal) -> None:
    for cls in (Invoice, Estimate, CreditMemo):
        record = with_total(cls(customer=ACME, lines=lines, total=total, tax_total=tax))
        assert (type(record), record.total) == (cls, expected)
