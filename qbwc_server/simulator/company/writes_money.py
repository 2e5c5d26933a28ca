"""Handlers for payments, deposits, deletes, voids and custom fields (qbXML -> operations)."""

from __future__ import annotations

from lxml import etree

from qbwc_server.simulator.company import errors, lists, payments, removal, sales, xmlin
from qbwc_server.simulator.company.model import ZERO, DataExtDef
from qbwc_server.simulator.company.render import build
from qbwc_server.simulator.company.rs import Context, rs
from qbwc_server.simulator.company.writes import _answer, resolve_ref, stored_fields

__all__ = ["data_ext_add", "data_ext_def_add", "deposit_add", "list_del", "payment_add",
           "txn_del", "txn_void"]

_PAYMENT_OWN = {"CustomerRef", "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount",
                "PaymentMethodRef", "Memo", "DepositToAccountRef", "ExternalGUID", "IsAutoApply",
                "AppliedToTxnAdd", "ExchangeRate", "CreditCardTxnInfo"}


def payment_add(ctx: Context, rq: etree._Element) -> etree._Element:
    """ReceivePaymentAdd (credits in AppliedToTxnAdd/SetCredit are applied first)."""
    books = ctx.books
    body = rq[0]
    where = "ReceivePayment"
    customer_id = resolve_ref(books, body, "CustomerRef", where) or ""
    deposit_to = resolve_ref(books, body, "DepositToAccountRef", where)
    ar_account = resolve_ref(books, body, "ARAccountRef", where)
    method = resolve_ref(books, body, "PaymentMethodRef", where)
    applications = []
    credits: list[tuple[str, str, object]] = []
    for applied in xmlin.children(body, "AppliedToTxnAdd"):
        txn_id = xmlin.text(applied, "TxnID") or ""
        applications.append((txn_id, xmlin.money(applied, "PaymentAmount") or ZERO))
        for credit in xmlin.children(applied, "SetCredit"):
            credits.append((txn_id, xmlin.text(credit, "CreditTxnID") or "",
                            xmlin.money(credit, "AppliedAmount") or ZERO))
    done: list[tuple[str, str]] = []
    try:
        for invoice_id, credit_id, amount in credits:
            invoice = books.sales.get(invoice_id)
            if invoice is None:
                raise errors.not_found(invoice_id)
            sales.apply_credit(books, invoice, credit_id, amount)  # type: ignore[arg-type]
            done.append((invoice_id, credit_id))
        applications = [(i, a) for i, a in applications if a > 0]
        guid = xmlin.text(body, "ExternalGUID")
        payment = payments.receive_payment(
            books, customer_id, total=xmlin.money(body, "TotalAmount"),
            applications=applications, auto_apply=xmlin.boolean(body, "IsAutoApply") is True,
            txn_date=xmlin.day(body, "TxnDate"), ref_number=xmlin.text(body, "RefNumber"),
            method_id=method, memo=xmlin.text(body, "Memo"), deposit_to_id=deposit_to,
            ar_account_id=ar_account, external_guid=guid,
            extra=stored_fields(books, body, _PAYMENT_OWN, where))
    except errors.StatusError:
        for invoice_id, credit_id in done:
            invoice = books.sales[invoice_id]
            books.unindex_sales(invoice)
            invoice.credits.pop(credit_id, None)
            books.index_sales(invoice)
        raise
    return _answer(ctx, rq, payment, guid)


def deposit_add(ctx: Context, rq: etree._Element) -> etree._Element:
    books = ctx.books
    body = rq[0]
    account_id = resolve_ref(books, body, "DepositToAccountRef", "Deposit") or ""
    specs = []
    for line in xmlin.children(body, "DepositLineAdd"):
        specs.append(payments.DepositLineSpec(
            payment_id=xmlin.text(line, "PaymentTxnID"),
            entity_id=resolve_ref(books, line, "EntityRef", "Deposit line"),
            account_id=resolve_ref(books, line, "AccountRef", "Deposit line"),
            memo=xmlin.text(line, "Memo") or xmlin.text(line, "OverrideMemo"),
            check_number=xmlin.text(line, "CheckNumber"),
            method_id=resolve_ref(books, line, "PaymentMethodRef", "Deposit line"),
            amount=xmlin.money(line, "Amount")))
    guid = xmlin.text(body, "ExternalGUID")
    deposit = payments.add_deposit(books, account_id, specs, txn_date=xmlin.day(body, "TxnDate"),
                                   memo=xmlin.text(body, "Memo"), external_guid=guid)
    return _answer(ctx, rq, deposit, guid)


