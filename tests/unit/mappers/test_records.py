"""Record invariants: money is Decimal, references point somewhere, times are aware."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mappers import (
    Address,
    Customer,
    EntityRef,
    Invoice,
    InvoiceLine,
    MapperError,
    MoneyTypeError,
    Payment,
    PaymentApplication,
    line_amount,
    require_money,
    round_cents,
)

ACME = EntityRef(name="Acme")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # A float has already lost cents.
        (lambda: Payment(customer=ACME, amount=0.1), "float 0.1"),  # type: ignore[arg-type]
        (lambda: InvoiceLine(rate=19.99), "float 19.99"),  # type: ignore[arg-type]
        (lambda: Customer(name="A", balance=1.5), "float 1.5"),  # type: ignore[arg-type]
        # Neither an int nor a string pass for money.
        (lambda: Invoice(customer=ACME, total=10), "must be a Decimal, got int"),  # type: ignore[arg-type]
        (lambda: PaymentApplication(invoice=ACME, amount="1.00"), "got str"),  # type: ignore[arg-type]
        # Nor does NaN.
        (lambda: Payment(customer=ACME, amount=Decimal("NaN")), "not a number"),
    ],
)
def test_money_must_be_decimal(build: object, message: str) -> None:
    with pytest.raises(MoneyTypeError, match=message) as caught:
        build()  # type: ignore[operator]
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, MapperError)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: EntityRef(), "needs a qb_id, a name or both"),
        (lambda: Address(lines=("1", "2", "3", "4", "5", "6")), "at most 5 lines"),
        (lambda: PaymentApplication(amount=Decimal(1)), "needs invoice or invoice_external_id"),
        (lambda: Customer(name="A", updated_at=dt.datetime(2024, 1, 1)), "timezone-aware"),
    ],
)
def test_invariants(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_error_default_message() -> None:
    assert str(MapperError()) == "The record cannot be mapped."
    assert str(MoneyTypeError()) == "Money must be a Decimal."


@pytest.mark.parametrize(
    ("quantity", "rate", "amount"),
    [
        (Decimal("3"), Decimal("1.335"), Decimal("4.01")),  # 4.005 -> 4.01, half up
        (Decimal("2"), Decimal("-0.0025"), Decimal("-0.01")),  # -0.005 -> -0.01, away from zero
        (None, Decimal("19.99"), Decimal("19.99")),  # quantity defaults to 1
        (Decimal("2"), None, None),  # nothing to compute from
    ],
)
def test_line_amount(
    quantity: Decimal | None, rate: Decimal | None, amount: Decimal | None
) -> None:
    assert line_amount(quantity, rate) == amount


def test_round_cents_and_require_money() -> None:
    assert round_cents(Decimal("2.345")) == Decimal("2.35")
    assert require_money(Decimal("1.00")) == Decimal("1.00")
    with pytest.raises(MoneyTypeError, match="total is the float"):
        require_money(1.0, "total")
