"""Sales documents: invoices, estimates and credit memos, with their item lines.

QuickBooks item groups are flattened: a group's member lines become ordinary lines (their
amounts add up to the group's total), so every document is a flat list of lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal, Protocol, Self

from attrs import evolve, field, frozen

from mappers.common import EntityRef, LinkedTransaction, aware, modified_time
from mappers.identity import recover_external_id
from mappers.money import line_amount, money_validator, total
from qbxml.responses import (
    CreditMemoLineGroupRet,
    CreditMemoRet,
    EstimateLineGroupRet,
    EstimateRet,
    InvoiceLineGroupRet,
    InvoiceRet,
    LinkedTxn,
    Ref,
)

__all__ = ["CreditMemo", "Estimate", "Invoice", "InvoiceLine", "InvoiceStatus"]

InvoiceStatus = Literal["paid", "partially_paid", "unpaid", "voided"]
_GROUPS = (InvoiceLineGroupRet, EstimateLineGroupRet, CreditMemoLineGroupRet)
_SalesRet = InvoiceRet | EstimateRet | CreditMemoRet
_ZERO = Decimal("0.00")


class LineRet(Protocol):
    """What the line Rets of invoices, estimates and credit memos have in common."""

    @property
    def txn_line_id(self) -> str | None: ...
    @property
    def item_ref(self) -> Ref | None: ...
    @property
    def desc(self) -> str | None: ...
    @property
    def quantity(self) -> Decimal | None: ...
    @property
    def rate(self) -> Decimal | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def service_date(self) -> dt.date | None: ...
    @property
    def sales_tax_code_ref(self) -> Ref | None: ...


@frozen(kw_only=True)
class InvoiceLine:
    """One item line of an invoice, estimate or credit memo (QBO ``SalesItemLineDetail``).

    A discount is a line with a negative ``amount`` (or rate). ``amount`` may be left out:
    QuickBooks then computes round_half_up(quantity x rate, 2), see :attr:`effective_amount`.
    ``qb_line_id`` is QuickBooks' TxnLineID, kept so a modification edits the line in place.
    """

    item: EntityRef | None = None
    description: str | None = None
    quantity: Decimal | None = field(default=None, validator=money_validator)
    rate: Decimal | None = field(default=None, validator=money_validator)
    amount: Decimal | None = field(default=None, validator=money_validator)
    tax_code: EntityRef | None = None
    service_date: dt.date | None = None
    qb_line_id: str | None = None

    @property
    def effective_amount(self) -> Decimal:
        """The line's amount as QuickBooks will book it (0 for a description-only line)."""
        if self.amount is not None:
            return self.amount
        computed = line_amount(self.quantity, self.rate)
        return _ZERO if computed is None else computed

    @classmethod
    def from_qbxml(cls, ret: LineRet) -> InvoiceLine:
        """Read an ``InvoiceLineRet`` / ``EstimateLineRet`` / ``CreditMemoLineRet``."""
        return cls(
            item=EntityRef.from_qbxml(ret.item_ref),
            description=ret.desc,
            quantity=ret.quantity,
            rate=ret.rate,
            amount=ret.amount,
            tax_code=EntityRef.from_qbxml(ret.sales_tax_code_ref),
            service_date=ret.service_date,
            qb_line_id=ret.txn_line_id,
        )


def _lines(rets: Iterable[LineRet | object]) -> tuple[InvoiceLine, ...]:
    lines: list[InvoiceLine] = []
    for ret in rets:
        if isinstance(ret, _GROUPS):
            lines.extend(InvoiceLine.from_qbxml(member) for member in ret.lines)
        else:
            lines.append(InvoiceLine.from_qbxml(ret))  # type: ignore[arg-type]
    return tuple(lines)


def _linked(rets: Iterable[LinkedTxn]) -> tuple[LinkedTransaction, ...]:
    return tuple(LinkedTransaction.from_qbxml(ret) for ret in rets)


