"""A realistic company, generated deterministically from a seed.

Same arguments and the same day, same company: every choice comes from one
``random.Random(seed)`` and every timestamp from the transaction dates, which end at
``today`` (by default the company's clock: the real date, or the ``clock`` option), so the
last 12 months always hold invoices. What it makes: the standard chart; ``customers``
customers of which about a fifth are companies with one to three jobs (jobs count towards
``customers``) and about 5% inactive; ``invoices`` invoices over ``years`` years with one to
four lines; payments on most invoices older than a month (mostly in full, some partial, a few
unapplied credits); weekly deposits of most Undeposited Funds into Checking; a few credit
memos and estimates.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from qbwc_server.simulator.company import lists, payments, sales, seed
from qbwc_server.simulator.company.model import Payment

__all__ = ["generate_company"]

FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
         "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
         "Sarah", "Carlos", "Karen", "Wei", "Aisha", "Olga", "Hiroshi", "Fatima", "Liam")
LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White")
WORDS = ("Acme", "Summit", "Riverside", "Pioneer", "Blue Ridge", "Harbor", "Evergreen",
         "Granite", "Maple", "Northwind", "Cedar", "Keystone", "Lakeside", "Silverline",
         "Redwood", "Prairie", "Atlas", "Beacon", "Cobalt", "Falcon")
SUFFIX = ("Inc.", "LLC", "Co.", "Group", "Partners", "Services", "Holdings", "Studio")
JOBS = ("Office Remodel", "Network Upgrade", "Annual Support", "Warehouse", "Phase 2",
        "New Branch", "Website", "Server Room")
CITIES = (("Springfield", "IL", "62701"), ("Portland", "OR", "97201"), ("Austin", "TX", "78701"),
          ("Albany", "NY", "12207"), ("Denver", "CO", "80202"), ("Madison", "WI", "53703"))
ITEM_NAMES = ("Consulting", "Installation", "Support Plan", "Hardware", "Cables", "Shipping")
METHODS = ("Check", "Check", "Visa", "MasterCard", "E-Check", "Cash")


def _at(books: Any, day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(8, 0), tzinfo=books.zone or UTC)
    return local + timedelta(seconds=rng.randrange(10 * 3600))


def _customers(company: Any, count: int, start: date, rng: random.Random) -> list[str]:
    """Create customers and jobs; return the ListIDs that can be invoiced."""
    books = company.books
    billable: list[str] = []
    made = 0
    serial = 0
    while made < count:
        serial += 1
        day = start + timedelta(days=rng.randrange(30))
        at = _at(books, day, rng)
        city, state, postal = rng.choice(CITIES)
        address = {"Addr1": f"{rng.randrange(1, 9999)} {rng.choice(LAST)} Street", "City": city,
                   "State": state, "PostalCode": postal, "Country": "USA"}
        if rng.random() < 0.2:
            name = f"{rng.choice(WORDS)} {rng.choice(SUFFIX)} {serial}"
            extra: dict[str, Any] = {"CompanyName": name[:41], "BillAddress": address,
                                     "Phone": f"555-{rng.randrange(100, 999)}-{serial % 10000:04d}"}
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{last}, {first} {serial}"
            extra = {"FirstName": first, "LastName": last, "BillAddress": address,
                     "Email": f"{first.lower()}.{last.lower()}{serial}@example.com"}
        customer = lists.add_customer(books, name[:41], extra=extra, at=at)
        made += 1
        billable.append(customer.list_id)
        if "CompanyName" in extra:
            for job in rng.sample(JOBS, k=min(rng.randrange(1, 4), count - made)):
                created = lists.add_customer(books, job, parent_id=customer.list_id,
                                             extra={"BillAddress": address}, at=at)
                billable.append(created.list_id)
                made += 1
    return billable


def _pay(company: Any, invoice: Any, today: date, rng: random.Random, paid: list[Payment]
         ) -> None:
    books = company.books
    age = (today - invoice.txn_date).days
    if age < 20:
        return
    roll = rng.random()
    if roll > 0.85:
        return  # still open
    total = invoice.subtotal
    amount = total if roll < 0.75 else (total * Decimal(rng.choice(("0.25", "0.5")))
                                        ).quantize(Decimal("0.01"))
    # Never today: its hours may be ahead of the clock, and QuickBooks stamps nothing later
    # than now (a pull since that stamp would miss the accountant's changes made today).
    day = min(invoice.txn_date + timedelta(days=rng.randrange(5, 45)), today - timedelta(days=1))
    method = books.id_by_name("PaymentMethod", rng.choice(METHODS))
    payment = payments.receive_payment(
        books, invoice.customer_id, total=amount, applications=[(invoice.txn_id, amount)],
        txn_date=day, ref_number=str(rng.randrange(1000, 99999)), method_id=method,
        at=_at(books, day, rng))
    paid.append(payment)


def _deposit_weekly(company: Any, paid: list[Payment], today: date, rng: random.Random) -> None:
    books = company.books
    checking = books.id_by_name("Account", "Checking")
    weeks: dict[date, list[Payment]] = {}
    for payment in paid:
        friday = payment.txn_date + timedelta(days=(4 - payment.txn_date.weekday()) % 7)
        weeks.setdefault(friday, []).append(payment)
    for friday in sorted(weeks):
        if friday >= today or rng.random() < 0.1:
            continue
        specs = [payments.DepositLineSpec(payment_id=p.txn_id) for p in weeks[friday]]
        payments.add_deposit(books, checking, specs, txn_date=friday,
                             at=_at(books, friday, rng))


def generate_company(cls: Any, *, customers: int, invoices: int, years: int, seed: int,
                     today: date | None = None, **options: Any) -> Any:
    """Build the company (see the module docstring)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    company = cls(seed_chart=False, **options)
    books = company.books
    today = today or books.today()
    start = today - timedelta(days=365 * years)
    seed_module_chart(books, _at(books, start - timedelta(days=1), rng))
    billable = _customers(company, customers, start, rng)
    items = [books.id_by_name("Item", name) for name in ITEM_NAMES]
    span = (today - start).days - 31
    days = sorted(start + timedelta(days=31 + rng.randrange(max(span, 1)))
                  for _ in range(invoices))
    terms = [books.id_by_name("Terms", name) for name in ("Net 15", "Net 30", "Due on receipt")]
    paid: list[Payment] = []
    for day in days:
        lines = [sales.LineSpec(item_id=rng.choice(items),
                                quantity=Decimal(rng.randrange(1, 10)))
                 for _ in range(rng.randrange(1, 5))]
        invoice = sales.add_sales_txn(books, "Invoice", rng.choice(billable), lines,
                                      txn_date=day, terms_id=rng.choice(terms),
                                      at=_at(books, day, rng))
        _pay(company, invoice, today, rng, paid)
    for _ in range(max(1, invoices // 200)):
        day = start + timedelta(days=rng.randrange((today - start).days))
        kind = rng.choice(("CreditMemo", "Estimate"))
        sales.add_sales_txn(books, kind, rng.choice(billable),
                            [sales.LineSpec(item_id=rng.choice(items), quantity=Decimal(1))],
                            txn_date=day, at=_at(books, day, rng))
    for list_id in rng.sample(billable, k=max(1, len(billable) // 50)):
        day = start + timedelta(days=rng.randrange((today - start).days))
        paid.append(payments.receive_payment(books, list_id, total=Decimal(rng.randrange(20, 500)),
                                             txn_date=day, at=_at(books, day, rng)))
    _deposit_weekly(company, sorted(paid, key=lambda p: p.txn_number), today, rng)
    for list_id in rng.sample(billable, k=len(billable) // 20):
        customer = books.customers[list_id]
        if customer.is_active:
            lists.mod_customer(books, list_id, None, is_active=False,
                               at=_at(books, today - timedelta(days=rng.randrange(1, 60)), rng))
    return company


seed_module_chart = seed.seed_chart
