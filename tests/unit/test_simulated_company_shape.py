"""Our answers have the shape of real QuickBooks answers, and validate against the 13.0 XSD."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from qbwc_server.simulator.company import SimulatedCompany, lists
from tests.paths import SAMPLES
from tests.qbxml_schema import assert_valid_qbxml
from tests.unit.simco import answers, company, msg


def _qbxml_in_soap(path: Path, tag: str) -> str:
    root = etree.parse(str(path)).getroot()
    (found,) = root.iter(f"{{http://developer.intuit.com/}}{tag}")
    return found.text or ""


def _doc(text: str) -> etree._Element:
    body = text.strip()
    if body.startswith("<?xml"):
        body = body.split("?>", 1)[1]
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    return etree.fromstring(body.strip().encode(), parser)


def _first_rs(text: str) -> etree._Element:
    return _doc(text).find("QBXMLMsgsRs")[0]


def _assert_same_shape(ours: etree._Element, real: etree._Element) -> None:
    """Same Rs attributes; shared Ret children appear in the same order (recursively)."""
    assert ours.tag == real.tag
    assert set(real.attrib) - {"retCount"} <= set(ours.attrib), (real.attrib, ours.attrib)
    for real_ret in real:
        our_ret = ours.find(real_ret.tag)
        assert our_ret is not None, f"no {real_ret.tag} in our {ours.tag}"
        _assert_children_order(our_ret, real_ret)


def _assert_children_order(ours: etree._Element, real: etree._Element) -> None:
    our_names = [child.tag for child in ours]
    real_names = [child.tag for child in real]
    shared = [name for name in dict.fromkeys(real_names) if name in our_names]
    assert [n for n in dict.fromkeys(our_names) if n in shared] == shared, (our_names, real_names)
    for name in shared:
        if len(real.find(name)):
            _assert_children_order(ours.find(name), real.find(name))


@pytest.fixture
def co() -> SimulatedCompany:
    company_ = company()
    lists.add_item(company_.books, "Downloaded Invoice", "ItemServiceRet", account="Sales")
    company_.add_customer("Keith Palmer", CompanyName="Eastern XYZ University",
                          BillAddress={"Addr1": "1 Road", "City": "Storrs"})
    return company_


def test_account_query_like_the_real_one(co: SimulatedCompany) -> None:
    request = (SAMPLES / "qbxml-requests" / "qbxml-gem-account_query_rq.xml").read_text()
    ours = co.process(request)
    assert_valid_qbxml(ours)
    real = (SAMPLES / "qbxml-responses" / "qbxml-gem-account_query_rs.xml").read_text()
    _assert_same_shape(_first_rs(ours), _first_rs(real))


def test_customer_iterator_query_like_the_real_one(co: SimulatedCompany) -> None:
    for number in range(7):
        co.add_customer(f"Customer {number}")
    request = (SAMPLES / "qbxml-requests" / "qbxml-gem-customer_query_iterator_rq.xml"
               ).read_text()
    ours = co.process(request)
    assert_valid_qbxml(ours)
    real = (SAMPLES / "qbxml-responses" / "qbxml-gem-customer_query_terator_rs.xml").read_text()
    ours_rs = _first_rs(ours)
    _assert_same_shape(ours_rs, _first_rs(real))
    assert len(ours_rs) == 5
    assert ours_rs.get("iteratorRemainingCount") == "3"


def test_invoice_add_like_the_real_one(co: SimulatedCompany) -> None:
    request = (SAMPLES / "qbxml-requests" / "qbxml-gem-invoice_add_rq.xml").read_text()
    request = request.replace("F560000-1197683156", co.customer("Keith Palmer").list_id)
    ours = co.process(request)
    assert_valid_qbxml(ours)
    real = _qbxml_in_soap(SAMPLES / "soap-receiveResponseXML" / "flowlink-invoice_add_rs.xml",
                          "response")
    ours_rs = _first_rs(ours)
    _assert_same_shape(ours_rs, _first_rs(real))
    assert ours_rs.findtext("InvoiceRet/Subtotal") == "370.00"  # 1 x 295 + 3 x 25


def test_receive_payment_add_like_the_real_one(co: SimulatedCompany) -> None:
    invoice = co.add_invoice("Keith Palmer", [("Downloaded Invoice", 1, "195")])
    request = (SAMPLES / "qbxml-requests" / "qbxml-gem-receive_payment_add_rq.xml").read_text()
    request = request.replace("F230000-1196864585", co.customer("Keith Palmer").list_id)
    request = request.replace("12006-1196864828", invoice.txn_id)
    request = request.replace("<ReceivePaymentAddRq>", '<ReceivePaymentAddRq requestID="7">')
    ours = co.process(request)
    assert_valid_qbxml(ours)
    real = _qbxml_in_soap(
        SAMPLES / "soap-receiveResponseXML" / "flowlink-receive_payment_add_rs.xml", "response")
    _assert_same_shape(_first_rs(ours), _first_rs(real))
    query = (SAMPLES / "qbxml-responses" / "qbxml-gem-receive_payment_query_rs.xml").read_text()
    ours_query = co.process(msg('<ReceivePaymentQueryRq requestID="8"/>'))
    real_rs = _first_rs(query)
    real_rs.find("ReceivePaymentRet").remove(real_rs.find("ReceivePaymentRet/CreditCardTxnInfo"))
    _assert_same_shape(_first_rs(ours_query), real_rs)


def test_customer_add_from_the_real_session_like_the_real_answers(co: SimulatedCompany) -> None:
    request = _qbxml_in_soap(SAMPLES / "soap-session-qbwc2.0" / "04-sendRequestXML-response.xml",
                             "sendRequestXMLResult")
    ours = co.process(request)
    assert_valid_qbxml(ours)
    ours_rs = _first_rs(ours)
    assert ours_rs.get("requestID") == "Q3VzdG9tZXJBZGR8MTU="
    for name in ("qbxml-gem-customer_add_rs.xml", "qbwc-gem-qbwc_customer_add_response_long.xml"):
        real = (SAMPLES / "qbxml-responses" / name).read_text()
        real_rs = _first_rs(real)
        real_rs.attrib.pop("requestID", None)
        _assert_same_shape(ours_rs, real_rs)


def test_hcp_response_like_the_real_one() -> None:
    co = company(qbxml_version=(5, 0), product_name="QuickBooks Pro 2006")
    co.stamp_file_id("{68b5925b-4347-4784-e58d-35a2d190962f}",
                     "{ee032e95-47f7-2564-096f-2d4545fcb021}")
    ours = co.hcp_response()
    assert_valid_qbxml(ours)
    real = _doc(_qbxml_in_soap(SAMPLES / "soap-session-qbwc2.0" / "04-sendRequestXML-request.xml",
                               "strHCPResponse"))
    for ours_rs, real_rs in zip(answers(ours), real.find("QBXMLMsgsRs"), strict=True):
        _assert_same_shape(ours_rs, real_rs)
    host = answers(ours)[0].find("HostRet")
    versions = [v.text for v in host.findall("SupportedQBXMLVersion")]
    real_versions = [v.text for v in real.iter("SupportedQBXMLVersion")]
    assert versions == real_versions  # 1.0 ... 5.0 for a QuickBooks 2006
    file_id = [e for e in answers(ours)[1].iter("DataExtRet")
               if e.findtext("DataExtName") == "FileID"]
    assert file_id[0].findtext("DataExtValue") == "{ee032e95-47f7-2564-096f-2d4545fcb021}"


def test_every_ret_of_a_generated_company_validates() -> None:
    co = SimulatedCompany.generate(customers=40, invoices=200, seed=3)
    queries = "".join(
        f'<{tag} requestID="{n}">{body}</{tag}>' for n, (tag, body) in enumerate([
            ("CustomerQueryRq", "<ActiveStatus>All</ActiveStatus>"),
            ("AccountQueryRq", ""), ("ItemQueryRq", ""),
            ("InvoiceQueryRq", "<IncludeLineItems>true</IncludeLineItems>"
             "<IncludeLinkedTxns>true</IncludeLinkedTxns>"),
            ("ReceivePaymentQueryRq", ""), ("DepositQueryRq", ""),
            ("CreditMemoQueryRq", "<IncludeLineItems>true</IncludeLineItems>"
             "<IncludeLinkedTxns>true</IncludeLinkedTxns>"),
            ("EstimateQueryRq", "<IncludeLineItems>true</IncludeLineItems>"),
            ("HostQueryRq", ""), ("CompanyQueryRq", ""), ("PreferencesQueryRq", ""),
        ]))
    text = co.process(
        f'<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
        f'<QBXMLMsgsRq onError="continueOnError">{queries}</QBXMLMsgsRq></QBXML>')
    assert_valid_qbxml(text)
    codes = {rs.tag: rs.get("statusCode") for rs in answers(text)}
    assert set(codes.values()) <= {"0", "1"}
    assert codes["CustomerQueryRs"] == codes["InvoiceQueryRs"] == codes["DepositQueryRs"] == "0"


def test_a_generated_company_stamps_nothing_on_its_today() -> None:
    # Today's hours may be ahead of the clock; a record stamped later than now would move the
    # pull watermark past the accountant's changes made today, and they would never arrive.
    today = date(2026, 1, 5)
    co = SimulatedCompany.generate(customers=40, invoices=400, seed=1, today=today)
    stamps = [record.time_modified for table in (co.books.customers, co.books.sales,
                                                 co.books.payments, co.books.deposits)
              for record in table.values()]
    assert max(stamps).date() < today
