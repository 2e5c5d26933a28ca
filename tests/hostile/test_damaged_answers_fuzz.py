"""The whole class: the answer to every message kind the sync engine sends, damaged in turn by
each mutation of a table, over real HTTP on both databases.

One company per message kind lives through a run of sessions; before each, QuickBooks or the
platform changes something, and the session's answer to that kind is damaged by the next
mutation. No call may get a SOAP server fault and no traceback may reach the log; a session
either reads the answer (the mutation left it sound) or ends saying it was damaged. After a
few clean sessions the platform holds exactly what QuickBooks holds, and QuickBooks holds
every platform write exactly once: nothing lost, nothing sent twice.
"""

from __future__ import annotations

import logging
import re

import pytest

from mappers import Customer
from tests.acceptance.pushing import payment
from tests.hostile.conftest import Served, assert_no_traceback
from tests.hostile.damaging import Company, Mutation, connect, no_server_fault


def _all(pattern: str, replacement: str) -> Mutation:
    return lambda answer: re.sub(pattern, replacement, answer)


def _first(pattern: str, replacement: str) -> Mutation:
    return lambda answer: re.sub(pattern, replacement, answer, count=1)


def _request_ids_after_the_first_lost(answer: str) -> str:
    seen = iter(range(10_000))
    return re.sub(r' requestID="[^"]*"', lambda m: m.group(0) if next(seen) == 0 else "", answer)


MUTATIONS: dict[str, Mutation] = {
    "truncated": lambda a: a[: len(a) * 2 // 3],
    "status-code-not-a-number": _first(r'statusCode="\d+"', 'statusCode="0x1"'),
    "message-set-status-negative": _first("<QBXMLMsgsRs", '<QBXMLMsgsRs messageSetStatusCode="-1"'),
    "every-rs-twice": _first(r"(<QBXMLMsgsRs[^>]*>)(.*)(</QBXMLMsgsRs>)", r"\1\2\2\3"),
    "request-ids-after-the-first-lost": _request_ids_after_the_first_lost,
    "rets-of-another-kind": _all(r"<(/?)\w+Ret>", r"<\1DepositRet>"),
    "identities-too-long": _all(r"<(ListID|TxnID)>[^<]*", r"<\1>" + "7" * 37),
    "amounts-not-numbers": _all(r"<(Amount|Balance|TotalAmount|BalanceRemaining)>[^<]*",
                                r"<\1>Infinity"),
    "records-remain-without-iterator": _all(r' iteratorID="[^"]*"', ' iteratorRemainingCount="2"'),
}

READS = ("AccountQueryRq", "ItemQueryRq", "CustomerQueryRq", "InvoiceQueryRq",
         "ListDeletedQueryRq", "TxnDeletedQueryRq")
#: Writes, and the look-ups reconcile sends for a write whose answer was damaged.
WRITES = {"customer": ("CustomerAddRq", "CustomerQueryRq"),
          "payment": ("ReceivePaymentAddRq", "ReceivePaymentQueryRq")}


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def _run_damaged(company: Company, change: object) -> list[str]:
    """One session per mutation, after ``change(n)``; what each session's getLastError said."""
    said = []
    for n, mutation in enumerate(MUTATIONS.values()):
        change(n)  # type: ignore[operator]
        company.damaging.damage, company.damaging.armed = mutation, True
        result = company.session()
        no_server_fault([result])
        assert result.outcome in ("ok", "error"), result
        if result.outcome == "error":
            assert re.search("is damaged|did not answer", result.last_error or ""), result
        said.append(result.last_error or "")
    return said


@pytest.mark.parametrize("target", READS)
def test_damaged_read_answers_lose_nothing(served: Served, log: pytest.LogCaptureFixture,
                                           target: str) -> None:
    company = connect(served, target, MUTATIONS["truncated"])
    quickbooks = company.quickbooks
    assert company.session().outcome == "ok"

    def change(n: int) -> None:
        quickbooks.modify_customer(f"Alice {n - 1}" if n else "Alice", name=f"Alice {n}")
        quickbooks.modify_invoice("INV-1", memo=f"memo {n}")
        quickbooks.add_customer(f"Temp {n}")
        if n:
            quickbooks.delete_customer(f"Temp {n - 1}")

    said = _run_damaged(company, change)
    assert any("is damaged" in text for text in said)  # the table does damage this kind
    for _ in range(2):
        assert company.session().outcome == "ok"

    held = sorted(c.name for c in quickbooks.books.customers.values())
    platform = sorted(str(label) for label, _data, deleted, _state
                      in company.records("customer").values() if not deleted)
    assert platform == held
    (invoice,) = company.records("invoice").values()
    assert invoice[1]["memo"] == f"memo {len(MUTATIONS) - 1}"  # type: ignore[index]
    assert_no_traceback(log.records)


@pytest.mark.parametrize("kind", list(WRITES))
def test_damaged_write_answers_never_write_twice(served: Served, log: pytest.LogCaptureFixture,
                                                 kind: str) -> None:
    company = connect(served, WRITES[kind], MUTATIONS["truncated"])
    company.services.sync.configure(company.name, directions={"customer": "both",
                                                              "payment": "push"})
    assert company.session().outcome == "ok"

    def change(n: int) -> None:
        if kind == "customer":
            company.services.sync.submit(company.name, "customer",
                                         Customer(external_id=f"C-{n}", name=f"Zed {n}"))
        else:
            company.services.sync.submit(company.name, "payment",
                                         payment(f"P-{n}", "Alice", f"{n + 1}.00"))

    said = _run_damaged(company, change)
    assert any("is damaged" in text for text in said)
    company.damaging.armed = False
    company.settle(kind, sessions=4)

    books = company.quickbooks.books
    if kind == "customer":
        names = sorted(c.name for c in books.customers.values() if c.name.startswith("Zed"))
        assert names == sorted(f"Zed {n}" for n in range(len(MUTATIONS)))
    else:
        amounts = sorted(str(p.total) for p in books.payments.values())
        assert amounts == sorted(f"{n + 1}.00" for n in range(len(MUTATIONS)))
    states = {state for *_rest, state in company.records(kind).values()}
    assert states <= {"none", "synced"}, states
    assert_no_traceback(log.records)
