"""Hypothesis strategies for canonical records whose fields all survive a qbXML Add."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from mappers import (
    Address,
    CreditMemo,
    Customer,
    Deposit,
    DepositedPayment,
    EntityRef,
    Estimate,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentApplication,
)

# Windows-1252 text with the XML specials; QuickBooks trims nothing we send, but keep the
# ends non-blank so no layer has a reason to.
_ALPHABET = "abcXYZ0189 &<>'\"-.,#/éüßÆ"


def text(max_size: int) -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=_ALPHABET, min_size=1, max_size=max_size).map(str.strip).filter(bool)
    )


def optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


qb_ids = st.from_regex(r"\A[0-9A-F]{1,8}-[0-9]{10}\Z")
ids = st.from_regex(r"\A[a-z0-9_]{1,20}\Z")
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))
money = st.decimals(
    min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2,
    allow_nan=False, allow_infinity=False,
)
positive_money = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2,
    allow_nan=False, allow_infinity=False,
)
quantities = st.decimals(
    min_value=Decimal("-9999"), max_value=Decimal("9999"), places=3,
    allow_nan=False, allow_infinity=False,
)
rates = st.decimals(
    min_value=Decimal("-9999"), max_value=Decimal("9999"), places=5,
    allow_nan=False, allow_infinity=False,
)


def refs(name_length: int = 31) -> st.SearchStrategy[EntityRef]:
    return st.builds(EntityRef, qb_id=optional(qb_ids), name=text(name_length)) | st.builds(
        EntityRef, qb_id=qb_ids
    )


addresses = st.builds(
    Address,
    lines=st.lists(text(41), max_size=5).map(tuple),
    city=optional(text(31)),
    region=optional(text(21)),
    postal_code=optional(text(13)),
    country=optional(text(31)),
    note=optional(text(41)),
).filter(lambda address: not address.is_empty)

customers = st.builds(
    Customer,
    external_id=ids,
    name=text(41),
    company_name=optional(text(41)),
    first_name=optional(text(25)),
    last_name=optional(text(25)),
    email=optional(text(60)),
    phone=optional(text(21)),
    bill_address=optional(addresses),
    ship_address=optional(addresses),
    is_active=st.booleans(),
    parent=optional(refs(209)),
)


def lines(*, service_date: bool = True) -> st.SearchStrategy[InvoiceLine]:
    return st.builds(
        InvoiceLine,
        item=optional(refs()),
        description=optional(text(100)),
        quantity=optional(quantities),
        rate=optional(rates),
        amount=optional(money),
        tax_code=optional(st.builds(EntityRef, name=st.sampled_from(["Tax", "Non"]))),
        service_date=optional(days) if service_date else st.none(),
    ).filter(lambda line: line.item is not None or line.description is not None)


invoices = st.builds(
    Invoice,
    external_id=ids,
    customer=refs(209),
    number=optional(text(11)),
    txn_date=optional(days),
    due_date=optional(days),
    terms=optional(text(31)),
    memo=optional(text(200)),
    lines=st.lists(lines(), max_size=4).map(tuple),
)

estimates = st.builds(
    Estimate,
    external_id=ids,
    customer=refs(209),
    number=optional(text(11)),
    txn_date=optional(days),
    due_date=optional(days),
    memo=optional(text(200)),
    is_active=st.booleans(),
    lines=st.lists(lines(service_date=False), min_size=1, max_size=4).map(tuple),
)

credit_memos = st.builds(
    CreditMemo,
    external_id=ids,
    customer=refs(209),
    number=optional(text(11)),
    txn_date=optional(days),
    memo=optional(text(200)),
    lines=st.lists(lines(), min_size=1, max_size=4).map(tuple),
)

payments = st.builds(
    Payment,
    external_id=ids,
    customer=refs(209),
    amount=positive_money,
    date=optional(days),
    method=optional(text(31)),
    reference=optional(text(20)),
    memo=optional(text(200)),
    applications=st.lists(
        st.builds(PaymentApplication, invoice=st.builds(EntityRef, qb_id=qb_ids),
                  amount=positive_money),
        max_size=3,
    ).map(tuple),
    deposit_to=optional(refs(159)),
)

deposits = st.builds(
    Deposit,
    external_id=ids,
    bank_account=refs(159),
    date=optional(days),
    memo=optional(text(200)),
    payments=st.lists(
        st.builds(DepositedPayment, payment=st.builds(EntityRef, qb_id=qb_ids)),
        min_size=1, max_size=3,
    ).map(tuple),
)