@frozen(kw_only=True)
class _SalesDocument:
    """Fields every sales document has.

    ``total`` is QuickBooks' total including tax (QBO ``TotalAmt``); ``tax_total`` the sales
    tax in it. Both are ``None`` on a record not yet sent unless the platform states them, in
    which case :func:`mappers.amounts.check_amounts` compares them with the lines.
    """

    customer: EntityRef
    external_id: str | None = None
    qb_id: str | None = None
    qb_version: str | None = None
    number: str | None = None
    txn_date: dt.date | None = None
    memo: str | None = None
    lines: tuple[InvoiceLine, ...] = ()
    total: Decimal | None = field(default=None, validator=money_validator)
    tax_total: Decimal | None = field(default=None, validator=money_validator)
    updated_at: dt.datetime | None = field(default=None, validator=aware)
    updated_at_text: str | None = None

    @property
    def subtotal(self) -> Decimal:
        """The sum of the line amounts, computed the way QuickBooks does."""
        return total(line.effective_amount for line in self.lines)

    @classmethod
    def _from_header(cls, ret: _SalesRet, known: Mapping[str, str] | None) -> Self:
        """The fields every sales document reads the same way; subclasses add theirs."""
        updated_at, updated_at_text = modified_time(ret.time_modified)
        return cls(
            external_id=recover_external_id(known, ret.external_guid, ret.memo),
            qb_id=ret.txn_id,
            qb_version=ret.edit_sequence,
            number=ret.ref_number,
            customer=_customer(ret.customer_ref),
            txn_date=ret.txn_date,
            memo=ret.memo,
            lines=_lines(ret.lines),
            total=_document_total(ret),
            tax_total=ret.sales_tax_total,
            updated_at=updated_at,
            updated_at_text=updated_at_text,
        )


@frozen(kw_only=True)
class Invoice(_SalesDocument):
    """An invoice (QBO ``Invoice``); ``open_balance`` is what is still owed."""

    due_date: dt.date | None = None
    terms: str | None = None
    open_balance: Decimal | None = field(default=None, validator=money_validator)
    is_paid: bool | None = None
    is_voided: bool = False
    linked: tuple[LinkedTransaction, ...] = ()

    @property
    def status(self) -> InvoiceStatus:
        """``voided``, ``paid``, ``partially_paid`` or ``unpaid``, from the balance if known."""
        if self.is_voided:
            return "voided"
        if self.open_balance is None:
            return "paid" if self.is_paid else "unpaid"
        if self.open_balance <= 0:
            return "paid"
        if self.total is not None and self.open_balance < self.total:
            return "partially_paid"
        return "unpaid"

    @classmethod
    def from_qbxml(cls, ret: InvoiceRet, *, known: Mapping[str, str] | None = None) -> Invoice:
        """Read an ``InvoiceRet`` (query it with line items and linked transactions).

        A voided invoice is one QuickBooks left with a zero total and a ``VOID:`` memo.
        """
        return evolve(
            cls._from_header(ret, known),
            due_date=ret.due_date,
            terms=ret.terms_ref.full_name if ret.terms_ref else None,
            open_balance=ret.balance_remaining,
            is_paid=ret.is_paid,
            is_voided=_is_voided(ret.memo, _document_total(ret)),
            linked=_linked(ret.linked_txns),
        )


@frozen(kw_only=True)
class Estimate(_SalesDocument):
    """An estimate (quote); it never posts to the books."""

    due_date: dt.date | None = None
    is_active: bool = True
    linked: tuple[LinkedTransaction, ...] = ()

    @classmethod
    def from_qbxml(cls, ret: EstimateRet, *, known: Mapping[str, str] | None = None) -> Estimate:
        """Read an ``EstimateRet``."""
        return evolve(
            cls._from_header(ret, known),
            due_date=ret.due_date,
            is_active=ret.is_active is not False,
            linked=_linked(ret.linked_txns),
        )


@frozen(kw_only=True)
class CreditMemo(_SalesDocument):
    """A credit memo; ``credit_remaining`` is the part not yet applied to invoices."""

    credit_remaining: Decimal | None = field(default=None, validator=money_validator)
    linked: tuple[LinkedTransaction, ...] = ()

    @classmethod
    def from_qbxml(
        cls, ret: CreditMemoRet, *, known: Mapping[str, str] | None = None
    ) -> CreditMemo:
        """Read a ``CreditMemoRet``."""
        return evolve(
            cls._from_header(ret, known),
            credit_remaining=ret.credit_remaining,
            linked=_linked(ret.linked_txns),
        )


def _customer(ref: Ref | None) -> EntityRef:
    """The customer of a transaction; QuickBooks always sends one, but be lenient."""
    found = EntityRef.from_qbxml(ref)
    return found if found is not None else EntityRef(name="")


def _is_voided(memo: str | None, amount: Decimal | None) -> bool:
    return amount is not None and amount == 0 and (memo or "").upper().startswith("VOID:")


def _document_total(ret: _SalesRet) -> Decimal | None:
    """The document's total: InvoiceRet has no TotalAmount, only Subtotal + SalesTaxTotal."""
    if ret.total_amount is not None:
        return ret.total_amount
    if ret.subtotal is None:
        return None
    return ret.subtotal + (ret.sales_tax_total or Decimal("0.00"))
