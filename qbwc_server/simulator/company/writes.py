"""Add/Mod request handlers for customers and sales transactions (qbXML -> operations).

Payments, deposits, deletes, voids and custom fields are in :mod:`.writes_money`.
A Ref naming a customer, item or account that does not exist is 3140; terms, payment methods,
sales-tax codes and templates are checked the same way; other Refs (classes, sales reps,
ship methods...) are lists this company does not keep and are echoed as sent.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from qbwc_server.simulator.company import errors, lists, sales, xmlin
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.errors import StatusError
from qbwc_server.simulator.company.render import build, ret_for
from qbwc_server.simulator.company.rs import Context, rs

__all__ = ["customer_add", "customer_mod", "invoice_mod", "sales_add"]

REF_KINDS = {
    "TermsRef": "Terms", "SalesTaxCodeRef": "SalesTaxCode",
    "CustomerSalesTaxCodeRef": "SalesTaxCode", "PreferredPaymentMethodRef": "PaymentMethod",
    "PaymentMethodRef": "PaymentMethod", "ItemSalesTaxRef": "Item", "TemplateRef": "Template",
    "ItemRef": "Item", "CustomerRef": "Customer", "ParentRef": "Customer",
    "ARAccountRef": "Account", "DepositToAccountRef": "Account", "AccountRef": "Account",
    "EntityRef": "Customer", "OverrideItemAccountRef": "Account", "DiscountAccountRef": "Account",
}


def resolve_ref(books: Books, element: etree._Element, name: str, where: str) -> str | None:
    """ListID of the Ref child ``name`` (3140 if it names nothing), None when absent."""
    found = xmlin.ref(element, name)
    if found is None:
        return None
    return books.resolve(REF_KINDS[name], found[0], found[1], where)


def stored_fields(books: Books, element: etree._Element, handled: set[str], where: str
                  ) -> dict[str, Any]:
    """Children kept to be echoed back: checked Refs become ``{ListID, FullName}``."""
    kept: dict[str, Any] = {}
    for sub in element:
        if sub.tag in handled:
            continue
        if sub.tag in REF_KINDS:
            list_id = resolve_ref(books, element, sub.tag, where)
            value: Any = {"ListID": list_id, "FullName": books.full_name(list_id or "")}
        else:
            value = xmlin.raw(sub)
        xmlin.put(kept, sub.tag, value)
    return kept


def error_recovery(books: Books, id_tag: str, object_id: str, edit_sequence: str,
                   external_guid: str | None) -> etree._Element | None:
    """ErrorRecovery (v11.0) for an Add that carried an ExternalGUID (unconfirmed trigger)."""
    if not external_guid:
        return None
    return build("ErrorRecovery", "ErrorRecovery", {
        id_tag: object_id, "EditSequence": edit_sequence, "ExternalGUID": external_guid,
    }, books.zone)


def _answer(ctx: Context, rq: etree._Element, record: Any, guid: str | None = None
            ) -> etree._Element:
    answer = rs(rq)
    answer.append(ret_for(ctx.books, record, lines=True, links=False,
                          only=xmlin.texts(rq, "IncludeRetElement") or None))
    id_tag = "ListID" if hasattr(record, "list_id") else "TxnID"
    object_id = getattr(record, "list_id", None) or record.txn_id
    recovery = error_recovery(ctx.books, id_tag, object_id, record.edit_sequence, guid)
    if recovery is not None:
        answer.append(recovery)
    return answer


_CUSTOMER_OWN = {"Name", "IsActive", "ParentRef", "JobStatus", "ExternalGUID", "ListID",
                 "EditSequence", "OpenBalance", "OpenBalanceDate"}


def customer_add(ctx: Context, rq: etree._Element) -> etree._Element:
    books = ctx.books
    body = rq[0]
    parent_id = resolve_ref(books, body, "ParentRef", "Customer")
    guid = xmlin.text(body, "ExternalGUID")
    customer = lists.add_customer(
        books, xmlin.text(body, "Name") or "", parent_id=parent_id,
        is_active=xmlin.boolean(body, "IsActive") is not False,
        job_status=xmlin.text(body, "JobStatus"), external_guid=guid,
        extra=stored_fields(books, body, _CUSTOMER_OWN, "Customer"))
    opening = xmlin.money(body, "OpenBalance")
    if opening:  # QuickBooks books an opening balance as an invoice against the customer
        sales.add_sales_txn(books, "Invoice", customer.list_id,
                            [sales.LineSpec(amount=opening, desc="Opening balance")],
                            txn_date=xmlin.day(body, "OpenBalanceDate"))
    return _answer(ctx, rq, customer, guid)


def customer_mod(ctx: Context, rq: etree._Element) -> etree._Element:
    books = ctx.books
    body = rq[0]
    list_id = xmlin.text(body, "ListID") or ""
    if list_id not in books.customers:
        raise errors.not_found(list_id)
    parent: Any = lists.UNSET
    if xmlin.child(body, "ParentRef") is not None:
        parent = resolve_ref(books, body, "ParentRef", "Customer")
    customer = lists.mod_customer(
        books, list_id, xmlin.text(body, "EditSequence") or "", name=xmlin.text(body, "Name"),
        parent_id=parent, is_active=xmlin.boolean(body, "IsActive"),
        job_status=xmlin.text(body, "JobStatus"),
        extra=stored_fields(books, body, _CUSTOMER_OWN, "Customer"))
    return _answer(ctx, rq, customer)


def read_lines(books: Books, body: etree._Element, tag: str, where: str
               ) -> list[sales.LineSpec]:
    specs = []
    for line in xmlin.children(body, tag):
        specs.append(sales.LineSpec(
            txn_line_id=xmlin.text(line, "TxnLineID"),
            item_id=resolve_ref(books, line, "ItemRef", where),
            desc=xmlin.text(line, "Desc"), quantity=xmlin.money(line, "Quantity"),
            rate=xmlin.money(line, "Rate"), rate_percent=xmlin.money(line, "RatePercent"),
            amount=xmlin.money(line, "Amount"), service_date=xmlin.day(line, "ServiceDate"),
            extra=stored_fields(books, line, _LINE_OWN, where),
        ))
    return specs


_LINE_OWN = {"TxnLineID", "ItemRef", "Desc", "Quantity", "Rate", "RatePercent", "Amount",
             "ServiceDate", "PriceLevelRef", "OverrideItemAccountRef", "DataExt",
             "OptionForPriceRuleConflict", "LinkToTxn"}
_SALES_OWN = {"CustomerRef", "ARAccountRef", "TemplateRef", "TxnDate", "RefNumber", "TermsRef",
              "DueDate", "Memo", "IsPending", "IsActive", "ExternalGUID", "LinkToTxnID",
              "SetCredit", "TxnID", "EditSequence", "ExchangeRate"}


def _credits(body: etree._Element) -> list[tuple[str, Any]]:
    return [(xmlin.text(credit, "CreditTxnID") or "", xmlin.money(credit, "AppliedAmount"))
            for credit in xmlin.children(body, "SetCredit")]


def _header(books: Books, body: etree._Element, where: str) -> dict[str, Any]:
    return {
        "txn_date": xmlin.day(body, "TxnDate"), "ref_number": xmlin.text(body, "RefNumber"),
        "ar_account_id": resolve_ref(books, body, "ARAccountRef", where),
        "template_id": resolve_ref(books, body, "TemplateRef", where),
        "terms_id": resolve_ref(books, body, "TermsRef", where),
        "due_date": xmlin.day(body, "DueDate"), "memo": xmlin.text(body, "Memo"),
        "is_pending": xmlin.boolean(body, "IsPending"),
    }


def sales_add(ctx: Context, rq: etree._Element) -> etree._Element:
    """InvoiceAdd, CreditMemoAdd, EstimateAdd."""
    books = ctx.books
    body = rq[0]
    kind = str(body.tag)[:-3]
    if xmlin.children(body, f"{kind}LineGroupAdd"):
        raise StatusError(3250, "This feature is not supported by the simulated company: "
                          "line groups.")
    customer_id = resolve_ref(books, body, "CustomerRef", kind) or ""
    header = _header(books, body, kind)
    lines = read_lines(books, body, f"{kind}LineAdd", f"{kind} line")
    guid = xmlin.text(body, "ExternalGUID")
    header["is_pending"] = bool(header["is_pending"])
    txn = sales.add_sales_txn(
        books, kind, customer_id, lines, **header,
        is_active=xmlin.boolean(body, "IsActive") is not False, external_guid=guid,
        extra=stored_fields(books, body, _SALES_OWN | {f"{kind}LineAdd"}, kind),
        credits=[(c, a) for c, a in _credits(body) if a is not None])
    return _answer(ctx, rq, txn, guid)


def invoice_mod(ctx: Context, rq: etree._Element) -> etree._Element:
    books = ctx.books
    body = rq[0]
    txn_id = xmlin.text(body, "TxnID") or ""
    if txn_id not in books.sales:
        raise errors.not_found(txn_id)
    line_specs = read_lines(books, body, "InvoiceLineMod", "Invoice line")
    invoice = sales.mod_invoice(
        books, txn_id, xmlin.text(body, "EditSequence") or "",
        customer_id=resolve_ref(books, body, "CustomerRef", "Invoice"),
        lines=line_specs or None, credits=[(c, a) for c, a in _credits(body) if a is not None],
        extra=stored_fields(books, body, _SALES_OWN | {"InvoiceLineMod"}, "Invoice"),
        **_header(books, body, "Invoice"))
    return _answer(ctx, rq, invoice)
