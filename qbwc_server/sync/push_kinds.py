"""What each push step sends per record kind, and when a record must wait for another.

Decisions (PRODUCT.md "Core sync behaviours"):

* **Customers**: an add carries a ``CustomerQuery`` by FullName in the same message, so a
  3100 "name already in use" links the record to the customer QuickBooks already has
  instead of creating a second one. Archive is ``CustomerMod`` with ``IsActive`` false and
  the current EditSequence.
* **References**: a customer is referred to by its ListID when we know it, else by name.
  A record whose customer (or invoice) is still on its way to QuickBooks waits; so does a
  record QuickBooks answers with 3140 about a customer (the pull brings it, or its push).
  A record waiting for one of ours follows it in the session that writes it; waiting is
  bounded (:data:`~qbwc_server.sync.retry.MAX_WAIT` from the first wait), then it fails.
* **Payments**: applied to the invoices' TxnIDs, found from the application itself or the
  invoice record (by external id, or by number). ReceivePaymentMod is not in our qbXML
  scope, so a payment cannot be applied after it is recorded: a payment whose invoice is
  known to be coming *waits* for it; a payment the platform sends without invoices is
  recorded unapplied (``IsAutoApply`` false) and stays a customer credit.
  ``DepositToAccountRef``: the record's own account, else the partner's payment account,
  else QuickBooks' default (Undeposited Funds). ``PaymentMethodRef``: the partner's
  mapping of the platform's method, else their default method, else none.
* **Mappings** (:class:`mappers.Mappings`) turn the platform's item, payment-method and
  tax codes into QuickBooks names when a payment or invoice becomes a request.
* **Deposits**: every payment must be synced first (deposits wait for them); the bank
  account is the record's, else the partner's deposit account; without one the deposit
  fails and says so.
* **Reversals** delete the payment (``TxnDel``). A payment inside a deposit we pushed is not
  deleted: the deposit already matches the bank, and QuickBooks would silently shrink it.
  The reversal fails with a message asking the partner to take the payment out of the
  deposit in QuickBooks (or record the chargeback there) and retry.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
from sqlalchemy import select

from mappers import Customer, Deposit, EntityRef, Invoice, Payment, PaymentApplication
from mappers import to_qbxml as build
from mappers.payments import DepositedPayment
from qbwc_server.store.models import SyncRecord
from qbwc_server.sync import records
from qbwc_server.sync.profile import pushes
from qbwc_server.sync.push import (
    LINKED,
    ON_THE_WAY,
    REVERSED,
    SYNCED,
    Done,
    Fail,
    Prepared,
    PushKind,
    Send,
    Wait,
    quickbooks_words,
    settle,
    take_qb_id,
)
from qbwc_server.sync.serialize import from_json
from qbwc_server.sync.step import StepContext, SyncProfile
from qbxml import Version
from qbxml.requests import CustomerQuery, InvoiceQuery, Request

#: ExternalGUID exists on customers from qbXML 8.0 and on transactions from 9.0.
GUID_ON_LISTS, GUID_ON_TXNS = Version(8, 0), Version(9, 0)


def _find(ctx: StepContext, kind: str, **where: Any) -> SyncRecord | None:
    query = select(SyncRecord).where(SyncRecord.company_id == ctx.company.id,
                                     SyncRecord.kind == kind, SyncRecord.is_deleted.is_(False))
    for column, value in where.items():
        query = query.where(getattr(SyncRecord, column) == value)
    return ctx.session.scalars(query.order_by(SyncRecord.id).limit(1)).first()


def resolve_customer(ctx: StepContext, ref: EntityRef) -> EntityRef | Wait:
    """The customer by ListID when known; a customer still on its way makes the caller wait."""
    if ref.qb_id:
        return ref
    row = _find(ctx, "customer", label=ref.name)
    if row is not None and row.qb_id:
        return EntityRef(qb_id=row.qb_id, name=ref.name)
    if row is not None and row.push_state in ON_THE_WAY and row.push_action == "add":
        return Wait(reason=f"customer {ref.name} is not in QuickBooks yet", on=row.id)
    return ref


def _customer_missing(ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
    """3140 about the customer: wait for it to be pulled or pushed; anything else fails."""
    words = quickbooks_words(rs)
    if rs.status_code == 3140 and "Customer" in (rs.status_message or ""):
        return Wait(reason=f"QuickBooks does not know the customer yet ({words})")
    return Fail(reason=words)


def _ids(rs: Any) -> tuple[str | None, str | None]:
    for record in rs.records:
        qb_id = getattr(record, "txn_id", None) or getattr(record, "list_id", None)
        if qb_id:
            return qb_id, getattr(record, "edit_sequence", None)
    return None, None


def _txn_add(ctx: StepContext, builder: Any, record: Any, refs: dict[str, Any]) -> Send:
    """An Add carrying the record's identity: ExternalGUID, or a memo marker before 9.0."""
    old = ctx.version < GUID_ON_TXNS
    request = builder(record, scope=ctx.company.file_id, memo_marker=old)
    guid = request.external_guid
    if old:
        request = attrs.evolve(request, external_guid=None)
    return Send(request=request, identity=str(guid), refs=refs)


