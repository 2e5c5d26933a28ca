"""Mappings: platform codes -> QuickBooks names, the defaults, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mappers import EntityRef, InvoiceLine, Mappings, Payment

MAPPED = Mappings(item={"svc": "Consulting"}, payment_method={"card": "Visa"},
                  tax_code={"vat": "Tax"}, default_item="Hardware",
                  default_payment_method="Check")


def _payment(method: str | None) -> Payment:
    return Payment(customer=EntityRef(name="Alice"), amount=Decimal("1.00"), method=method)


@pytest.mark.parametrize(("mappings", "method", "expected"), [
    (MAPPED, "card", "Visa"),  # mapped
    (MAPPED, "ach", "Check"),  # unmapped: the default
    (MAPPED, None, "Check"),  # none given: the default
    (Mappings(payment_method={"card": "Visa"}), "ach", None),  # no default: no method at all
    (Mappings(), "Visa", None),  # nothing mapped: never a name QuickBooks may not know
])
def test_payment_method(mappings: Mappings, method: str | None, expected: str | None) -> None:
    assert mappings.payment(_payment(method)).method == expected


@pytest.mark.parametrize(("mappings", "line", "expected"), [
    (MAPPED, InvoiceLine(item=EntityRef(name="svc"), amount=Decimal(1)),
     EntityRef(name="Consulting")),  # mapped
    (MAPPED, InvoiceLine(item=EntityRef(name="other"), amount=Decimal(1)),
     EntityRef(name="Hardware")),  # unmapped: the default item
    (MAPPED, InvoiceLine(rate=Decimal(2)), EntityRef(name="Hardware")),  # money, no item
    (MAPPED, InvoiceLine(description="Thanks"), None),  # a description line needs no item
    (MAPPED, InvoiceLine(item=EntityRef(qb_id="80000001-1", name="svc")),
     EntityRef(qb_id="80000001-1", name="svc")),  # a QuickBooks ListID is kept
    (Mappings(), InvoiceLine(item=EntityRef(name="Consulting"), amount=Decimal(1)),
     EntityRef(name="Consulting")),  # no mapping, no default: the name as given
])
def test_item(mappings: Mappings, line: InvoiceLine, expected: EntityRef | None) -> None:
    (mapped,) = mappings.lines((line,))
    assert mapped.item == expected


@pytest.mark.parametrize(("ref", "expected"), [
    (EntityRef(name="vat"), EntityRef(name="Tax")),
    (EntityRef(name="Non"), EntityRef(name="Non")),
    (EntityRef(qb_id="1", name="vat"), EntityRef(qb_id="1", name="vat")),
    (None, None),
])
def test_tax_code(ref: EntityRef | None, expected: EntityRef | None) -> None:
    (line,) = MAPPED.lines((InvoiceLine(description="x", tax_code=ref),))
    assert line.tax_code == expected


def test_json_round_trip_and_lenient_reading() -> None:
    assert Mappings.from_json(MAPPED.to_json()) == MAPPED
    assert Mappings.from_json(None) == Mappings()
    stored = {"item": {"a": "A", "b": 3, "c": ""}, "payment_method": "not a table",
              "default_item": 7, "default_payment_method": "Cash"}
    assert Mappings.from_json(stored) == Mappings(item={"a": "A"},
                                                  default_payment_method="Cash")


def test_changes_replace_tables_and_defaults_given_and_keep_the_rest() -> None:
    changed = MAPPED.changed({"item": {" new ": " Cables ", "": ""}, "default_item": "",
                              "default_payment_method": " Cash "})
    assert changed.item == {"new": "Cables"}
    assert changed.payment_method == MAPPED.payment_method
    assert (changed.default_item, changed.default_payment_method) == (None, "Cash")
    assert MAPPED.changed({"default_item": None}).default_item is None
    assert MAPPED.changed({"item": None}).item == {}


def test_problems_name_the_field() -> None:
    assert MAPPED.problems() == []
    bad = Mappings(item={"": "Consulting", "x" * 101: "A", "ok": "A" * 160},
                   payment_method={"card": " "}, tax_code={"vat": "Taxable"},
                   default_item="", default_payment_method="M" * 32)
    assert [field for field, _ in bad.problems()] == [
        "item.", f"item.{'x' * 101}", "item.ok", "payment_method.card", "tax_code.vat",
        "default_item", "default_payment_method"]
    assert dict(bad.problems())["tax_code.vat"] == (
        "QuickBooks names here are at most 3 characters")
    too_many = Mappings(tax_code={str(n): "Tax" for n in range(501)})
    assert too_many.problems() == [("tax_code", "at most 500 rows")]
