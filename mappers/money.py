"""Money as QuickBooks counts it: Decimal only, rounded half up to cents, line by line.

QuickBooks (Desktop and Online) computes a line's amount as quantity x rate rounded half up to
two decimals, and a transaction's subtotal as the sum of its line amounts; discounts are lines
with a negative amount. A float has already lost cents (``0.1 + 0.2``), so it is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mappers.errors import MoneyTypeError

CENT = Decimal("0.01")


def require_money(value: object, what: str = "amount") -> Decimal:
    """``value`` if it is a finite Decimal; anything else is refused.

    Raises:
        MoneyTypeError: ``value`` is a float (or another non-Decimal), or NaN/infinite.
    """
    if isinstance(value, float):
        raise MoneyTypeError(
            f"{what} is the float {value!r}; give money as Decimal (e.g. Decimal('{value}')),"
            " a float has already lost cents"
        )
    if not isinstance(value, Decimal):
        raise MoneyTypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise MoneyTypeError(f"{what} is {value}, not a number")
    return value


def money_validator(instance: object, attribute: Any, value: object) -> None:
    """attrs validator for an optional money field (``None`` or a finite Decimal)."""
    if value is not None:
        require_money(value, f"{type(instance).__name__}.{attribute.name}")


def round_cents(value: Decimal) -> Decimal:
    """Round to cents, half up (2.345 -> 2.35, -2.345 -> -2.35), as QuickBooks does."""
    return require_money(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """QuickBooks' amount for a line: round_half_up(quantity x rate); quantity defaults to 1.

    ``None`` when there is no rate to compute from.
    """
    if rate is None:
        return None
    return round_cents((Decimal(1) if quantity is None else quantity) * rate)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of ``amounts`` (cents stay exact: Decimal addition does not round)."""
    return sum(amounts, Decimal("0.00"))
