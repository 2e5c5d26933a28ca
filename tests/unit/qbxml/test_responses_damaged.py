"""Damaged answers: what the reader refuses outright, and what cannot answer its own request."""

from __future__ import annotations

import pytest

from qbxml.errors import DamagedAnswerError, QbxmlParseError
from qbxml.responses import check_answer, iter_responses, parse_response
from qbxml.responses.shape import rs_shape

OK = 'statusCode="0" statusSeverity="Info"'
ERROR = 'statusCode="3100" statusSeverity="Error"'
CUSTOMER = ("<CustomerRet><ListID>80000001-1</ListID><TimeModified>2026-01-05T10:00:00-08:00"
            "</TimeModified><EditSequence>17</EditSequence><Name>Ada</Name></CustomerRet>")


def _doc(body: str, msgs_attrs: str = "") -> str:
    return f'<?xml version="1.0" ?><QBXML><QBXMLMsgsRs{msgs_attrs}>{body}</QBXMLMsgsRs></QBXML>'


def _request(*requests: str, on_error: str | None = "continueOnError") -> str:
    attribute = f' onError="{on_error}"' if on_error else ""
    return ('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
            f'<QBXMLMsgsRq{attribute}>{"".join(requests)}</QBXMLMsgsRq></QBXML>')


CUSTOMERS = _request('<CustomerQueryRq requestID="c" iterator="Start"><MaxReturned>5'
                     "</MaxReturned></CustomerQueryRq>")
ACCOUNTS = _request('<AccountQueryRq requestID="a"/>')
WRITES = _request('<CustomerQueryRq requestID="q1"><FullName>Ada</FullName></CustomerQueryRq>',
                  '<CustomerAddRq requestID="w1"><CustomerAdd><Name>Ada</Name></CustomerAdd>'
                  "</CustomerAddRq>")


# -- the reader ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "message"),
    [
        # a status code or count QuickBooks never writes
        ('<CustomerQueryRs statusCode="abc"/>', "statusCode='abc', not a whole number"),
        ('<CustomerQueryRs statusCode="-1"/>', "statusCode='-1', not a whole number"),
        ('<CustomerQueryRs statusCode="²"/>', "statusCode='²', not a whole number"),
        ('<CustomerQueryRs statusCode=""/>', "statusCode='', not a whole number"),
        (f'<CustomerQueryRs statusCode="{"9" * 5000}"/>', "not a whole number from 0 to 99999"),
        (f'<CustomerQueryRs {OK} iteratorRemainingCount="-3" iteratorID="i"/>',
         "iteratorRemainingCount='-3', not a whole number"),
        (f'<CustomerQueryRs {OK} iteratorRemainingCount=" 7" iteratorID="i"/>',
         "iteratorRemainingCount=' 7', not a whole number"),
        (f'<CustomerQueryRs {OK} retCount="many"/>', "retCount='many', not a whole number"),
        # an iterator where none can be, or one that cannot be continued
        (f'<AccountQueryRs {OK} iteratorRemainingCount="5" iteratorID="i"/>',
         "<AccountQueryRs> carries an iterator, but it never iterates"),
        (f'<AccountQueryRs {OK} iteratorID="i"/>', "carries an iterator, but it never iterates"),
        (f'<CustomerQueryRs {OK} iteratorRemainingCount="5"/>',
         "says 5 records remain but names no iteratorID"),
        # the Ret kind of another request
        (f"<CustomerQueryRs {OK}><InvoiceRet><TxnID>1</TxnID></InvoiceRet></CustomerQueryRs>",
         "<InvoiceRet> cannot be part of an answer <CustomerQueryRs>"),
        (f"<HostQueryRs {OK}><CustomerRet/></HostQueryRs>",
         "<CustomerRet> cannot be part of an answer <HostQueryRs>"),
    ],
)
def test_the_reader_refuses_what_no_answer_holds(body: str, message: str) -> None:
    with pytest.raises(QbxmlParseError, match=message):
        parse_response(_doc(body))


