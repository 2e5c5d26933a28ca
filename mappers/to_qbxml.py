"""Canonical records -> qbXML write requests (adds, modifications, archive, reversal).

Builders only choose fields; lengths, encodings, decimals and versions are checked by
:func:`qbxml.build_message` under its :class:`~qbxml.BuildPolicy` (a 21-character payment
reference is refused, or cut with ``too_long="truncate"``). Every Add carries the record's
identity GUID, and optionally a memo marker, see :mod:`mappers.identity`.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from mappers.common import Address, EntityRef
from mappers.customers import Customer
from mappers.errors import MissingFieldError
from mappers.identity import identity_guid, identity_marker, with_marker
from mappers.payments import Deposit, Payment
from mappers.sales import CreditMemo, Estimate, Invoice, InvoiceLine
from qbxml import requests as rq

__all__ = [
    "RecordKind",
    "credit_memo_add",
    "customer_add",
    "customer_archive",
    "customer_mod",
    "deposit_add",
    "estimate_add",
    "invoice_add",
    "invoice_mod",
    "payment_add",
    "payment_reversal",
]

RecordKind = Literal["customer", "invoice", "payment", "deposit", "estimate", "credit_memo"]


def to_ref(ref: EntityRef) -> rq.Ref:
    """An :class:`EntityRef` as a qbXML ``...Ref`` (ListID/TxnID and FullName)."""
    return rq.Ref(list_id=ref.qb_id, full_name=ref.name)


def _ref(ref: EntityRef | None) -> rq.Ref | None:
    return None if ref is None else to_ref(ref)


def _name_ref(name: str | None) -> rq.Ref | None:
    return None if name is None else rq.Ref(full_name=name)


def to_address(address: Address | None) -> rq.Address | None:
    """An :class:`Address` as ``BillAddress``/``ShipAddress`` (lines go to Addr1..Addr5).

    An empty address is no address (QuickBooks refuses an empty ``BillAddress``).
    """
    if address is None or address.is_empty:
        return None
    lines = address.lines + (None,) * (5 - len(address.lines))
    return rq.Address(
        addr1=lines[0],
        addr2=lines[1],
        addr3=lines[2],
        addr4=lines[3],
        addr5=lines[4],
        city=address.city,
        state=address.region,
        postal_code=address.postal_code,
        country=address.country,
        note=address.note,
    )


def _guid(scope: str, kind: RecordKind, external_id: str | None, record: str) -> str:
    if not external_id:
        raise MissingFieldError(
            record, "external_id", "every Add carries an identity derived from it"
        )
    return identity_guid(scope, kind, external_id)


def _memo(memo: str | None, guid: str, memo_marker: bool) -> str | None:
    return with_marker(memo, identity_marker(guid)) if memo_marker else memo


def _some_lines(lines: tuple[InvoiceLine, ...], record: str) -> tuple[InvoiceLine, ...]:
    if not lines:
        raise MissingFieldError(record, "lines", "QuickBooks wants at least one line")
    return lines


def _require(value: str | None, record: str, field: str, why: str) -> str:
    if not value:
        raise MissingFieldError(record, field, why)
    return value


def customer_add(customer: Customer, *, scope: str) -> rq.CustomerAdd:
    """``CustomerAdd`` for a new customer or job (``parent`` set).

    Args:
        customer: The record; ``external_id`` is required (it gives the identity GUID).
        scope: The identity scope, e.g. the company's FileID (see :mod:`mappers.identity`).

    Raises:
        MissingFieldError: No ``external_id``.
    """
    return rq.CustomerAdd(
        **_customer_fields(customer),
        external_guid=_guid(scope, "customer", customer.external_id, "Customer"),
    )


def customer_mod(customer: Customer) -> rq.CustomerMod:
    """``CustomerMod`` setting every mapped field (empty ones are left as they are).

    Raises:
        MissingFieldError: No ``qb_id`` or ``qb_version`` (query the customer first).
    """
    return rq.CustomerMod(
        list_id=_require(customer.qb_id, "Customer", "qb_id", "only a pushed customer changes"),
        edit_sequence=_require(
            customer.qb_version, "Customer", "qb_version", "QuickBooks wants the EditSequence"
        ),
        **_customer_fields(customer),
    )


def _customer_fields(customer: Customer) -> dict[str, Any]:
    """The fields CustomerAdd and CustomerMod both take, in one place."""
    return dict(
        name=customer.name,
        is_active=customer.is_active,
        parent_ref=_ref(customer.parent),
        company_name=customer.company_name,
        first_name=customer.first_name,
        last_name=customer.last_name,
        bill_address=to_address(customer.bill_address),
        ship_address=to_address(customer.ship_address),
        phone=customer.phone,
        email=customer.email,
    )


def customer_archive(customer: Customer) -> rq.CustomerMod:
    """Archive: ``CustomerMod`` with ``IsActive`` false and nothing else changed.

    Raises:
        MissingFieldError: No ``qb_id`` or ``qb_version``.
    """
    return rq.CustomerMod(
        list_id=_require(customer.qb_id, "Customer", "qb_id", "only a pushed customer archives"),
        edit_sequence=_require(
            customer.qb_version, "Customer", "qb_version", "QuickBooks wants the EditSequence"
        ),
        is_active=False,
    )


_Line = TypeVar(
    "_Line", rq.InvoiceLineAdd, rq.InvoiceLineMod, rq.EstimateLineAdd, rq.CreditMemoLineAdd
)


def _line(cls: type[_Line], line: InvoiceLine, **extra: Any) -> _Line:
    """A qbXML line of kind ``cls``; ``extra`` holds the fields only some kinds have."""
    return cls(
        item_ref=_ref(line.item),
        desc=line.description,
        quantity=line.quantity,
        rate=line.rate,
        amount=line.amount,
        sales_tax_code_ref=_ref(line.tax_code),
        **extra,
    )


def invoice_add(invoice: Invoice, *, scope: str, memo_marker: bool = False) -> rq.InvoiceAdd:
    """``InvoiceAdd`` with its lines.

    Args:
        invoice: The record; ``external_id`` is required.
        scope: The identity scope (the company's FileID).
        memo_marker: Also mark the memo, for qbXML before 9.0 (see :mod:`mappers.identity`).

    Raises:
        MissingFieldError: No ``external_id``.
    """
    guid = _guid(scope, "invoice", invoice.external_id, "Invoice")
    return rq.InvoiceAdd(
        customer_ref=to_ref(invoice.customer),
        txn_date=invoice.txn_date,
        ref_number=invoice.number,
        terms_ref=_name_ref(invoice.terms),
        due_date=invoice.due_date,
        memo=_memo(invoice.memo, guid, memo_marker),
        external_guid=guid,
        lines=tuple(
            _line(rq.InvoiceLineAdd, line, service_date=line.service_date) for line in invoice.lines
        ),
    )


def invoice_mod(invoice: Invoice) -> rq.InvoiceMod:
    """``InvoiceMod``: header fields and the full set of lines.

    QuickBooks deletes the lines a modification leaves out; lines with a ``qb_line_id`` are
    edited in place, the others added (TxnLineID ``-1``).

    Raises:
        MissingFieldError: No ``qb_id`` or ``qb_version``.
    """
    return rq.InvoiceMod(
        txn_id=_require(invoice.qb_id, "Invoice", "qb_id", "only a pushed invoice changes"),
        edit_sequence=_require(
            invoice.qb_version, "Invoice", "qb_version", "QuickBooks wants the EditSequence"
        ),
        customer_ref=to_ref(invoice.customer),
        txn_date=invoice.txn_date,
        ref_number=invoice.number,
        terms_ref=_name_ref(invoice.terms),
        due_date=invoice.due_date,
        memo=invoice.memo,
        lines=tuple(
            _line(
                rq.InvoiceLineMod,
                line,
                txn_line_id=line.qb_line_id or "-1",
                service_date=line.service_date,
            )
            for line in invoice.lines
        ),
    )


def estimate_add(estimate: Estimate, *, scope: str, memo_marker: bool = False) -> rq.EstimateAdd:
    """``EstimateAdd`` (qbXML estimate lines have no service date; it is not sent).

    Raises:
        MissingFieldError: No ``external_id``, or no lines.
    """
    guid = _guid(scope, "estimate", estimate.external_id, "Estimate")
    return rq.EstimateAdd(
        customer_ref=to_ref(estimate.customer),
        txn_date=estimate.txn_date,
        ref_number=estimate.number,
        due_date=estimate.due_date,
        memo=_memo(estimate.memo, guid, memo_marker),
        is_active=estimate.is_active,
        external_guid=guid,
        lines=tuple(
            _line(rq.EstimateLineAdd, line) for line in _some_lines(estimate.lines, "Estimate")
        ),
    )


def credit_memo_add(
    credit_memo: CreditMemo, *, scope: str, memo_marker: bool = False
) -> rq.CreditMemoAdd:
    """``CreditMemoAdd``.

    Raises:
        MissingFieldError: No ``external_id``, or no lines.
    """
    guid = _guid(scope, "credit_memo", credit_memo.external_id, "CreditMemo")
    return rq.CreditMemoAdd(
        customer_ref=to_ref(credit_memo.customer),
        txn_date=credit_memo.txn_date,
        ref_number=credit_memo.number,
        memo=_memo(credit_memo.memo, guid, memo_marker),
        external_guid=guid,
        lines=tuple(
            _line(rq.CreditMemoLineAdd, line, service_date=line.service_date)
            for line in _some_lines(credit_memo.lines, "CreditMemo")
        ),
    )


def _applied(payment: Payment) -> tuple[rq.AppliedToTxnAdd, ...]:
    applied = []
    for index, application in enumerate(payment.applications):
        invoice = application.invoice
        if invoice is None or invoice.qb_id is None:
            raise MissingFieldError(
                "Payment",
                f"applications[{index}].invoice.qb_id",
                f"invoice {application.invoice_external_id or invoice} is not in QuickBooks yet",
            )
        applied.append(rq.AppliedToTxnAdd(txn_id=invoice.qb_id, payment_amount=application.amount))
    return tuple(applied)


def payment_add(payment: Payment, *, scope: str, memo_marker: bool = False) -> rq.ReceivePaymentAdd:
    """``ReceivePaymentAdd`` applied to its invoices, or unapplied (``IsAutoApply`` false).

    ``deposit_to`` ``None`` leaves QuickBooks' default (Undeposited Funds); ``reference``
    becomes RefNumber (20 characters at most, enforced by qbxml's build policy).

    Raises:
        MissingFieldError: No ``external_id``, or an application whose invoice has no
            ``qb_id`` yet (push the invoice first, or send the payment unapplied).
    """
    guid = _guid(scope, "payment", payment.external_id, "Payment")
    applied = _applied(payment)
    return rq.ReceivePaymentAdd(
        customer_ref=to_ref(payment.customer),
        txn_date=payment.date,
        ref_number=payment.reference,
        total_amount=payment.amount,
        payment_method_ref=_name_ref(payment.method),
        memo=_memo(payment.memo, guid, memo_marker),
        deposit_to_account_ref=_ref(payment.deposit_to),
        external_guid=guid,
        is_auto_apply=None if applied else False,
        applied_to=applied,
    )


def payment_reversal(payment: Payment) -> rq.TxnDel:
    """Reverse a payment that failed on the platform (bounced, charged back): delete it.

    Raises:
        MissingFieldError: No ``qb_id``.
    """
    qb_id = _require(payment.qb_id, "Payment", "qb_id", "only a pushed payment is reversed")
    return rq.TxnDel(txn_del_type="ReceivePayment", txn_id=qb_id)


def deposit_add(deposit: Deposit, *, scope: str, memo_marker: bool = False) -> rq.DepositAdd:
    """``DepositAdd`` moving its payments from Undeposited Funds to ``bank_account``.

    Raises:
        MissingFieldError: No ``external_id``, no bank account, no payments, or a payment
            without ``qb_id``.
    """
    guid = _guid(scope, "deposit", deposit.external_id, "Deposit")
    if deposit.bank_account is None:
        raise MissingFieldError("Deposit", "bank_account", "QuickBooks needs the account that "
                                "receives the deposit (the partner's deposit account)")
    if not deposit.payments:
        raise MissingFieldError("Deposit", "payments", "a deposit needs at least one payment")
    lines = []
    for index, deposited in enumerate(deposit.payments):
        qb_id = _require(
            deposited.payment.qb_id,
            "Deposit",
            f"payments[{index}].payment.qb_id",
            "only a payment already in QuickBooks can be deposited",
        )
        lines.append(rq.DepositLineAdd.payment(qb_id))
    return rq.DepositAdd(
        deposit_to_account_ref=to_ref(deposit.bank_account),
        txn_date=deposit.date,
        memo=_memo(deposit.memo, guid, memo_marker),
        external_guid=guid,
        lines=tuple(lines),
    )
