"""Damaged QuickBooks answers inside a valid session, over real HTTP, on both databases.

A simulated Web Connector plays a simulated QuickBooks company whose answer to one message
kind is damaged on its way (a mutation of the real answer). Every case: receiveResponseXML
answers -1, getLastError says what was wrong, the history page's session row says it too,
no call gets a SOAP server fault and no traceback reaches the log; nothing of the damaged
answer is kept (the records it was about are unchanged, a write is ``unknown``, not resent);
and the next sessions bring the company to exactly what QuickBooks holds, each write once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

import pytest

from mappers import Customer, Deposit, DepositedPayment, EntityRef
from qbwc_server.pages.history import sessions
from qbwc_server.simulator.webconnector import SessionResult
from tests.acceptance.pushing import payment
from tests.hostile.conftest import Served, assert_no_traceback
from tests.hostile.damaging import Company, Mutation, connect, no_server_fault


@pytest.fixture
def quiet_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    assert_no_traceback(caplog.records)


def _assert_reported(company: Company, result: SessionResult, reason: str) -> None:
    """-1, getLastError and the history page's session row say what was wrong."""
    assert result.outcome == "error"
    assert result.progress[-1] == -1
    assert result.last_error is not None
    assert re.search(reason, result.last_error), result.last_error
    assert (result.close_status or "").startswith("Finished with an error")
    shown = [row.last_error for row in sessions(company.services.db, company.name)]
    assert result.last_error in shown


# -- damage to the answer of a read ----------------------------------------------------------

def _sub(pattern: str, replacement: str, count: int = 1) -> Mutation:
    return lambda answer: re.sub(pattern, replacement, answer, count=count)


def _first_rs_attrs(extra: str) -> Mutation:
    return _sub(r"(<[A-Za-z]+Rs )", r"\g<1>" + extra + " ")


