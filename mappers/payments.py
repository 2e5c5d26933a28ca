"""Received payments, how they are applied to invoices, and deposits that bank them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from mappers.common import EntityRef, aware, modified_time
from mappers.identity import recover_external_id
from mappers.money import money_validator, require_money
from qbxml.responses import AppliedToTxnRet, DepositLineRet, DepositRet, ReceivePaymentRet

__all__ = ["Deposit", "DepositedPayment", "Payment", "PaymentApplication"]


def _money(instance: object, attribute: Any, value: Decimal) -> None:
    require_money(value, f"{type(instance).__name__}.amount")


def _some_invoice(instance: PaymentApplication, attribute: Any, value: object) -> None:
    if instance.invoice is None and instance.invoice_external_id is None:
        raise ValueError("a PaymentApplication needs invoice or invoice_external_id")


@frozen(kw_only=True)
class PaymentApplication:
    """Part of a payment applied to one invoice (QBO: a ``Line`` with a ``LinkedTxn``).

    ``invoice`` points at the invoice in QuickBooks (``qb_id``; ``name`` is its number);
    ``invoice_external_id`` at the platform's invoice. A push needs ``invoice.qb_id``.
    """

    amount: Decimal = field(validator=_money)
    invoice: EntityRef | None = None
    invoice_external_id: str | None = field(default=None, validator=_some_invoice)

    @classmethod
    def from_qbxml(cls, ret: AppliedToTxnRet) -> PaymentApplication:
        """Read an ``AppliedToTxnRet``."""
        return cls(
            invoice=EntityRef(qb_id=ret.txn_id, name=ret.ref_number),
            amount=ret.amount if ret.amount is not None else Decimal("0.00"),
        )


@frozen(kw_only=True)
class Payment:
    """A payment received from a customer (QBD ReceivePayment, QBO ``Payment``).

    Attributes:
        amount: The whole payment (QBO ``TotalAmt``).
        method: Payment method name (``Check``, ``Visa``...), if any.
        reference: The payment's reference (check number, processor id): RefNumber, at most
            20 characters in QuickBooks Desktop.
        applications: The invoices it pays; empty means unapplied (a customer credit).
        deposit_to: Where the money went; ``None`` means QuickBooks' default, Undeposited
            Funds, from where a :class:`Deposit` moves it to the bank.
        unapplied_amount: The part not applied to any invoice (QBO ``UnappliedAmt``).
    """

    customer: EntityRef
    amount: Decimal = field(validator=_money)
    external_id: str | None = None
    qb_id: str | None = None
    qb_version: str | None = None
    date: dt.date | None = None
    method: str | None = None
    reference: str | None = None
    memo: str | None = None
    applications: tuple[PaymentApplication, ...] = ()
    deposit_to: EntityRef | None = None
    unapplied_amount: Decimal | None = field(default=None, validator=money_validator)
    updated_at: dt.datetime | None = field(default=None, validator=aware)
    updated_at_text: str | None = None

    @classmethod
    def from_qbxml(
        cls, ret: ReceivePaymentRet, *, known: Mapping[str, str] | None = None
    ) -> Payment:
        """Read a ``ReceivePaymentRet``."""
        updated_at, updated_at_text = modified_time(ret.time_modified)
        customer = EntityRef.from_qbxml(ret.customer_ref)
        return cls(
            external_id=recover_external_id(known, ret.external_guid, ret.memo),
            qb_id=ret.txn_id,
            qb_version=ret.edit_sequence,
            customer=customer if customer is not None else EntityRef(name=""),
            amount=ret.total_amount if ret.total_amount is not None else Decimal("0.00"),
            date=ret.txn_date,
            method=ret.payment_method_ref.full_name if ret.payment_method_ref else None,
            reference=ret.ref_number,
            memo=ret.memo,
            applications=tuple(PaymentApplication.from_qbxml(a) for a in ret.applied_to_txns),
            deposit_to=EntityRef.from_qbxml(ret.deposit_to_account_ref),
            unapplied_amount=ret.unused_payment,
            updated_at=updated_at,
            updated_at_text=updated_at_text,
        )


@frozen(kw_only=True)
class DepositedPayment:
    """A payment moved from Undeposited Funds into a deposit, and its amount if known."""

    payment: EntityRef
    amount: Decimal | None = field(default=None, validator=money_validator)

    @classmethod
    def from_qbxml(cls, ret: DepositLineRet) -> DepositedPayment:
        """Read a ``DepositLineRet`` that deposits a payment (it has a ``TxnID``)."""
        return cls(payment=EntityRef(qb_id=ret.txn_id), amount=ret.amount)


@frozen(kw_only=True)
class Deposit:
    """A bank deposit grouping payments (a payout), QBD Deposit / QBO ``Deposit``.

    Lines that deposit something other than a payment (direct amounts) are not mapped;
    ``total`` is QuickBooks' deposit total, theirs included. ``bank_account`` ``None`` (or
    an empty reference) leaves the account to the partner's chosen deposit account.
    """

    bank_account: EntityRef | None = None
    external_id: str | None = None
    qb_id: str | None = None
    qb_version: str | None = None
    date: dt.date | None = None
    payments: tuple[DepositedPayment, ...] = ()
    memo: str | None = None
    total: Decimal | None = field(default=None, validator=money_validator)
    updated_at: dt.datetime | None = field(default=None, validator=aware)
    updated_at_text: str | None = None

    @classmethod
    def from_qbxml(cls, ret: DepositRet, *, known: Mapping[str, str] | None = None) -> Deposit:
        """Read a ``DepositRet``."""
        updated_at, updated_at_text = modified_time(ret.time_modified)
        account = EntityRef.from_qbxml(ret.deposit_to_account_ref)
        return cls(
            external_id=recover_external_id(known, ret.external_guid, ret.memo),
            qb_id=ret.txn_id,
            qb_version=ret.edit_sequence,
            bank_account=account if account is not None else EntityRef(name=""),
            date=ret.txn_date,
            payments=tuple(DepositedPayment.from_qbxml(line) for line in ret.lines if line.txn_id),
            memo=ret.memo,
            total=ret.deposit_total,
            updated_at=updated_at,
            updated_at_text=updated_at_text,
        )
