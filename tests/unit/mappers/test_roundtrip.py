"""Round trips: canonical record -> qbXML Add -> the Ret QuickBooks echoes -> the same record.

As attrs ``tests/test_funcs.py::test_roundtrip``: only the fields QuickBooks assigns (id,
edit sequence, modified time) differ, and the identity GUID brings ``external_id`` back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from mappers import (
    CreditMemo,
    Customer,
    Deposit,
    Estimate,
    Invoice,
    Payment,
    credit_memo_add,
    customer_add,
    deposit_add,
    estimate_add,
    identity_guid,
    invoice_add,
    payment_add,
)
from tests.unit.mappers import strategies
from tests.unit.mappers.helpers import ret_for_add

SCOPE = "{8D1F0C2A-0000-4000-8000-00000000F11E}"
QB_ID = "80000001-1700000000"
CASES: list[tuple[str, st.SearchStrategy[Any], Callable[..., Any], type[Any]]] = [
    ("customer", strategies.customers, customer_add, Customer),
    ("invoice", strategies.invoices, invoice_add, Invoice),
    ("estimate", strategies.estimates, estimate_add, Estimate),
    ("credit_memo", strategies.credit_memos, credit_memo_add, CreditMemo),
    ("payment", strategies.payments, payment_add, Payment),
    ("deposit", strategies.deposits, deposit_add, Deposit),
]


def _assigned_by_quickbooks(record: Any) -> Any:
    return attrs.evolve(
        record, qb_id=None, qb_version=None, updated_at=None, updated_at_text=None
    )


def _round_trip(kind: str, record: Any, build: Callable[..., Any], cls: type[Any]) -> Any:
    ret = ret_for_add(build(record, scope=SCOPE), qb_id=QB_ID)
    known = {identity_guid(SCOPE, kind, record.external_id): record.external_id}
    back = cls.from_qbxml(ret, known=known)
    assert (back.qb_id, back.qb_version, back.updated_at_text) == (
        QB_ID, "1710000000", "2024-03-10T02:30:00-05:00",
    )
    return _assigned_by_quickbooks(back)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_round_trip(data: st.DataObject) -> None:
    kind, strategy, build, cls = data.draw(st.sampled_from(CASES))
    record = data.draw(strategy)
    assert _round_trip(kind, record, build, cls) == record


@settings(max_examples=25, deadline=None)
@given(record=strategies.customers)
def test_customer_round_trip(record: Customer) -> None:
    assert _round_trip("customer", record, customer_add, Customer) == record


@settings(max_examples=25, deadline=None)
@given(record=strategies.invoices)
def test_invoice_round_trip(record: Invoice) -> None:
    assert _round_trip("invoice", record, invoice_add, Invoice) == record


@settings(max_examples=25, deadline=None)
@given(record=strategies.payments)
def test_payment_round_trip(record: Payment) -> None:
    assert _round_trip("payment", record, payment_add, Payment) == record


@settings(max_examples=25, deadline=None)
@given(record=strategies.deposits)
def test_deposit_round_trip(record: Deposit) -> None:
    assert _round_trip("deposit", record, deposit_add, Deposit) == record