def test_a_damaged_message_set_status_is_refused() -> None:
    with pytest.raises(QbxmlParseError, match="messageSetStatusCode='abc', not a whole number"):
        parse_response(_doc(f"<CustomerQueryRs {OK}/>", ' messageSetStatusCode="abc"'))


def test_streaming_refuses_the_damaged_rs_after_handing_out_the_good_one() -> None:
    document = _doc(f'<CustomerQueryRs requestID="1" {OK}>{CUSTOMER}</CustomerQueryRs>'
                    f'<AccountQueryRs requestID="2" {OK} iteratorID="i"/>')
    first = next(iter_responses(document))
    ada = next(first.records)
    assert ada.name == "Ada"  # type: ignore[union-attr]
    with pytest.raises(QbxmlParseError, match="never iterates"):
        next(first.records)


@pytest.mark.parametrize(
    "body",
    [
        # the last page of an iterator: nothing remains, and the iteratorID may be left out
        f'<CustomerQueryRs {OK} iteratorRemainingCount="0"/>',
        f'<CustomerQueryRs {OK} iteratorRemainingCount="3" iteratorID="i" retCount="5"/>',
        # Rs kinds outside the 13.0 table are not checked, whatever they hold
        f'<VendorQueryRs {OK} iteratorRemainingCount="2" iteratorID="i"><InvoiceRet/>'
        "</VendorQueryRs>",
        # elements that are no Ret kind of 13.0 stay lenient unknowns
        f"<CustomerQueryRs {OK}><FutureRet/></CustomerQueryRs>",
    ],
)
def test_the_reader_still_takes_what_an_answer_may_hold(body: str) -> None:
    assert len(parse_response(_doc(body)).responses) == 1


def test_shapes_come_from_the_table() -> None:
    customers, accounts = rs_shape("CustomerQueryRs"), rs_shape("AccountQueryRs")
    assert customers is not None
    assert accounts is not None
    assert (customers.children, customers.iterates) == (frozenset({"CustomerRet"}), True)
    assert accounts.iterates is False
    assert "ErrorRecovery" in (rs_shape("CustomerAddRs") or customers).children
    assert rs_shape("VendorQueryRs") is None


# -- an answer against its request -----------------------------------------------------------

def _check(request: str, body: str) -> None:
    check_answer(request, parse_response(_doc(body)))


@pytest.mark.parametrize(
    ("request_xml", "body"),
    [
        (CUSTOMERS, f'<CustomerQueryRs requestID="c" {OK} iteratorRemainingCount="2" '
                    f'iteratorID="i">{CUSTOMER}</CustomerQueryRs>'),
        (ACCOUNTS.encode(), f'<AccountQueryRs requestID="a" {OK}/>'),
        (WRITES, f'<CustomerQueryRs requestID="q1" statusCode="1" statusSeverity="Info"/>'
                 f'<CustomerAddRs requestID="w1" {OK}>{CUSTOMER}</CustomerAddRs>'),
        # stopOnError: QuickBooks answers up to the first failure and no further
        (_request('<CustomerAddRq requestID="w1"/>', '<CustomerAddRq requestID="w2"/>',
                  on_error="stopOnError"), f'<CustomerAddRs requestID="w1" {ERROR}/>'),
        # no onError at all means stopOnError
        (_request('<CustomerAddRq requestID="w1"/>', '<CustomerAddRq requestID="w2"/>',
                  on_error=None), f'<CustomerAddRs requestID="w1" {ERROR}/>'),
        # requests without requestIDs cannot be matched; the records are still checked
        (_request("<CustomerQueryRq/>"), f"<CustomerQueryRs {OK}>{CUSTOMER}</CustomerQueryRs>"),
        ('<?xml version="1.0"?><QBXML/>', f"<CustomerQueryRs {OK}/>"),
        # a TxnDelRs body keeps its own time, never a watermark
        (_request('<TxnDelRq requestID="d"/>'), f'<TxnDelRs requestID="d" {OK}><TxnID>T-1'
                                               "</TxnID><TimeDeleted>2026-01-05T10:00:00"
                                               "</TimeDeleted></TxnDelRs>"),
        # a deleted record's time, the records of Rs kinds outside the table
        (_request('<TxnDeletedQueryRq requestID="t"/>'),
         f'<TxnDeletedQueryRs requestID="t" {OK}><TxnDeletedRet><TxnID>1</TxnID>'
         "<TimeDeleted>2026-01-05T10:00:00Z</TimeDeleted></TxnDeletedRet></TxnDeletedQueryRs>"),
        # a loose body the reader keeps untyped, of an Rs kind whose table lists its leaves
        (_request('<TxnVoidRq requestID="v"/>'), f'<TxnVoidRs requestID="v" {OK}><TxnVoidType>'
                                                "Invoice</TxnVoidType><TxnID>1</TxnID></TxnVoidRs>"),
        (_request('<VendorQueryRq requestID="v"/>'),
         f'<VendorQueryRs requestID="v" {OK}><VendorRet/></VendorQueryRs>'),
    ],
)
def test_answers_that_fit_their_request(request_xml: str | bytes, body: str) -> None:
    check_answer(request_xml, parse_response(_doc(body)))


