"""Platform codes -> QuickBooks names: items, payment methods and sales-tax codes, with defaults.

A partner maps the platform's own codes (an item code ``svc-consult``, a payment method
``card``, a tax code ``vat``) to the names their QuickBooks company uses (``Consulting``,
``Visa``, ``Tax``). The push applies the mappings to each record just before it becomes
a request:

* **Payment method**: the mapped name; else the default payment method; else none (no
  ``PaymentMethodRef``: QuickBooks refuses the whole payment for a name it does not know,
  and a payment without a method is still a payment).
* **Item** of an invoice line: a line already naming a QuickBooks ListID is left alone;
  else the mapped name; else the default item, for every line that books money (a line
  with only a description needs no item); else the line's own name unchanged.
* **Tax code** of an invoice line: the mapped name; else unchanged.

Pure values: nothing here reads QuickBooks; whether a mapped item exists is the settings
page's question (it knows the items pulled from QuickBooks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from attrs import field, frozen

from mappers.common import EntityRef
from mappers.payments import Payment
from mappers.sales import InvoiceLine

__all__ = ["MAPPING_TABLES", "Mappings"]

#: The mapping tables, as stored and as the REST API names them.
MAPPING_TABLES = ("item", "payment_method", "tax_code")
#: QuickBooks' length limits on the names (qbXML ``ItemRef``/``PaymentMethodRef``/
#: ``SalesTaxCodeRef`` FullName), and on the platform's codes and table sizes.
NAME_LIMITS = {"item": 159, "payment_method": 31, "tax_code": 3}
CODE_LIMIT, MAX_ROWS = 100, 500
DEFAULTS = {"default_item": "item", "default_payment_method": "payment_method"}


def _table(value: Mapping[str, str] | None) -> dict[str, str]:
    return dict(value or {})


@frozen(kw_only=True)
class Mappings:
    """A company's mapping tables (platform code -> QuickBooks name) and defaults."""

    item: dict[str, str] = field(factory=dict, converter=_table)
    payment_method: dict[str, str] = field(factory=dict, converter=_table)
    tax_code: dict[str, str] = field(factory=dict, converter=_table)
    default_item: str | None = None
    default_payment_method: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Mappings:
        """Read stored JSON leniently: entries that are not text are left out."""
        data = data or {}
        tables: dict[str, Any] = {
            name: {str(k): v for k, v in (data.get(name) or {}).items()
                   if isinstance(v, str) and v}
            for name in MAPPING_TABLES if isinstance(data.get(name) or {}, Mapping)
        }
        defaults: dict[str, Any] = {key: value for key in DEFAULTS
                    if isinstance(value := data.get(key), str) and value}
        return cls(**tables, **defaults)

    def to_json(self) -> dict[str, Any]:
        return {"item": dict(self.item), "payment_method": dict(self.payment_method),
                "tax_code": dict(self.tax_code), "default_item": self.default_item,
                "default_payment_method": self.default_payment_method}

    def changed(self, changes: Mapping[str, Any]) -> Mappings:
        """These mappings with the tables and defaults in ``changes`` replaced (others kept);
        a default given as None or "" is cleared."""
        tables: dict[str, Any] = {name: _clean(changes[name])
                                  for name in MAPPING_TABLES if name in changes}
        defaults: dict[str, Any] = {key: str(changes[key] or "").strip() or None
                                    for key in DEFAULTS if key in changes}
        return attrs.evolve(self, **tables, **defaults)

    def problems(self) -> list[tuple[str, str]]:
        """What QuickBooks or the store would refuse, as ``(field, message)``; empty if none.

        Fields are named like the REST API's: ``item.<code>``, ``default_item``.
        """
        found: list[tuple[str, str]] = []
        for name in MAPPING_TABLES:
            table: dict[str, str] = getattr(self, name)
            if len(table) > MAX_ROWS:
                found.append((name, f"at most {MAX_ROWS} rows"))
            for code, target in table.items():
                if not code.strip() or len(code) > CODE_LIMIT:
                    found.append((f"{name}.{code}", f"a platform code is 1-{CODE_LIMIT} "
                                  "characters"))
                elif message := name_problem(name, target):
                    found.append((f"{name}.{code}", message))
        for key, name in DEFAULTS.items():
            value = getattr(self, key)
            if value is not None and (message := name_problem(name, value)):
                found.append((key, message))
        return found

    # -- applying them ---------------------------------------------------------

    def payment_method_for(self, method: str | None) -> str | None:
        """The QuickBooks payment method: mapped, else the default, else none."""
        if method and method in self.payment_method:
            return self.payment_method[method]
        return self.default_payment_method

    def item_for(self, line: InvoiceLine) -> EntityRef | None:
        """The QuickBooks item of an invoice line (see the module docstring)."""
        ref = line.item
        if ref is not None and ref.qb_id:
            return ref
        if ref is not None and ref.name and ref.name in self.item:
            return EntityRef(name=self.item[ref.name])
        books_money = (line.amount, line.rate, line.quantity) != (None, None, None)
        if self.default_item and (ref is not None or books_money):
            return EntityRef(name=self.default_item)
        return ref

    def tax_code_for(self, ref: EntityRef | None) -> EntityRef | None:
        if ref is not None and not ref.qb_id and ref.name and ref.name in self.tax_code:
            return EntityRef(name=self.tax_code[ref.name])
        return ref

    def payment(self, payment: Payment) -> Payment:
        return attrs.evolve(payment, method=self.payment_method_for(payment.method))

    def lines(self, lines: tuple[InvoiceLine, ...]) -> tuple[InvoiceLine, ...]:
        return tuple(attrs.evolve(line, item=self.item_for(line),
                                  tax_code=self.tax_code_for(line.tax_code))
                     for line in lines)


def name_problem(table: str, name: str) -> str | None:
    """Why ``name`` cannot be a QuickBooks name in ``table``; None when it can."""
    limit = NAME_LIMITS[table]
    if not name.strip():
        return "give the QuickBooks name"
    if len(name) > limit:
        return f"QuickBooks names here are at most {limit} characters"
    return None


def _clean(table: Mapping[str, str] | None) -> dict[str, str]:
    """A table from a form or a request: codes and names trimmed, empty rows left out."""
    return {str(code).strip(): str(name).strip() for code, name in (table or {}).items()
            if str(code).strip() or str(name).strip()}
