"""From-Ret mapping on the real captures under tests/fixtures (qbXML responses and SOAP bodies)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lxml import etree

from mappers import Account, AccountKind, Address, Customer, EntityRef, Invoice, Payment
from qbxml import parse_response
from qbxml.responses import AccountRet, CustomerRet, InvoiceRet, ReceivePaymentRet
from tests.paths import CAPTURE, SAMPLES

RESPONSES = SAMPLES / "qbxml-responses"
SOAP = SAMPLES / "soap-receiveResponseXML"
SESSION = CAPTURE
INTUIT = "{http://developer.intuit.com/}"
CDT = dt.timezone(dt.timedelta(hours=-5))


def _soap_response(path: Path) -> str:
    """The qbXML inside a receiveResponseXML ``<response>`` (escaped text)."""
    found = etree.fromstring(path.read_bytes()).find(f".//{INTUIT}response")
    assert found is not None
    assert found.text is not None
    return found.text


def _records(source: str | bytes) -> list[object]:
    return [record for rs in parse_response(source).responses for record in rs.records]


def test_customer_query_sample() -> None:
    (ret,) = _records((RESPONSES / "qbxml-gem-customer_query_rs.xml").read_bytes())
    assert isinstance(ret, CustomerRet)
    customer = Customer.from_qbxml(ret)
    address = Address(
        lines=("134 Stonemill Road", "Suite D"), city="Storrs", region="CT",
        postal_code="06268", country="USA",
    )
    assert customer == Customer(
        external_id=None,
        qb_id="10006-1211236622",
        qb_version="1213155356",
        name="Keith Palmer",
        path="Keith Palmer",
        first_name="Keith",
        last_name="Palmer",
        email="keith@uglyslug.com",
        phone="(860) 634-1602",
        bill_address=address,
        ship_address=address,
        is_active=True,
        balance=Decimal("250.00"),
        updated_at=dt.datetime(2008, 6, 10, 23, 35, 56, tzinfo=CDT),
        updated_at_text="2008-06-10T23:35:56-05:00",
    )


def test_customer_add_samples_keep_name_and_full_name_apart() -> None:
    (ret,) = _records((RESPONSES / "qbwc-gem-qbwc_customer_add_response_long.xml").read_bytes())
    assert isinstance(ret, CustomerRet)
    customer = Customer.from_qbxml(ret)
    assert (customer.name, customer.path, customer.company_name) == (
        "mrjoecustomer", "Joseph Customer", "Joes Garage",
    )
    assert customer.balance == Decimal("0.00")
    (ret,) = _records((RESPONSES / "qbxml-gem-customer_add_rs.xml").read_bytes())
    assert isinstance(ret, CustomerRet)
    customer = Customer.from_qbxml(ret)
    assert customer.bill_address is not None
    assert "123 XYZ Road" in customer.bill_address.lines


def test_customer_add_from_the_recorded_session() -> None:
    records = _records(_soap_response(SESSION / "05-receiveResponseXML-request.xml"))
    customers = [Customer.from_qbxml(r) for r in records if isinstance(r, CustomerRet)]
    assert customers
    assert all(c.qb_id and c.qb_version and c.name for c in customers)


def test_account_query_sample() -> None:
    rets = _records((RESPONSES / "qbxml-gem-account_query_rs.xml").read_bytes())
    accounts = [Account.from_qbxml(r) for r in rets if isinstance(r, AccountRet)]
    checking, receivable = accounts
    assert (checking.name, checking.kind, checking.raw_type) == (
        "Checking", AccountKind.BANK, "Bank",
    )
    assert receivable.kind is AccountKind.ACCOUNTS_RECEIVABLE
    assert receivable.number == "11000"
    assert not checking.is_undeposited_funds
    assert not receivable.is_undeposited_funds
    assert checking.ref == EntityRef(qb_id=checking.qb_id, name=checking.path)


def test_receive_payment_query_sample() -> None:
    (ret,) = _records((RESPONSES / "qbxml-gem-receive_payment_query_rs.xml").read_bytes())
    assert isinstance(ret, ReceivePaymentRet)
    payment = Payment.from_qbxml(ret)
    assert payment.qb_id == "2484-1263499231"
    assert payment.customer.name == "Greg F"
    assert (payment.amount, payment.date) == (Decimal("112.35"), dt.date(2009, 10, 2))
    (application,) = payment.applications
    assert application.invoice == EntityRef(qb_id="244B-1263497335", name="OP13988")
    assert application.amount == Decimal("112.35")


def test_soap_invoice_add_sample() -> None:
    (ret,) = _records(_soap_response(SOAP / "flowlink-invoice_add_rs.xml"))
    assert isinstance(ret, InvoiceRet)
    invoice = Invoice.from_qbxml(ret)
    assert invoice.number == "R1TT46883"
    assert invoice.customer.name == "spree@example.com"
    assert invoice.due_date == dt.date(2014, 2, 3)
    assert (invoice.open_balance, invoice.is_paid, invoice.status) == (
        Decimal("206.00"), False, "unpaid",
    )
    (line,) = invoice.lines
    assert line.item == EntityRef(qb_id=line.item.qb_id if line.item else None,
                                  name="SPREE-T-SHIRT")
    assert (line.quantity, line.rate, line.amount) == (Decimal("2"), Decimal("103.00"),
                                                      Decimal("206.00"))
    assert invoice.subtotal == Decimal("206.00")


def test_soap_receive_payment_add_sample_is_unapplied() -> None:
    (ret,) = _records(_soap_response(SOAP / "flowlink-receive_payment_add_rs.xml"))
    assert isinstance(ret, ReceivePaymentRet)
    payment = Payment.from_qbxml(ret)
    assert payment.applications == ()
    assert (payment.amount, payment.unapplied_amount, payment.method) == (
        Decimal("210.00"), Decimal("210.00"), "Check",
    )