@pytest.mark.parametrize(
    ("request_xml", "body", "message"),
    [
        (CUSTOMERS, f"<CustomerQueryRs {OK}/>", "its <CustomerQueryRs> carries no requestID"),
        (CUSTOMERS, f'<CustomerQueryRs requestID="x" {OK}/>',
         "answers requestID 'x', which the request did not send"),
        (CUSTOMERS, f'<CustomerQueryRs requestID="c" {OK}/><CustomerQueryRs requestID="c" {OK}/>',
         "it answers requestID 'c' twice"),
        (CUSTOMERS, f'<InvoiceQueryRs requestID="c" {OK}/>',
         "<InvoiceQueryRs> cannot answer <CustomerQueryRq>"),
        (WRITES, f'<CustomerQueryRs requestID="q1" {OK} iteratorRemainingCount="0"/>'
                 f'<CustomerAddRs requestID="w1" {OK}/>',
         "carries an iterator, but requestID 'q1' asked for none"),
        (WRITES, f'<CustomerQueryRs requestID="q1" {OK}/>', "no answer to requestID 'w1'$"),
        (WRITES, "", "no answer to requestID 'q1' and 1 more"),
        # stopOnError, yet nothing failed: the missing answer is lost, not skipped
        (_request('<CustomerAddRq requestID="w1"/>', '<CustomerAddRq requestID="w2"/>',
                  on_error="stopOnError"), f'<CustomerAddRs requestID="w1" {OK}/>',
         "no answer to requestID 'w2'"),
        # elements the reader keeps untyped: a record, or leaves as the Rs's loose body
        (CUSTOMERS, f'<CustomerQueryRs requestID="c" {OK}><FooRet><A/></FooRet></CustomerQueryRs>',
         "<FooRet> cannot be part of an answer <CustomerQueryRs>"),
        (CUSTOMERS, f'<CustomerQueryRs requestID="c" {OK}><FooRet/></CustomerQueryRs>',
         "<FooRet> cannot be part of an answer <CustomerQueryRs>"),
    ],
)
def test_answers_that_cannot_answer_their_request(request_xml: str, body: str,
                                                  message: str) -> None:
    with pytest.raises(DamagedAnswerError, match=message):
        _check(request_xml, body)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (CUSTOMER.replace("80000001-1", "A" * 37), "37 characters in its ListID; qbXML allows 36"),
        (CUSTOMER.replace("<EditSequence>17", "<EditSequence>" + "9" * 17),
         "17 characters in its EditSequence; qbXML allows 16"),
        (f"<InvoiceRet><TxnID>{'T' * 500}</TxnID></InvoiceRet>", "500 characters in its TxnID"),
    ],
)
def test_records_that_cannot_be_kept(record: str, message: str) -> None:
    kind = "Invoice" if record.startswith("<Invoice") else "Customer"
    request = _request(f'<{kind}QueryRq requestID="r"/>')
    with pytest.raises(DamagedAnswerError, match=message):
        _check(request, f'<{kind}QueryRs requestID="r" {OK}>{record}</{kind}QueryRs>')