READS: dict[str, tuple[str, str, Mutation, str]] = {
    # case: (message kind damaged, record kind it is about, damage, what getLastError says)
    "message-set-status-not-a-number": (
        "CustomerQueryRq", "customer",
        lambda a: a.replace("<QBXMLMsgsRs", '<QBXMLMsgsRs messageSetStatusCode="abc"'),
        "messageSetStatusCode='abc', not a whole number"),
    "status-code-not-a-number": (
        "CustomerQueryRq", "customer", _sub(r'statusCode="\d+"', 'statusCode="abc"'),
        "statusCode='abc', not a whole number"),
    "negative-status-code": (
        "InvoiceQueryRq", "invoice", _sub(r'statusCode="\d+"', 'statusCode="-1"'),
        "statusCode='-1', not a whole number"),
    "iterator-on-a-query-that-does-not-iterate": (
        "AccountQueryRq", "account",
        _first_rs_attrs('iteratorRemainingCount="5" iteratorID="{0A}"'),
        "carries an iterator, but it never iterates"),
    "iterator-count-not-a-number": (
        "CustomerQueryRq", "customer",
        _sub(r'iteratorRemainingCount="\d+"', 'iteratorRemainingCount="many"'),
        "iteratorRemainingCount='many', not a whole number"),
    "negative-iterator-count": (
        "ItemQueryRq", "item",
        _sub(r'iteratorRemainingCount="\d+"', 'iteratorRemainingCount="-3"'),
        "iteratorRemainingCount='-3', not a whole number"),
    "records-remain-but-no-iterator": (
        "CustomerQueryRq", "customer",
        _sub(r'iteratorRemainingCount="\d+"(.*?) iteratorID="[^"]*"',
             r'iteratorRemainingCount="4"\1'),
        "says 4 records remain but names no iteratorID"),
    "wrong-ret-type": (
        "CustomerQueryRq", "customer", _sub(r"<(/?)CustomerRet>", r"<\1InvoiceRet>", 0),
        "<InvoiceRet> cannot be part of an answer <CustomerQueryRs>"),
    "unknown-record-in-a-known-answer": (
        "InvoiceQueryRq", "invoice", _sub(r"<(/?)InvoiceRet>", r"<\1FutureRet>", 0),
        "<FutureRet> cannot be part of an answer <InvoiceQueryRs>"),
    "answer-of-another-kind": (  # a CustomerModRs holds CustomerRets, but answers no query
        "CustomerQueryRq", "customer", lambda a: re.sub(
            r' iterator\w+="[^"]*"', "", re.sub(r"<(/?)CustomerQueryRs\b", r"<\1CustomerModRs", a)),
        "<CustomerModRs> cannot answer <CustomerQueryRq>"),
    "answered-twice": (
        "CustomerQueryRq", "customer",
        _sub(r"(<CustomerQueryRs .*</CustomerQueryRs>)", r"\1\1"), "answers requestID .* twice"),
    "missing-request-id": (
        "CustomerQueryRq", "customer", _sub(r' requestID="[^"]*"', "", 0),
        "did not answer requestID"),
    "over-long-list-id": (
        "CustomerQueryRq", "customer", _sub(r"<ListID>[^<]*", "<ListID>" + "A" * 500),
        "500 characters in its ListID; qbXML allows 36"),
    "over-long-edit-sequence": (
        "CustomerQueryRq", "customer", _sub(r"<EditSequence>[^<]*", "<EditSequence>" + "9" * 40),
        "40 characters in its EditSequence; qbXML allows 16"),
    "over-long-txn-id": (
        "InvoiceQueryRq", "invoice", _sub(r"<TxnID>[^<]*", "<TxnID>" + "T" * 300),
        "300 characters in its TxnID; qbXML allows 36"),
    "nul-character": (
        "CustomerQueryRq", "customer", _sub(r"<Name>", "<Name>A&#0;"), "cannot parse qbXML"),
    "amount-not-a-number": (
        "InvoiceQueryRq", "invoice", _sub(r"<Amount>[^<]*", "<Amount>NaN", 0),
        "NaN, not a number"),
    "truncated": ("InvoiceQueryRq", "invoice", lambda a: a[: len(a) // 2], "cannot parse qbXML"),
}


@pytest.mark.usefixtures("quiet_log")
@pytest.mark.parametrize("case", list(READS))
def test_a_damaged_read_is_reported_kept_out_and_asked_again(served: Served, case: str) -> None:
    target, kind, damage, reason = READS[case]
    company = connect(served, target, damage)
    first = company.session()
    assert first.outcome == "ok"
    # QuickBooks changes, so the next session's answer carries something new.
    company.quickbooks.modify_customer("Alice", name="Alicia")
    company.quickbooks.modify_invoice("INV-1", memo="changed")
    company.quickbooks.delete_customer("Bob")
    before = company.records(kind)

    company.damaging.armed = True
    damaged = company.session()

    assert company.damaging.struck == 1
    _assert_reported(company, damaged, reason)
    assert company.records(kind) == before  # nothing of the damaged answer was kept
    recovered = company.session()
    assert recovered.outcome == "ok"
    no_server_fault([first, damaged, recovered])
    customers = company.records("customer")
    assert sorted(label for label, _d, deleted, _s in customers.values() if not deleted) \
        == ["Alicia"]
    (invoice,) = company.records("invoice").values()
    assert invoice[1]["memo"] == "changed"


def test_an_answer_with_an_odd_encoding_declaration_is_read_as_the_text_it_is(
        served: Served, caplog: pytest.LogCaptureFixture) -> None:
    # The Web Connector hands the answer over as text: its declaration names no encoding
    # of ours any more, so it is dropped, whatever it says.
    company = connect(served, "CustomerQueryRq", lambda a: re.sub(
        r"^(<\?xml[^>]*\?>)?", '<?xml version="1.0" encoding="x-klingon"?>', a, count=1))
    company.damaging.armed = True
    result = company.session()
    assert result.outcome == "ok"
    assert company.damaging.struck == 1
    assert sorted(label for label, *_ in company.records("customer").values()) == ["Alice", "Bob"]
    assert_no_traceback(caplog.records)


# -- damage to the answer of a write ---------------------------------------------------------

def _submit_customer(company: Company) -> None:
    company.services.sync.submit(company.name, "customer", Customer(external_id="C-1",
                                                                    name="Zed"))


def _submit_payment(company: Company) -> None:
    invoice = company.quickbooks.invoice("INV-1")
    assert invoice is not None
    company.services.sync.submit(company.name, "payment", payment(
        "P-1", "Alice", "40.00", invoices={invoice.txn_id: "40.00"}, by_txn_id=True))


def _submit_deposit(company: Company) -> None:
    company.services.sync.submit(company.name, "payment", payment("P-1", "Alice", "40.00"))
    company.session()
    company.services.sync.submit(company.name, "deposit", Deposit(
        external_id="D-1", bank_account=EntityRef(name=""),
        payments=(DepositedPayment(payment=EntityRef(name="P-1")),)))


def _submit_reversal(company: Company) -> None:
    company.services.sync.submit(company.name, "payment", payment("P-1", "Alice", "40.00"))
    company.session()
    company.services.sync.reverse_payment(company.name, "P-1")


def _held(company: Company) -> tuple[int, int, int]:
    """Customers named Zed, payments and deposits QuickBooks holds."""
    books = company.quickbooks.books
    return (sum(1 for c in books.customers.values() if c.name == "Zed"), len(books.payments),
            len(books.deposits))


WRITES: dict[str, tuple[str, Callable[[Company], None], str, Mutation, str,
                        tuple[int, int, int]]] = {
    # case: (message kind damaged, what the platform asks, record kind, damage,
    #        what getLastError says, what QuickBooks holds in the end: Zed, payments, deposits)
    "customer-add-status-not-a-number": (
        "CustomerAddRq", _submit_customer, "customer",
        _sub(r'(<CustomerAddRs [^>]*?)statusCode="\d+"', r'\1statusCode="abc"'),
        "statusCode='abc', not a whole number", (1, 0, 0)),
    "customer-add-answer-missing": (
        "CustomerAddRq", _submit_customer, "customer",
        _sub(r"<CustomerAddRs .*?</CustomerAddRs>", "", 0),
        "it has no answer to requestID", (1, 0, 0)),
    "payment-answered-by-another-kind": (
        "ReceivePaymentAddRq", _submit_payment, "payment",
        _sub(r"<(/?)ReceivePaymentAddRs\b", r"<\1ReceivePaymentQueryRs", 0),
        "<ReceivePaymentQueryRs> cannot answer <ReceivePaymentAddRq>", (0, 1, 0)),
    "payment-with-an-over-long-txn-id": (
        "ReceivePaymentAddRq", _submit_payment, "payment",
        _sub(r"<TxnID>[^<]*", "<TxnID>" + "T" * 100),
        "100 characters in its TxnID", (0, 1, 0)),
    "deposit-truncated": (
        "DepositAddRq", _submit_deposit, "deposit", lambda a: a[: len(a) // 2],
        "cannot parse qbXML", (0, 1, 1)),
    "reversal-message-set-status-not-a-number": (
        "TxnDelRq", _submit_reversal, "payment",
        lambda a: a.replace("<QBXMLMsgsRs", '<QBXMLMsgsRs messageSetStatusCode="x"'),
        "messageSetStatusCode='x'", (0, 0, 0)),
}


@pytest.mark.usefixtures("quiet_log")
@pytest.mark.parametrize("case", list(WRITES))
def test_a_damaged_write_answer_leaves_the_write_unknown_never_resent(
        served: Served, case: str) -> None:
    target, submit, kind, damage, reason, held = WRITES[case]
    company = connect(served, target, damage)
    company.services.sync.configure(
        company.name, directions={"customer": "both", "payment": "push", "deposit": "push"},
        deposit_account="Checking")
    first = company.session()
    submit(company)

    company.damaging.armed = True
    damaged = company.session()

    assert company.damaging.struck == 1
    _assert_reported(company, damaged, reason)
    assert "looked up in QuickBooks before anything is sent again" in (damaged.last_error or "")
    states = [state for *_rest, state in company.records(kind).values()]
    assert "unknown" in states  # QuickBooks applied it; its answer says nothing we can trust
    assert not {"pending", "sent"} & set(states)
    recovered = company.settle(kind)
    no_server_fault([first, damaged, *recovered])
    assert _held(company) == held  # applied once, found by reconcile, never sent again
    assert {state for *_rest, state in company.records(kind).values() if state != "none"} \
        <= {"synced"}


# -- damage to the host, company and preferences answer --------------------------------------

HOSTS: dict[str, tuple[Mutation, str | None]] = {
    # case: (damage, what the session row says; None: nothing was wrong with it)
    "negative-and-non-numeric-versions": (
        _sub(r"<SupportedQBXMLVersion>[^<]*", "<SupportedQBXMLVersion>-3.0</SupportedQBXMLVersion>"
             "<SupportedQBXMLVersion>abc</SupportedQBXMLVersion><SupportedQBXMLVersion>1.299"),
        None),
    "over-long-product-name": (
        _sub(r"<ProductName>[^<]*", "<ProductName>" + "P" * 5000),
        "its product name is 5000 characters long"),
    "hundreds-of-versions": (  # kept cut short, they would hide 13.0 behind 1.x
        _sub(r"<SupportedQBXMLVersion>", "".join(
            f"<SupportedQBXMLVersion>1.{n}</SupportedQBXMLVersion>" for n in range(300))
            + "<SupportedQBXMLVersion>"),
        "it lists 316 supported qbXML versions"),
    "host-ret-of-another-kind": (
        _sub(r"<(/?)HostRet>", r"<\1CustomerRet>", 0),
        "<CustomerRet> cannot be part of an answer <HostQueryRs>"),
    "status-not-a-number": (_sub(r'statusCode="\d+"', 'statusCode="x"'),
                            "statusCode='x', not a whole number"),
}


@pytest.mark.usefixtures("quiet_log")
@pytest.mark.parametrize("case", list(HOSTS))
def test_a_damaged_host_answer_is_noted_and_the_session_goes_on(
        served: Served, case: str) -> None:
    damage, reason = HOSTS[case]
    company = connect(served, "HCP", damage)
    company.session()
    known = company.services.companies.get(company.name)
    company.quickbooks.modify_customer("Alice", name="Alicia")

    company.damaging.armed = True
    result = company.session()

    no_server_fault([result])
    assert result.outcome == "ok"
    messages = [m for r in [result] for e in r.transcript if e.method == "sendRequestXML"
                for m in [str(e.answer)] if m]
    assert all('<?qbxml version="13.0"?>' in m for m in messages)
    shown = sessions(company.services.db, company.name)[0].last_error
    if reason is None:
        assert shown is None
    else:
        assert shown is not None
        assert reason in shown
        # What the earlier session learnt may describe another QuickBooks: forgotten, not
        # reused (the version comes from the Web Connector's own qbXMLMajorVers/MinorVers).
        assert known.qb_product_name
        now = company.services.companies.get(company.name)
        assert now.qb_product_name is None
        assert not now.qb_versions
    assert "Alicia" in [label for label, *_ in company.records("customer").values()]


@pytest.mark.usefixtures("quiet_log")
def test_a_host_answer_with_no_version_we_write_ends_the_session_with_the_reason(
        served: Served) -> None:
    company = connect(served, "HCP", _sub(
        r"(<SupportedQBXMLVersion>[^<]*</SupportedQBXMLVersion>\s*)+",
        "<SupportedQBXMLVersion>99.0</SupportedQBXMLVersion>"))
    company.damaging.armed = True
    result = company.session()
    no_server_fault([result])
    assert result.outcome == "error"
    assert "QuickBooks supports qbXML 99.0; we need one at or below 13.0" in (
        result.last_error or "")
    company.damaging.armed = False
    assert company.session().outcome == "ok"


# -- an answer the Web Connector cannot even wrap in XML -------------------------------------

@pytest.mark.usefixtures("quiet_log")
def test_a_raw_nul_in_the_answer_is_a_client_fault_and_the_session_is_taken_over(
        served: Served) -> None:
    # A NUL cannot be written in XML at all: the envelope is refused before any session
    # state is touched, the Web Connector shows the fault, and the next run takes over.
    company = connect(served, "CustomerQueryRq", _sub(r"<Name>", "<Name>A\x00"))
    company.damaging.armed = True
    damaged = company.session()
    assert damaged.outcome == "error"
    assert "soap:Client" in (damaged.last_error or "")
    assert "not well-formed XML" in (damaged.last_error or "")
    assert company.records("customer") == {}
    assert company.session().outcome == "ok"
    assert sorted(label for label, *_ in company.records("customer").values()) == ["Alice", "Bob"]