class _Kind:
    kind = ""
    name = ""
    actions: tuple[str, ...] = ("add",)

    def applies(self, profile: SyncProfile) -> bool:
        return pushes(profile.directions, self.kind)

    def succeeded(self, ctx: StepContext, row: SyncRecord, rs: Any) -> str:
        qb_id, version = _ids(rs)
        row.qb_id, row.qb_version = qb_id or row.qb_id, version or row.qb_version
        return records.PUSHED

    def missing(self, ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
        return _customer_missing(ctx, row, rs)

    def refresh(self, row: SyncRecord) -> Request | None:
        return None

    def read(self, ret: Any) -> Any | None:
        return None

    def linked(self, ctx: StepContext, row: SyncRecord, lookup: Any) -> bool:
        return False


class CustomerKind(_Kind):
    kind = name = "customer"
    actions: tuple[str, ...] = ("add", "mod", "archive")

    def prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared:
        customer = from_json(Customer, json.loads(row.data))
        if row.push_action == "add" and not row.qb_id:
            request = build.customer_add(customer, scope=ctx.company.file_id)
            guid = request.external_guid
            if ctx.version < GUID_ON_LISTS:
                request = attrs.evolve(request, external_guid=None)  # the name is the identity
            return Send(request=request, identity=str(guid),
                        lookup=CustomerQuery(full_name=(customer.path or customer.name,)))
        if not row.qb_id or not row.qb_version:
            return Fail(reason="it is not in QuickBooks yet, so it cannot be changed")
        current = attrs.evolve(customer, qb_id=row.qb_id, qb_version=row.qb_version)
        if row.push_action == "archive":
            return Send(request=build.customer_archive(current))
        return Send(request=build.customer_mod(current))

    def succeeded(self, ctx: StepContext, row: SyncRecord, rs: Any) -> str:
        super().succeeded(ctx, row, rs)
        return "archived" if row.push_action == "archive" else records.PUSHED

    def missing(self, ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
        return Fail(reason=quickbooks_words(rs))

    def refresh(self, row: SyncRecord) -> Request | None:
        return CustomerQuery(list_id=(row.qb_id,)) if row.qb_id else None

    def read(self, ret: Any) -> Any | None:
        return Customer.from_qbxml(ret)

    def linked(self, ctx: StepContext, row: SyncRecord, lookup: Any) -> bool:
        found = [r for r in (lookup.records if lookup is not None else ()) if r.list_id]
        if not found:
            return False
        if not take_qb_id(ctx, row, found[0].list_id, found[0].edit_sequence):
            settle(ctx, row, Fail(reason=f"the name {found[0].full_name} belongs to a customer "
                                         "already linked to another platform customer"))
            return True
        return True


class InvoiceKind(_Kind):
    kind = name = "invoice"
    actions: tuple[str, ...] = ("add", "mod")

    def prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared:
        invoice = from_json(Invoice, json.loads(row.data))
        customer = resolve_customer(ctx, invoice.customer)
        if isinstance(customer, Wait):
            return customer
        invoice = attrs.evolve(invoice, customer=customer,
                               lines=ctx.profile.mappings.lines(invoice.lines))
        if row.push_action == "add" and not row.qb_id:
            return _txn_add(ctx, build.invoice_add, invoice,
                            {"customer": [customer.qb_id, customer.name]})
        if not row.qb_id or not row.qb_version:
            return Fail(reason="it is not in QuickBooks yet, so it cannot be changed")
        return Send(request=build.invoice_mod(
            attrs.evolve(invoice, qb_id=row.qb_id, qb_version=row.qb_version)))

    def refresh(self, row: SyncRecord) -> Request | None:
        # Lines and links too: the copy read is merged with the pending write, as pulled.
        return (InvoiceQuery(txn_id=(row.qb_id,), include_line_items=True,
                             include_linked_txns=True) if row.qb_id else None)

    def read(self, ret: Any) -> Any | None:
        return Invoice.from_qbxml(ret)


class PaymentKind(_Kind):
    kind = name = "payment"

    def prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared:
        payment = from_json(Payment, json.loads(row.data))
        customer = resolve_customer(ctx, payment.customer)
        if isinstance(customer, Wait):
            return customer
        applications = []
        for application in payment.applications:
            invoice = self._invoice(ctx, application)
            if not isinstance(invoice, EntityRef):
                return invoice
            applications.append(attrs.evolve(application, invoice=invoice))
        deposit_to = payment.deposit_to
        if deposit_to is None and ctx.profile.payment_account:
            deposit_to = EntityRef(name=ctx.profile.payment_account)
        payment = attrs.evolve(ctx.profile.mappings.payment(payment), customer=customer,
                               applications=tuple(applications), deposit_to=deposit_to)
        return _txn_add(ctx, build.payment_add, payment,
                        {"customer": [customer.qb_id, customer.name]})

    @staticmethod
    def _invoice(ctx: StepContext, application: PaymentApplication) -> EntityRef | Prepared:
        ref = application.invoice
        if ref is not None and ref.qb_id:
            return ref
        row = None
        if application.invoice_external_id:
            row = _find(ctx, "invoice", external_id=application.invoice_external_id)
        if row is None and ref is not None and ref.name:
            row = _find(ctx, "invoice", label=ref.name)
        which = application.invoice_external_id or (ref.name if ref else None)
        if row is not None and row.qb_id:
            return EntityRef(qb_id=row.qb_id, name=row.label)
        if row is not None and row.push_state == "failed":
            return Fail(reason=f"its invoice {which} could not be written to QuickBooks")
        on = row.id if row is not None and row.push_state in ON_THE_WAY else None
        return Wait(reason=f"invoice {which} is not in QuickBooks yet", on=on)

    def missing(self, ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
        if rs.status_code == 3120:
            return Fail(reason=f"an invoice it pays is not in QuickBooks "
                               f"({quickbooks_words(rs)})")
        return super().missing(ctx, row, rs)


class DepositKind(_Kind):
    kind = name = "deposit"

    def prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared:
        deposit = from_json(Deposit, json.loads(row.data))
        bank = deposit.bank_account
        if bank is None or not (bank.qb_id or bank.name):
            if not ctx.profile.deposit_account:
                return Fail(reason="no bank account is chosen for deposits; choose one in the "
                                   "sync settings, then retry")
            bank = EntityRef(name=ctx.profile.deposit_account)
        lines = []
        for deposited in deposit.payments:
            ref = deposited.payment
            if not ref.qb_id:
                found = _find(ctx, "payment", external_id=ref.name)
                if found is None or found.push_state == "failed":
                    return Fail(reason=f"its payment {ref.name} is not in QuickBooks and "
                                       "will not be (unknown or failed)")
                if found.push_state != SYNCED or not found.qb_id:
                    on = found.id if found.push_state in ON_THE_WAY else None
                    return Wait(reason=f"payment {ref.name} is not in QuickBooks yet", on=on)
                ref = EntityRef(qb_id=found.qb_id, name=ref.name)
            lines.append(DepositedPayment(payment=ref, amount=deposited.amount))
        deposit = attrs.evolve(deposit, bank_account=bank, payments=tuple(lines))
        return _txn_add(ctx, build.deposit_add, deposit, {"account": [bank.qb_id, bank.name]})

    def missing(self, ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
        return Fail(reason=quickbooks_words(rs))


class ReversalKind(_Kind):
    """A payment that failed on the platform (bounced, charged back) is deleted."""

    kind, name = "payment", "reversal"
    actions: tuple[str, ...] = ("delete",)

    def prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared:
        if not row.qb_id:
            row.is_deleted = True  # QuickBooks never had it: gone, as after a TxnDel
            return Done(change=REVERSED)
        deposit = self._deposit_holding(ctx, row)
        if deposit is not None:
            return Fail(reason=(
                f"payment {row.external_id} is part of deposit {deposit} in QuickBooks, which "
                "already matches the bank. Take the payment out of that deposit in QuickBooks "
                "(or record the chargeback there), then retry the reversal"))
        payment = from_json(Payment, json.loads(row.data))
        return Send(request=build.payment_reversal(attrs.evolve(payment, qb_id=row.qb_id)))

    @staticmethod
    def _deposit_holding(ctx: StepContext, row: SyncRecord) -> str | None:
        deposits = ctx.session.scalars(select(SyncRecord).where(
            SyncRecord.company_id == ctx.company.id, SyncRecord.kind == "deposit",
            SyncRecord.push_state == SYNCED, SyncRecord.is_deleted.is_(False)))
        for deposit in deposits:
            for line in json.loads(deposit.data).get("payments", []):
                ref = line.get("payment") or {}
                if ref.get("qb_id") == row.qb_id or ref.get("name") == row.external_id:
                    return deposit.external_id or deposit.qb_id
        return None

    def succeeded(self, ctx: StepContext, row: SyncRecord, rs: Any) -> str:
        row.is_deleted = True
        return REVERSED

    def missing(self, ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
        if rs.status_code == 3120:  # already gone from QuickBooks: the reversal is done
            row.is_deleted = True
            return Done(change=REVERSED)
        return Fail(reason=quickbooks_words(rs))


KINDS: tuple[PushKind, ...] = (CustomerKind(), InvoiceKind(), PaymentKind(), DepositKind(),
                               ReversalKind())
__all__ = ["KINDS", "LINKED", "resolve_customer"]
