"""A company described by a hand-written JSON fixture.

Format (every section optional; names are FullNames, money is a string or number)::

    {"company_name": "Acme Books",
     "accounts": [{"name": "Petty Cash", "type": "Bank", "balance": "100.00"}],
     "items": [{"name": "Widget", "kind": "ItemNonInventoryRet", "price": "9.50",
                "account": "Sales"}],
     "customers": [{"name": "Acme", "is_active": true, "fields": {"Email": "a@acme.test"},
                    "jobs": [{"name": "Remodel"}]}],
     "invoices": [{"customer": "Acme:Remodel", "ref_number": "1001", "txn_date": "2025-01-05",
                   "lines": [{"item": "Consulting", "quantity": 2, "rate": "150"}]}],
     "credit_memos": [... same as invoices ...],
     "payments": [{"customer": "Acme:Remodel", "amount": "100", "txn_date": "2025-01-20",
                   "apply_to": {"1001": "100"}, "auto_apply": false, "deposit_to": null}],
     "deposits": [{"account": "Checking", "payments": [0]}]}

``deposits[].payments`` are indexes into ``payments``. The standard chart is always created.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from qbwc_server.simulator.company import lists

__all__ = ["build_from_fixture"]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def build_from_fixture(cls: Any, data: dict[str, Any], **options: Any) -> Any:
    if "company_name" in data:
        options.setdefault("company_name", data["company_name"])
    company = cls(**options)
    books = company.books
    for account in data.get("accounts", []):
        lists.add_account(books, account["name"], account["type"],
                          number=account.get("number"), desc=account.get("desc"),
                          opening=Decimal(str(account.get("balance", "0.00"))))
    for item in data.get("items", []):
        price = item.get("price")
        lists.add_item(books, item["name"], item.get("kind", "ItemServiceRet"),
                       desc=item.get("desc"), price=Decimal(str(price)) if price else None,
                       account=item.get("account"))
    for customer in data.get("customers", []):
        _customer(company, customer, None)
    for key, method in (("invoices", company.add_invoice),
                        ("credit_memos", company.add_credit_memo)):
        for sale in data.get(key, []):
            method(sale["customer"], sale.get("lines", []), ref_number=sale.get("ref_number"),
                   txn_date=_day(sale.get("txn_date")), memo=sale.get("memo"))
    received = []
    for payment in data.get("payments", []):
        received.append(company.receive_payment(
            payment["customer"], payment["amount"], apply_to=payment.get("apply_to"),
            auto_apply=payment.get("auto_apply", False), txn_date=_day(payment.get("txn_date")),
            ref_number=payment.get("ref_number"), method=payment.get("method"),
            deposit_to=payment.get("deposit_to")))
    for deposit in data.get("deposits", []):
        company.deposit(deposit["account"], [received[i].txn_id for i in deposit["payments"]],
                        txn_date=_day(deposit.get("txn_date")), memo=deposit.get("memo"))
    return company


def _customer(company: Any, data: dict[str, Any], parent: str | None) -> None:
    created = company.add_customer(data["name"], parent=parent,
                                   is_active=data.get("is_active", True),
                                   **data.get("fields", {}))
    full = company.books.customer_full_name(created)
    for job in data.get("jobs", []):
        _customer(company, job, full)
