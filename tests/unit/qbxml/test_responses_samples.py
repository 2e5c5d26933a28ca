"""Every real response capture in tests/fixtures parses, with its records and statuses."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from qbxml.responses import (
    AccountRet,
    CustomerRet,
    InvoiceLineRet,
    InvoiceRet,
    ReceivePaymentRet,
    ResponseMessage,
    parse_hcp_response,
    parse_response,
)
from qbxml.status import Action
from tests.paths import CAPTURE, SAMPLES

RESPONSES = SAMPLES / "qbxml-responses"
SOAP = SAMPLES / "soap-receiveResponseXML"
SESSION = CAPTURE
INTUIT = "{http://developer.intuit.com/}"


def _soap_text(path: Path, element: str) -> str:
    """The qbXML carried in a SOAP element: escaped text, or raw markup (hand-made samples)."""
    raw = path.read_text(encoding="utf-8")
    try:
        found = etree.fromstring(raw.encode()).find(f".//{INTUIT}{element}")
    except etree.XMLSyntaxError:
        # flowlink-item_inventory_query_rs_empty.xml is hand-prettified: an <?xml?> declaration
        # inside <response> is not well-formed, so take the text between the tags.
        found = None
    if found is None or len(found):
        return raw[raw.index(f"<{element}>") + len(element) + 2 : raw.index(f"</{element}>")]
    assert found.text is not None
    return found.text


def _statuses(message: ResponseMessage) -> list[tuple[str, int, Action]]:
    return [(rs.tag, rs.status_code, rs.status.action) for rs in message.responses]


def test_every_sample_file_is_covered() -> None:
    covered = {
        "consolibyte-customeradd-3180-fragment.xml",
        "consolibyte-receivepayment-3210.xml",
        "qbwc-gem-qbwc_customer_add_response_long.xml",
        "qbwc-gem-qbwc_customer_query_response_error.xml",
        "qbwc-gem-qbwc_customer_query_response_warn.xml",
        "qbxml-gem-account_query_rs.xml",
        "qbxml-gem-customer_add_rs.xml",
        "qbxml-gem-customer_query_rs.xml",
        "qbxml-gem-customer_query_terator_rs.xml",
        "qbxml-gem-receive_payment_query_rs.xml",
        "flowlink-invoice_add_rs.xml",
        "flowlink-item_inventory_query_rs_empty.xml",
        "flowlink-receive_payment_add_rs.xml",
        "flowlink-sales_order_add_rs_invalid_record_ref.xml",
        "flowlink-sales_order_add_rs_raw.xml",
    }
    on_disk = {p.name for p in RESPONSES.glob("*.xml")} | {p.name for p in SOAP.glob("*.xml")}
    assert on_disk == covered


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # bare CustomerAddRs without QBXML wrapper, requestID placeholder: read as one Rs
        ("consolibyte-customeradd-3180-fragment.xml", [("CustomerAddRs", 3180, Action.RETRY)]),
        # 3210 comes with severity Info but nothing was saved
        ("consolibyte-receivepayment-3210.xml", [("ReceivePaymentAddRs", 3210, Action.SKIP)]),
        ("qbwc-gem-qbwc_customer_query_response_error.xml",
         [("CustomerQueryRs", 3120, Action.NOT_FOUND)]),
        ("qbwc-gem-qbwc_customer_query_response_warn.xml", [("CustomerQueryRs", 500, Action.OK)]),
    ],
)
def test_status_only_samples(name: str, expected: list[tuple[str, int, Action]]) -> None:
    message = parse_response((RESPONSES / name).read_bytes())
    assert _statuses(message) == expected
    assert all(rs.records == () for rs in message.responses)


def test_3180_fragment_keeps_placeholder_and_message() -> None:
    path = RESPONSES / "consolibyte-customeradd-3180-fragment.xml"
    (rs,) = parse_response(path.read_text(encoding="utf-8")).responses
    assert rs.request_id == "REQUESTID"
    assert rs.status_severity == "Error"
    assert rs.status_message is not None
    assert rs.status_message.endswith("This list has been modified by another user.")


def test_3210_status_message_unescaped() -> None:
    path = RESPONSES / "consolibyte-receivepayment-3210.xml"
    (rs,) = parse_response(path.read_bytes()).responses
    assert rs.status_severity == "Info"
    assert rs.status_message is not None
    assert rs.status_message.startswith('The "AppliedToTxnAdd payment amount" field')


def test_customer_add_long() -> None:
    path = RESPONSES / "qbwc-gem-qbwc_customer_add_response_long.xml"
    message = parse_response(path.read_bytes())
    (rs,) = message.responses
    assert rs.request_id is None
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert customer.list_id == "8000001B-1405768916"
    assert customer.name == "mrjoecustomer"
    assert customer.full_name == "Joseph Customer"
    assert customer.is_active is True
    assert customer.sublevel == 0
    assert customer.company_name == "Joes Garage"
    assert customer.bill_address is not None
    assert customer.bill_address.city == "Mountain View"
    assert customer.bill_address.postal_code == "94566"
    assert customer.balance == Decimal("0.00")
    assert customer.credit_limit == Decimal("2000.00")
    assert customer.account_number == "89087"
    assert customer.job_status == "None"
    assert customer.time_created is not None
    assert customer.time_created.value == datetime(
        2014, 7, 19, 7, 21, 56, tzinfo=timezone(timedelta(hours=-5))
    )
    assert customer.time_created.text == "2014-07-19T07:21:56-05:00"
    assert customer.time_created.local_text == "2014-07-19T07:21:56"


def test_customer_add_and_query() -> None:
    (rs,) = parse_response((RESPONSES / "qbxml-gem-customer_add_rs.xml").read_bytes()).responses
    assert (rs.request_id, rs.status_code, rs.status_message) == ("15", 0, "Status OK")
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert customer.name == "20706 - Eastern XYZ University"
    assert customer.bill_address is not None
    assert customer.bill_address.addr3 == "123 XYZ Road"
    assert (customer.phone, customer.fax, customer.contact) == (
        "860-634-1602", "860-429-5183", "Keith Palmer",
    )

    (rs,) = parse_response((RESPONSES / "qbxml-gem-customer_query_rs.xml").read_bytes()).responses
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert customer.balance == Decimal("250.00")
    assert customer.ship_address is not None
    assert customer.ship_address.postal_code == "06268"
    assert customer.sales_tax_code_ref is not None
    assert customer.sales_tax_code_ref.full_name == "Non"
    assert customer.item_sales_tax_ref is not None
    assert customer.item_sales_tax_ref.list_id == "10000-1211066051"


def test_customer_query_iterator() -> None:
    (rs,) = parse_response(
        (RESPONSES / "qbxml-gem-customer_query_terator_rs.xml").read_bytes()
    ).responses
    assert rs.iterator_remaining_count == 18
    assert rs.iterator_id == "{eb05f701-e727-472f-8ade-6753c4f67a46}"
    assert rs.ret_count is None
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert customer.name == "10th Customer"


def test_account_query() -> None:
    (rs,) = parse_response((RESPONSES / "qbxml-gem-account_query_rs.xml").read_bytes()).responses
    checking, receivable = rs.records
    assert isinstance(checking, AccountRet)
    assert isinstance(receivable, AccountRet)
    assert (checking.name, checking.account_type, checking.balance) == (
        "Checking", "Bank", Decimal("-197.02"),
    )
    assert checking.tax_line_info == (("TaxLineID", "1864"), ("TaxLineName", "B/S-Assets: Cash"))
    assert checking.cash_flow_classification == "NotApplicable"
    assert receivable.special_account_type == "AccountsReceivable"
    assert receivable.account_number == "11000"
    assert receivable.total_balance == Decimal("951.65")


def test_receive_payment_query_lenient_credit_card_info() -> None:
    (rs,) = parse_response(
        (RESPONSES / "qbxml-gem-receive_payment_query_rs.xml").read_bytes()
    ).responses
    (payment,) = rs.records
    assert isinstance(payment, ReceivePaymentRet)
    assert payment.txn_id == "2484-1263499231"
    assert payment.txn_date == date(2009, 10, 2)
    assert payment.total_amount == Decimal("112.35")
    assert payment.customer_ref is not None
    assert payment.customer_ref.full_name == "Greg F"
    assert payment.credit_card_txn_info == (
        ("CreditCardTxnInputInfo", (
            ("CreditCardNumber", "xxxxxxxxxxxx1234"),
            ("ExpirationMonth", "1"),
            ("ExpirationYear", "2011"),
            ("TransactionMode", "CardNotPresent"),
        )),
    )
    (applied,) = payment.applied_to_txns
    assert (applied.txn_id, applied.txn_type, applied.ref_number) == (
        "244B-1263497335", "Invoice", "OP13988",
    )
    assert applied.txn_date == date(2009, 9, 30)
    assert (applied.balance_remaining, applied.amount) == (Decimal("0.00"), Decimal("112.35"))


def test_soap_invoice_add() -> None:
    message = parse_response(_soap_text(SOAP / "flowlink-invoice_add_rs.xml", "response"))
    (rs,) = message.responses
    (invoice,) = rs.records
    assert isinstance(invoice, InvoiceRet)
    assert invoice.ref_number == "R1TT46883"
    assert invoice.txn_number == "64"
    assert invoice.customer_ref is not None
    assert invoice.customer_ref.full_name == "spree@example.com"
    assert invoice.template_ref is not None
    assert invoice.template_ref.full_name == "Intuit Service Invoice"
    assert (invoice.subtotal, invoice.balance_remaining) == (Decimal("206.00"), Decimal("206.00"))
    assert (invoice.is_paid, invoice.is_to_be_printed, invoice.is_pending) == (False, True, False)
    assert invoice.due_date == date(2014, 2, 3)
    # Address blocks are not typed on invoices: kept raw in extra.
    assert [name for name, _value in invoice.extra] == ["BillAddressBlock", "ShipAddressBlock"]
    (line,) = invoice.lines
    assert isinstance(line, InvoiceLineRet)
    assert line.item_ref is not None
    assert line.item_ref.full_name == "SPREE-T-SHIRT"
    assert (line.quantity, line.rate, line.amount) == (
        Decimal("2"), Decimal("103.00"), Decimal("206.00"),
    )


def test_soap_receive_payment_add() -> None:
    (rs,) = parse_response(
        _soap_text(SOAP / "flowlink-receive_payment_add_rs.xml", "response")
    ).responses
    assert rs.request_id == "0bb737ee-2862-4ab7-8d35-f551f84793c9"
    (payment,) = rs.records
    assert isinstance(payment, ReceivePaymentRet)
    assert (payment.total_amount, payment.unused_payment) == (Decimal("210.00"), Decimal("210.00"))
    assert payment.applied_to_txns == ()
    assert payment.payment_method_ref is not None
    assert payment.payment_method_ref.full_name == "Check"


def test_soap_item_inventory_empty_with_leading_whitespace() -> None:
    text = _soap_text(SOAP / "flowlink-item_inventory_query_rs_empty.xml", "response")
    assert text.startswith("\n")
    message = parse_response(text)
    assert _statuses(message) == [("ItemInventoryQueryRs", 1, Action.EMPTY)]


def test_soap_sales_order_invalid_reference_with_comment() -> None:
    text = _soap_text(SOAP / "flowlink-sales_order_add_rs_invalid_record_ref.xml", "response")
    message = parse_response(text)
    assert _statuses(message) == [("SalesOrderAddRs", 3140, Action.NOT_FOUND)]


def test_soap_multi_rs_message_set_keeps_order() -> None:
    message = parse_response(_soap_text(SOAP / "flowlink-sales_order_add_rs_raw.xml", "response"))
    assert _statuses(message) == [
        ("ItemInventoryQueryRs", 1, Action.EMPTY),
        ("ItemInventoryQueryRs", 1, Action.EMPTY),
        ("SalesOrderAddRs", 0, Action.OK),
        ("SalesOrderAddRs", 3140, Action.NOT_FOUND),
    ]
    (order,) = message.responses[2].records
    assert order.tag == "SalesOrderRet"  # type: ignore[union-attr]
    assert order.get("RefNumber") == "13"  # type: ignore[union-attr]
    assert message.responses[3].status_message is not None
    assert '"nononononoImNotThereAlrightDylan"' in message.responses[3].status_message


def test_hcp_from_first_send_request_xml() -> None:
    text = _soap_text(SESSION / "04-sendRequestXML-request.xml", "strHCPResponse")
    hcp = parse_hcp_response(text)
    assert hcp.supported_qbxml_versions == (
        "1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0",
    )
    assert hcp.country == "US"
    assert hcp.product_name == "QuickBooks Pro 2006"
    assert hcp.company_name == "Test Company"
    assert hcp.file_id == "{ee032e95-47f7-2564-096f-2d4545fcb021}"
    assert hcp.host is not None
    assert (hcp.host.major_version, hcp.host.minor_version) == ("16", "0")
    assert (hcp.host.is_automatic_login, hcp.host.qb_file_mode) == (False, "SingleUser")
    assert hcp.company is not None
    assert hcp.company.legal_company_name == "Test Company"
    assert [d.data_ext_name for d in hcp.company.data_ext] == ["AppLock", "FileID"]
    assert hcp.preferences is not None
    assert hcp.preferences.section("TimeTrackingPreferences") == (
        "TimeTrackingPreferences", (("FirstDayOfWeek", "Monday"),),
    )
    assert hcp.preferences.section("NoSuchPreferences") is None
    assert [rs.request_id for rs in hcp.message.responses] == ["0", "1", "2"]
    company_rs = hcp.message.by_request_id("1")
    assert company_rs is not None
    assert company_rs.tag == "CompanyQueryRs"
    assert hcp.message.by_request_id("9") is None


def test_customer_add_from_second_exchange() -> None:
    text = _soap_text(SESSION / "05-receiveResponseXML-request.xml", "response")
    (rs,) = parse_response(text).responses
    assert rs.request_id == "Q3VzdG9tZXJBZGR8MTU="
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert (customer.name, customer.middle_name, customer.salutation) == (
        "Shannon 171 Daniels", "R", "Mr.",
    )
    assert customer.ship_address is not None
    assert customer.ship_address.city == "Willington"
    assert customer.bill_address is None
