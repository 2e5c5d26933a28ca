"""Deleting and voiding transactions, and custom fields (DataExt).

* TxnDel removes a transaction and remembers it for TxnDeletedQuery. Deleting a payment
  restores the balances of the invoices it paid and takes it out of its deposit; deleting an
  invoice or a credit memo frees the payments/credits applied to it (they become unused credit);
  deleting a deposit puts its payments back in Undeposited Funds.
* TxnVoid keeps the transaction with every amount zeroed and "VOID:" before its memo, and drops
  its links the same way.
* DataExtAdd needs a DataExtDef for the owner and name; a second value for the same object is
  3180 (consolibyte Integrator e3180).
"""

from __future__ import annotations

from datetime import datetime

from qbwc_server.simulator.company import errors
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.model import (
    ZERO,
    DataExt,
    DataExtDef,
    Deleted,
    Deposit,
    Payment,
    SalesTxn,
)

__all__ = ["add_data_ext", "add_data_ext_def", "delete_txn", "void_txn"]



def _find(books: Books, txn_type: str, txn_id: str) -> SalesTxn | Payment | Deposit:
    record: SalesTxn | Payment | Deposit | None
    if txn_type == "ReceivePayment":
        record = books.payments.get(txn_id)
    elif txn_type == "Deposit":
        record = books.deposits.get(txn_id)
    else:
        record = books.sales.get(txn_id)
        if record is not None and record.kind != txn_type:
            record = None
    if record is None:
        raise errors.not_found(txn_id)
    return record


def _release(books: Books, record: SalesTxn | Payment | Deposit, when: datetime) -> None:
    """Drop the links of a transaction being deleted or voided."""
    if isinstance(record, Payment):
        books.unindex_payment(record)
        for invoice_id in record.applied:
            books.touch(books.sales[invoice_id], when)
        record.applied = {}
        for invoice_id in list(books.credit_uses(record.txn_id)):
            _drop_credit(books, invoice_id, record.txn_id, when)
        if record.deposit_id and record.deposit_id in books.deposits:
            deposit = books.deposits[record.deposit_id]
            deposit.lines = [line for line in deposit.lines if line.payment_id != record.txn_id]
            books.touch(deposit, when)
        record.deposit_id = None
        books.index_payment(record)
    elif isinstance(record, Deposit):
        for line in record.lines:
            if line.payment_id and line.payment_id in books.payments:
                payment = books.payments[line.payment_id]
                payment.deposit_id = None
                books.touch(payment, when)
    else:
        for payment_id in list(books.payments_on(record.txn_id)):
            payment = books.payments[payment_id]
            books.unindex_payment(payment)
            payment.applied.pop(record.txn_id, None)
            books.index_payment(payment)
            books.touch(payment, when)
        for invoice_id in list(books.credit_uses(record.txn_id)):
            _drop_credit(books, invoice_id, record.txn_id, when)
        books.unindex_sales(record)
        record.credits = {}
        books.index_sales(record)


def _drop_credit(books: Books, invoice_id: str, credit_id: str, when: datetime) -> None:
    invoice = books.sales[invoice_id]
    books.unindex_sales(invoice)
    invoice.credits.pop(credit_id, None)
    books.index_sales(invoice)
    books.touch(invoice, when)


def delete_txn(books: Books, txn_type: str, txn_id: str, at: datetime | None = None) -> Deleted:
    """TxnDel."""
    record = _find(books, txn_type, txn_id)
    when = at or books.now()
    _release(books, record, when)
    if isinstance(record, Payment):
        books.unindex_payment(record)
        del books.payments[txn_id]
    elif isinstance(record, Deposit):
        del books.deposits[txn_id]
    else:
        books.unindex_sales(record)
        del books.sales[txn_id]
    books.data_exts[:] = [ext for ext in books.data_exts if ext.object_id != txn_id]
    deleted = Deleted(del_type=txn_type, object_id=txn_id, time_created=record.time_created,
                      time_deleted=when, name=getattr(record, "ref_number", None))
    books.deleted.append(deleted)
    return deleted


def void_txn(books: Books, txn_type: str, txn_id: str, at: datetime | None = None
             ) -> SalesTxn | Payment | Deposit:
    """TxnVoid: zero every amount, keep the transaction."""
    record = _find(books, txn_type, txn_id)
    when = at or books.now()
    _release(books, record, when)
    if isinstance(record, Payment):
        record.total = ZERO
    elif isinstance(record, Deposit):
        for deposit_line in record.lines:
            deposit_line.amount = ZERO
    else:
        for sale_line in record.lines:
            sale_line.amount = ZERO
            sale_line.quantity = None if sale_line.quantity is None else ZERO
    record.voided = True
    memo = record.memo or ""
    record.memo = memo if memo.startswith("VOID:") else f"VOID: {memo}".rstrip()
    books.touch(record, when)
    return record


def add_data_ext_def(books: Books, definition: DataExtDef) -> DataExtDef:
    """DataExtDefAdd: a name is defined once per owner (3100 otherwise)."""
    for existing in books.data_ext_defs:
        if (existing.owner_id, existing.name.lower()) == (definition.owner_id,
                                                          definition.name.lower()):
            raise errors.name_in_use(definition.name)
    if definition.owner_id == "0":
        definition.data_ext_id = len(books.data_ext_defs) + 1
    books.data_ext_defs.append(definition)
    return definition


def add_data_ext(books: Books, owner_id: str, name: str, object_id: str, value: str) -> DataExt:
    """DataExtAdd on an existing object (``"Company"`` for the company itself)."""
    definition = next((d for d in books.data_ext_defs
                       if d.owner_id == owner_id and d.name.lower() == name.lower()), None)
    if definition is None:
        raise errors.not_found(name)
    for existing in books.data_exts:
        if (existing.owner_id, existing.name.lower(), existing.object_id) == (
                owner_id, name.lower(), object_id):
            raise errors.duplicate_data_ext(name)
    ext = DataExt(owner_id=owner_id, name=definition.name,
                  data_ext_type=definition.data_ext_type, object_id=object_id, value=value)
    books.data_exts.append(ext)
    return ext


def set_company_data_ext(books: Books, owner_id: str, name: str, value: str) -> DataExt:
    """Stamp a company DataExt the way QBWC stamps FileID (replacing any previous value)."""
    books.data_exts[:] = [e for e in books.data_exts if not (
        e.object_id == "Company" and e.owner_id == owner_id and e.name == name)]
    ext = DataExt(owner_id=owner_id, name=name, data_ext_type="STR255TYPE",
                  object_id="Company", value=value)
    books.data_exts.append(ext)
    return ext



