"""Invoices, credit memos and estimates: lines, totals, credits applied to invoices.

Line amounts follow QuickBooks: ``Amount`` given wins (and, with a Quantity, sets the Rate);
otherwise Quantity x Rate rounded half-up to cents, a Rate alone counts once, an item price
fills a missing Rate, and RatePercent takes that percentage of the lines above it (negative for
discount items). Sales tax is not computed (every total is tax-free).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from qbwc_server.simulator.company import errors
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.model import ZERO, Line, SalesTxn

__all__ = ["LineSpec", "add_sales_txn", "apply_credit", "compute_line", "mod_invoice"]

CENT = Decimal("0.01")
NEW_LINE = "-1"


@dataclasses.dataclass(kw_only=True)
class LineSpec:
    """One InvoiceLineAdd/Mod (or CreditMemo/Estimate line) as read from a request."""

    item_id: str | None = None
    desc: str | None = None
    quantity: Decimal | None = None
    rate: Decimal | None = None
    rate_percent: Decimal | None = None
    amount: Decimal | None = None
    service_date: date | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)
    txn_line_id: str | None = None  # Mod only: an existing line, or "-1" for a new one


def compute_line(books: Books, spec: LineSpec, above: Decimal, line_id: str) -> Line:
    """Turn a line spec into a stored line with its Amount worked out."""
    item = books.items.get(spec.item_id) if spec.item_id else None
    quantity, rate, percent, amount = spec.quantity, spec.rate, spec.rate_percent, spec.amount
    if rate is None and percent is None and amount is None and item is not None:
        if item.kind == "ItemDiscountRet" and item.rate_percent is not None:
            percent = item.rate_percent
        elif item.price is not None:
            rate = item.price
    if amount is None:
        if percent is not None:
            amount = (above * percent / 100).quantize(CENT, ROUND_HALF_UP)
            if item is not None and item.kind == "ItemDiscountRet":
                amount = -amount
        elif rate is not None:
            times = quantity if quantity is not None else Decimal(1)
            amount = (rate * times).quantize(CENT, ROUND_HALF_UP)
        else:
            amount = ZERO
    elif quantity and rate is None and percent is None:
        rate = (amount / quantity).quantize(Decimal("0.00001"), ROUND_HALF_UP).normalize()
    desc = spec.desc if spec.desc is not None else (item.desc if item is not None else None)
    return Line(txn_line_id=line_id, item_id=spec.item_id, desc=desc, quantity=quantity,
                rate=rate, rate_percent=percent, amount=amount.quantize(CENT),
                service_date=spec.service_date, extra=dict(spec.extra))


def _lines(books: Books, specs: list[LineSpec], at: datetime) -> list[Line]:
    lines: list[Line] = []
    running = ZERO
    for spec in specs:
        line = compute_line(books, spec, running, books.ids.txn_id(at))
        lines.append(line)
        running += line.amount
    return lines


def _due(books: Books, txn_date: date, terms_id: str | None) -> date:
    days = books.others[terms_id].days if terms_id else None
    return txn_date + timedelta(days=days or 0)


def add_sales_txn(books: Books, kind: str, customer_id: str, lines: list[LineSpec], *,
                  txn_date: date | None = None, ref_number: str | None = None,
                  ar_account_id: str | None = None, template_id: str | None = None,
                  terms_id: str | None = None, due_date: date | None = None,
                  memo: str | None = None, is_pending: bool = False, is_active: bool = True,
                  external_guid: str | None = None, extra: dict[str, Any] | None = None,
                  credits: list[tuple[str, Decimal]] | None = None,
                  at: datetime | None = None) -> SalesTxn:
    """InvoiceAdd / CreditMemoAdd / EstimateAdd."""
    when = at or books.now()
    day = txn_date or when.astimezone(books.zone).date()
    if ref_number is None:
        ref_number = books.next_ref_number(kind)
    else:
        books.note_ref_number(kind, ref_number)
    customer_extra = books.customers[customer_id].extra
    extra = dict(extra or {})
    for address in ("BillAddress", "ShipAddress"):
        if address not in extra and address in customer_extra:
            extra[address] = customer_extra[address]
    txn = SalesTxn(
        txn_id=books.ids.txn_id(when), kind=kind, txn_number=books.ids.next_txn_number(),
        customer_id=customer_id, txn_date=day, ref_number=ref_number,
        ar_account_id=(ar_account_id or books.receivables().list_id)
        if kind != "Estimate" else None,
        template_id=template_id, terms_id=terms_id,
        due_date=due_date or (_due(books, day, terms_id) if kind == "Invoice" else None),
        memo=memo, is_pending=is_pending, is_active=is_active, external_guid=external_guid,
        extra=extra, **books.new_stamp(when),
    )
    txn.lines = _lines(books, lines, when)
    for credit_id, amount in credits or []:
        _check_credit(books, txn, credit_id, amount)
        txn.credits[credit_id] = amount
    books.sales[txn.txn_id] = txn
    books.index_sales(txn)
    return txn


def _check_credit(books: Books, invoice: SalesTxn, credit_id: str, amount: Decimal) -> None:
    """SetCredit: the credit memo (or payment) exists, belongs to the customer, has enough."""
    credit = books.sales.get(credit_id)
    payment = books.payments.get(credit_id)
    if credit is not None and credit.kind == "CreditMemo":
        available = books.credit_remaining(credit) + invoice.credits.get(credit_id, ZERO)
        owner = credit.customer_id
    elif payment is not None:
        available = books.unused_payment(payment) + invoice.credits.get(credit_id, ZERO)
        owner = payment.customer_id
    else:
        raise errors.not_found(credit_id)
    if owner != invoice.customer_id:
        raise errors.invalid_value("SetCredit CreditTxnID", credit_id,
                                   "The credit belongs to another customer.")
    due = invoice.subtotal - books.applied_to(invoice) + invoice.credits.get(credit_id, ZERO)
    if amount > available or amount > due:
        raise errors.invalid_value("SetCredit AppliedAmount", str(amount),
                                   "You cannot apply more credit than is available or due.")


def apply_credit(books: Books, invoice: SalesTxn, credit_id: str, amount: Decimal) -> None:
    """Apply (or re-apply) a credit to an invoice; the caller touches the invoice."""
    _check_credit(books, invoice, credit_id, amount)
    books.unindex_sales(invoice)
    invoice.credits[credit_id] = amount
    books.index_sales(invoice)
    credit = books.sales.get(credit_id) or books.payments.get(credit_id)
    if credit is not None:
        books.touch(credit)


_HEADER = ("txn_date", "ref_number", "ar_account_id", "template_id", "terms_id", "due_date",
           "memo", "is_pending")


def mod_invoice(books: Books, txn_id: str, edit_sequence: str | None, *,
                customer_id: str | None = None, lines: list[LineSpec] | None = None,
                credits: list[tuple[str, Decimal]] | None = None,
                extra: dict[str, Any] | None = None, at: datetime | None = None,
                **header: Any) -> SalesTxn:
    """InvoiceMod. Listing any line replaces the line list: existing TxnLineIDs are modified,
    ``-1`` adds a line, lines not listed are deleted (QuickBooks' documented Mod rule)."""
    invoice = books.sales.get(txn_id)
    if invoice is None or invoice.kind != "Invoice":
        raise errors.not_found(txn_id)
    if edit_sequence is not None and edit_sequence != invoice.edit_sequence:
        raise errors.stale_edit_sequence(edit_sequence)
    when = at or books.now()
    books.unindex_sales(invoice)
    try:
        if customer_id is not None and customer_id != invoice.customer_id:
            if books.payments_on(txn_id) or invoice.credits:
                raise errors.invalid_value("CustomerRef", customer_id,
                                           "The invoice has payments applied to it.")
            invoice.customer_id = customer_id
        for name in _HEADER:
            if header.get(name) is not None:
                setattr(invoice, name, header[name])
        if extra:
            invoice.extra.update(extra)
        if lines is not None:
            invoice.lines = _mod_lines(books, invoice, lines, when)
        for credit_id, amount in credits or []:
            _check_credit(books, invoice, credit_id, amount)
            invoice.credits[credit_id] = amount
    finally:
        books.index_sales(invoice)
    books.touch(invoice, when)
    return invoice


def _mod_lines(books: Books, invoice: SalesTxn, specs: list[LineSpec], at: datetime
               ) -> list[Line]:
    existing = {line.txn_line_id: line for line in invoice.lines}
    lines: list[Line] = []
    running = ZERO
    for spec in specs:
        old = existing.get(spec.txn_line_id or NEW_LINE)
        if spec.txn_line_id not in (None, NEW_LINE) and old is None:
            raise errors.not_found(spec.txn_line_id or "")
        if old is not None:
            merged = LineSpec(
                item_id=spec.item_id or old.item_id,
                desc=spec.desc if spec.desc is not None else old.desc,
                quantity=spec.quantity if spec.quantity is not None else old.quantity,
                rate=spec.rate if spec.rate is not None else (
                    None if spec.amount is not None or spec.rate_percent is not None
                    else old.rate),
                rate_percent=spec.rate_percent if spec.rate_percent is not None else (
                    None if spec.rate is not None or spec.amount is not None
                    else old.rate_percent),
                amount=spec.amount,
                service_date=spec.service_date or old.service_date,
                extra={**old.extra, **spec.extra},
            )
            line = compute_line(books, merged, running, old.txn_line_id)
        else:
            line = compute_line(books, spec, running, books.ids.txn_id(at))
        lines.append(line)
        running += line.amount
    return lines