def _flat_rs(ctx: Context, rq: etree._Element, values: dict[str, object]) -> etree._Element:
    """An Rs whose result fields sit directly in it (TxnDelRs, ListDelRs, TxnVoidRs)."""
    answer = rs(rq)
    tag = str(answer.tag)
    answer.extend(list(build(tag, tag, values, ctx.books.zone)))
    return answer


def txn_del(ctx: Context, rq: etree._Element) -> etree._Element:
    txn_type = xmlin.text(rq, "TxnDelType") or ""
    deleted = removal.delete_txn(ctx.books, txn_type, xmlin.text(rq, "TxnID") or "")
    return _flat_rs(ctx, rq, {"TxnDelType": txn_type, "TxnID": deleted.object_id,
                              "TimeDeleted": deleted.time_deleted, "RefNumber": deleted.name})


def list_del(ctx: Context, rq: etree._Element) -> etree._Element:
    del_type = xmlin.text(rq, "ListDelType") or ""
    deleted = lists.delete_list_element(ctx.books, del_type, xmlin.text(rq, "ListID") or "")
    return _flat_rs(ctx, rq, {"ListDelType": del_type, "ListID": deleted.object_id,
                              "TimeDeleted": deleted.time_deleted, "FullName": deleted.name})


def txn_void(ctx: Context, rq: etree._Element) -> etree._Element:
    void_type = xmlin.text(rq, "TxnVoidType") or ""
    record = removal.void_txn(ctx.books, void_type, xmlin.text(rq, "TxnID") or "")
    return _flat_rs(ctx, rq, {"TxnVoidType": void_type, "TxnID": record.txn_id,
                              "TimeCreated": record.time_created,
                              "TimeModified": record.time_modified,
                              "RefNumber": getattr(record, "ref_number", None)})


def data_ext_def_add(ctx: Context, rq: etree._Element) -> etree._Element:
    body = rq[0]
    definition = removal.add_data_ext_def(ctx.books, DataExtDef(
        owner_id=xmlin.text(body, "OwnerID") or "0", name=xmlin.text(body, "DataExtName") or "",
        data_ext_type=xmlin.text(body, "DataExtType") or "STR255TYPE",
        assign_to=xmlin.texts(body, "AssignToObject")))
    answer = rs(rq)
    answer.append(build("DataExtDefRet", "DataExtDefRet", {
        "OwnerID": definition.owner_id, "DataExtID": definition.data_ext_id,
        "DataExtName": definition.name, "DataExtType": definition.data_ext_type,
        "AssignToObject": list(definition.assign_to)}))
    return answer


def data_ext_add(ctx: Context, rq: etree._Element) -> etree._Element:
    books = ctx.books
    body = rq[0]
    if xmlin.text(body, "ListDataExtType"):
        list_ref = xmlin.ref(body, "ListObjRef") or (None, None)
        kind = xmlin.text(body, "ListDataExtType") or ""
        kind = "Item" if kind.startswith("Item") else kind
        object_id = books.resolve(kind, list_ref[0], list_ref[1], "DataExt")
    elif xmlin.text(body, "TxnDataExtType"):
        object_id = xmlin.text(body, "TxnID") or ""
        books.txn(object_id)
    else:
        object_id = "Company"
    ext = removal.add_data_ext(books, xmlin.text(body, "OwnerID") or "0",
                               xmlin.text(body, "DataExtName") or "", object_id,
                               xmlin.text(body, "DataExtValue") or "")
    answer = rs(rq)
    answer.append(build("DataExtRet", "DataExtRet", {
        "OwnerID": ext.owner_id, "DataExtName": ext.name, "DataExtType": ext.data_ext_type,
        "DataExtValue": ext.value}))
    return answer
