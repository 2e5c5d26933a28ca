"""Test helpers: build a request's message, and answer an Add the way QuickBooks would."""

from __future__ import annotations

from lxml import etree

from qbxml import build_message, parse_response
from qbxml.requests import Request
from qbxml.responses import Item
from tests.qbxml_schema import assert_valid_qbxml

# Request element -> Ret element, for the parts of an Add that QuickBooks echoes back.
_RENAMES = {
    "InvoiceLineAdd": "InvoiceLineRet",
    "EstimateLineAdd": "EstimateLineRet",
    "CreditMemoLineAdd": "CreditMemoLineRet",
    "AppliedToTxnAdd": "AppliedToTxnRet",
    "DepositLineAdd": "DepositLineRet",
    "PaymentAmount": "Amount",
    "PaymentTxnID": "TxnID",
}
_LISTS = {"CustomerAdd"}


def message_xml(request: Request) -> str:
    """The request as a one-request qbXML message, checked against Intuit's 13.0 XSD."""
    xml = build_message({"1": request}).xml
    assert_valid_qbxml(xml)
    return xml


def ret_for_add(request: Request, *, qb_id: str = "80000001-1700000000") -> Item:
    """The Ret QuickBooks would return for an Add: the request's body renamed, plus ids.

    The body element (``InvoiceAdd``) becomes the Ret (``InvoiceRet``) with an id, an edit
    sequence and a modified time in front; lines and applications become their Ret forms.
    """
    root = etree.fromstring(message_xml(request).encode())
    body = root.find(f"QBXMLMsgsRq/{request.RQ}/{request.RQ[:-2]}")
    assert body is not None
    for element in body.iter():
        element.tag = _RENAMES.get(str(element.tag), str(element.tag))
    kind = request.RQ[: -len("AddRq")]
    body.tag = f"{kind}Ret"
    head = [
        ("ListID" if f"{kind}Add" in _LISTS else "TxnID", qb_id),
        ("TimeModified", "2024-03-10T02:30:00-05:00"),
        ("EditSequence", "1710000000"),
    ]
    for index, (name, text) in enumerate(head):
        child = etree.Element(name)
        child.text = text
        body.insert(index, child)
    rs = etree.Element(f"{kind}AddRs", requestID="1", statusCode="0", statusSeverity="Info")
    rs.append(body)
    (parsed,) = parse_response(
        b"<QBXML><QBXMLMsgsRs>" + etree.tostring(rs) + b"</QBXMLMsgsRs></QBXML>"
    ).responses
    (record,) = parsed.records
    return record


def parse_ret(xml: str) -> Item:
    """The one record of a hand-written Rs body (``<CustomerRet>...</CustomerRet>``)."""
    (rs,) = parse_response(
        f'<QBXML><QBXMLMsgsRs><XQueryRs statusCode="0">{xml}</XQueryRs></QBXMLMsgsRs></QBXML>'
    ).responses
    (record,) = rs.records
    return record
