"""The chart of accounts, items and small lists a new simulated company starts with."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from qbwc_server.simulator.company import lists
from qbwc_server.simulator.company.books import Books

__all__ = ["seed_chart"]

# (name, AccountType, SpecialAccountType, AccountNumber, CashFlowClassification)
ACCOUNTS = (
    ("Checking", "Bank", None, "1000", "NotApplicable"),
    ("Savings", "Bank", None, "1010", "NotApplicable"),
    ("Accounts Receivable", "AccountsReceivable", "AccountsReceivable", "1200", "Operating"),
    ("Undeposited Funds", "OtherCurrentAsset", "UndepositedFunds", "1499", "Operating"),
    ("Accounts Payable", "AccountsPayable", "AccountsPayable", "2000", "Operating"),
    ("Sales Tax Payable", "OtherCurrentLiability", "SalesTaxPayable", "2200", "Operating"),
    ("Opening Balance Equity", "Equity", "OpeningBalanceEquity", "3000", "Financing"),
    ("Retained Earnings", "Equity", "RetainedEarnings", "3900", "NotApplicable"),
    ("Consulting Income", "Income", None, "4000", "NotApplicable"),
    ("Sales", "Income", None, "4100", "NotApplicable"),
    ("Shipping and Delivery Income", "Income", None, "4200", "NotApplicable"),
    ("Sales Discounts", "Income", None, "4900", "NotApplicable"),
    ("Bank Service Charges", "Expense", None, "6000", "NotApplicable"),
)

# (name, Ret tag, description, price, account, rate percent)
ITEMS = (
    ("Consulting", "ItemServiceRet", "Consulting services (hourly)", "150.00",
     "Consulting Income", None),
    ("Installation", "ItemServiceRet", "Installation labor", "95.00", "Consulting Income", None),
    ("Support Plan", "ItemServiceRet", "Monthly support plan", "49.00", "Consulting Income",
     None),
    ("Hardware", "ItemNonInventoryRet", "Hardware kit", "250.00", "Sales", None),
    ("Cables", "ItemNonInventoryRet", "Cable set", "12.50", "Sales", None),
    ("Shipping", "ItemOtherChargeRet", "Shipping and handling", "15.00",
     "Shipping and Delivery Income", None),
    ("Discount", "ItemDiscountRet", "Loyalty discount", None, "Sales Discounts", "10"),
    ("Payment Received", "ItemPaymentRet", "Payment received", None, "Undeposited Funds", None),
    ("Out of State", "ItemSalesTaxRet", "Out-of-state sale, exempt from sales tax", None, None,
     "0"),
)

OTHER_LISTS = (
    ("PaymentMethod", ("Cash", "Check", "Visa", "MasterCard", "American Express", "Discover",
                       "E-Check")),
    ("SalesTaxCode", ("Tax", "Non")),
    ("Template", ("Intuit Product Invoice", "Intuit Service Invoice", "Custom Credit Memo",
                  "Custom Estimate")),
)
TERMS = (("Due on receipt", 0), ("Net 15", 15), ("Net 30", 30), ("Net 60", 60))


def seed_chart(books: Books, at: datetime | None = None) -> None:
    """Create the standard accounts, items, payment methods, terms, tax codes and templates."""
    when = at or books.now()
    for name, account_type, special, number, cash_flow in ACCOUNTS:
        lists.add_account(books, name, account_type, special=special, number=number,
                          cash_flow=cash_flow, at=when)
    for name, kind, desc, price, account, percent in ITEMS:
        lists.add_item(books, name, kind, desc=desc,
                       price=Decimal(price) if price else None, account=account,
                       rate_percent=Decimal(percent) if percent else None, at=when)
    for kind, names in OTHER_LISTS:
        for name in names:
            lists.add_other(books, kind, name, at=when)
    for name, days in TERMS:
        lists.add_other(books, "Terms", name, days=days, at=when)
