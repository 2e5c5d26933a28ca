"""Direct edits and lookups: "the accountant changes things in QuickBooks", and final-state
assertions for tests. They use the same operations as the qbXML handlers (same rules, same
TimeModified/EditSequence bumps) but take names instead of Refs and skip the EditSequence
check, as a person at the keyboard would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from qbwc_server.simulator.company import lists, payments, removal, sales
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.model import Customer, Deposit, Item, Payment, SalesTxn

__all__ = ["Accountant", "LineInput"]

LineInput = tuple[str, Any, Any] | Mapping[str, Any]
"""``(item name, quantity, rate)`` or a mapping with item/desc/quantity/rate/amount."""


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class Accountant:
    """Helper methods mixed into :class:`SimulatedCompany`."""

    books: Books

    # ------------------------------------------------------------------ lookups
    def customer(self, full_name: str) -> Customer | None:
        """The customer or job with this FullName (``Parent:Job``), any case."""
        list_id = self.books.id_by_name("Customer", full_name)
        return self.books.customers.get(list_id) if list_id else None

    def customer_balance(self, full_name: str, *, total: bool = False) -> Decimal:
        customer = self._customer(full_name)
        if total:
            return self.books.customer_total_balance(customer.list_id)
        return self.books.customer_balance(customer.list_id)

    def invoice(self, ref_number: str) -> SalesTxn | None:
        return self._sale("Invoice", ref_number)

    def credit_memo(self, ref_number: str) -> SalesTxn | None:
        return self._sale("CreditMemo", ref_number)

    def invoice_balance(self, ref_number: str) -> Decimal:
        invoice = self.invoice(ref_number)
        if invoice is None:
            raise LookupError(ref_number)
        return self.books.balance_remaining(invoice)

    def payments_of(self, full_name: str) -> list[Payment]:
        """The customer's received payments, in entry order."""
        customer = self._customer(full_name)
        found = [self.books.payments[t] for t in self.books.txn_ids_of(customer.list_id)
                 if t in self.books.payments]
        return sorted(found, key=lambda p: p.txn_number)

    def unused_payment(self, payment: Payment | str) -> Decimal:
        record = self.books.payments[payment] if isinstance(payment, str) else payment
        return self.books.unused_payment(record)

    def account_balance(self, full_name: str) -> Decimal:
        list_id = self.books.id_by_name("Account", full_name)
        if list_id is None:
            raise LookupError(full_name)
        return self.books.account_balances()[list_id]

    def _customer(self, full_name: str) -> Customer:
        found = self.customer(full_name)
        if found is None:
            raise LookupError(full_name)
        return found

    def _sale(self, kind: str, ref_number: str) -> SalesTxn | None:
        return next((s for s in self.books.sales.values()
                     if s.kind == kind and s.ref_number == ref_number), None)

    def _invoice(self, ref_number: str) -> SalesTxn:
        found = self.invoice(ref_number)
        if found is None:
            raise LookupError(ref_number)
        return found

    # ------------------------------------------------------------------ customers
    def add_customer(self, name: str, *, parent: str | None = None, is_active: bool = True,
                     **fields: Any) -> Customer:
        """Add a customer (or a job under ``parent``); ``fields`` are Ret element names
        (``Email="a@b.c"``, ``BillAddress={"Addr1": ...}``)."""
        parent_id = self._customer(parent).list_id if parent else None
        guid = fields.pop("ExternalGUID", None)
        return lists.add_customer(self.books, name, parent_id=parent_id, is_active=is_active,
                                  external_guid=guid, extra=fields)

    def modify_customer(self, full_name: str, *, name: str | None = None,
                        is_active: bool | None = None, **fields: Any) -> Customer:
        customer = self._customer(full_name)
        return lists.mod_customer(self.books, customer.list_id, None, name=name,
                                  is_active=is_active, extra=fields)

    def archive_customer(self, full_name: str) -> Customer:
        """Make the customer (and its jobs) inactive."""
        return self.modify_customer(full_name, is_active=False)

    def delete_customer(self, full_name: str) -> None:
        lists.delete_list_element(self.books, "Customer", self._customer(full_name).list_id)

    # ------------------------------------------------------------------ odd data
    def report_time_modified(self, object_id: str, text: str) -> None:
        """From now on QuickBooks reports ``text`` as the object's TimeModified, as a damaged
        or old company file can: no UTC offset, ``0001-01-01T00:00:00``, a far-future date."""
        self.books.reported_times[object_id] = text

    # ------------------------------------------------------------------ items
    def add_item(self, name: str, kind: str = "ItemServiceRet", **fields: Any) -> Item:
        """Add an item of any kind (``kind`` is its Ret tag, e.g. ``ItemFixedAssetRet``)."""
        return lists.add_item(self.books, name, kind, **fields)

    def delete_item(self, name: str) -> None:
        """Delete an unused item; ListDeletedQuery reports it under its own ListDelType."""
        list_id = self.books.id_by_name("Item", name)
        if list_id is None:
            raise LookupError(name)
        kind = self.books.items[list_id].kind.removesuffix("Ret")
        lists.delete_list_element(self.books, kind, list_id)

    # ------------------------------------------------------------------ sales
    def _lines(self, lines: Iterable[LineInput]) -> list[sales.LineSpec]:
        specs = []
        for line in lines:
            data = (dict(line) if isinstance(line, Mapping)
                    else {"item": line[0], "quantity": line[1], "rate": line[2]})
            item = data.get("item")
            specs.append(sales.LineSpec(
                item_id=self.books.resolve("Item", None, item, "Invoice line") if item else None,
                desc=data.get("desc"), quantity=_money(data.get("quantity")),
                rate=_money(data.get("rate")), amount=_money(data.get("amount"))))
        return specs

    def add_invoice(self, customer: str, lines: Iterable[LineInput], *,
                    ref_number: str | None = None, txn_date: date | None = None,
                    memo: str | None = None, terms: str | None = None) -> SalesTxn:
        terms_id = self.books.resolve("Terms", None, terms, "Invoice") if terms else None
        return sales.add_sales_txn(self.books, "Invoice", self._customer(customer).list_id,
                                   self._lines(lines), ref_number=ref_number, txn_date=txn_date,
                                   memo=memo, terms_id=terms_id)

    def add_credit_memo(self, customer: str, lines: Iterable[LineInput], *,
                        ref_number: str | None = None, txn_date: date | None = None,
                        memo: str | None = None) -> SalesTxn:
        return sales.add_sales_txn(self.books, "CreditMemo", self._customer(customer).list_id,
                                   self._lines(lines), ref_number=ref_number, txn_date=txn_date,
                                   memo=memo)

    def modify_invoice(self, ref_number: str, *, lines: Iterable[LineInput] | None = None,
                       memo: str | None = None, txn_date: date | None = None) -> SalesTxn:
        """Change an invoice; ``lines`` replaces all its lines."""
        invoice = self._invoice(ref_number)
        return sales.mod_invoice(self.books, invoice.txn_id, None,
                                 lines=self._lines(lines) if lines is not None else None,
                                 memo=memo, txn_date=txn_date)

    def apply_credit(self, ref_number: str, credit_txn_id: str, amount: Any) -> SalesTxn:
        invoice = self._invoice(ref_number)
        sales.apply_credit(self.books, invoice, credit_txn_id, Decimal(str(amount)))
        self.books.touch(invoice)
        return invoice

    def delete_invoice(self, ref_number: str) -> None:
        removal.delete_txn(self.books, "Invoice", self._invoice(ref_number).txn_id)

    def void_invoice(self, ref_number: str) -> SalesTxn:
        record = removal.void_txn(self.books, "Invoice", self._invoice(ref_number).txn_id)
        assert isinstance(record, SalesTxn)
        return record

    # ------------------------------------------------------------------ money
    def receive_payment(self, customer: str, amount: Any, *,
                        apply_to: Mapping[str, Any] | None = None, auto_apply: bool = False,
                        txn_date: date | None = None, ref_number: str | None = None,
                        method: str | None = None, deposit_to: str | None = None,
                        memo: str | None = None) -> Payment:
        """Receive a payment; ``apply_to`` maps invoice RefNumber -> amount."""
        applications = [(self._invoice(ref).txn_id, Decimal(str(value)))
                        for ref, value in (apply_to or {}).items()]
        books = self.books
        return payments.receive_payment(
            books, self._customer(customer).list_id, total=Decimal(str(amount)),
            applications=applications, auto_apply=auto_apply, txn_date=txn_date,
            ref_number=ref_number, memo=memo,
            method_id=books.resolve("PaymentMethod", None, method, "ReceivePayment")
            if method else None,
            deposit_to_id=books.resolve("Account", None, deposit_to, "ReceivePayment")
            if deposit_to else None)

    def delete_payment(self, txn_id: str) -> None:
        removal.delete_txn(self.books, "ReceivePayment", txn_id)

    def void_payment(self, txn_id: str) -> Payment:
        record = removal.void_txn(self.books, "ReceivePayment", txn_id)
        assert isinstance(record, Payment)
        return record

    def deposit(self, account: str, payment_ids: Iterable[str], *,
                txn_date: date | None = None, memo: str | None = None) -> Deposit:
        """Deposit payments from Undeposited Funds into ``account``."""
        account_id = self.books.resolve("Account", None, account, "Deposit")
        specs = [payments.DepositLineSpec(payment_id=p) for p in payment_ids]
        return payments.add_deposit(self.books, account_id, specs, txn_date=txn_date, memo=memo)
