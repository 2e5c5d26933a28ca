"""Write builders: every request validates against the 13.0 XSD; missing fields are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

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
    MissingFieldError,
    Payment,
    PaymentApplication,
    credit_memo_add,
    customer_add,
    customer_archive,
    customer_mod,
    deposit_add,
    estimate_add,
    identity_guid,
    identity_marker,
    invoice_add,
    invoice_mod,
    payment_add,
    payment_reversal,
)
from qbxml import BuildPolicy, FieldTooLongError, Version, build_message
from tests.unit.mappers.helpers import message_xml

SCOPE = "FILE-1"
ACME = EntityRef(qb_id="8-0", name="Acme")
CUSTOMER = Customer(
    external_id="cus_1", qb_id="8-1", qb_version="42", name="Acme Ltd", company_name="Acme",
    first_name="Ada", last_name="Lovelace", email="a@example.com", phone="555-0100",
    bill_address=Address(lines=("1 Main St", "Floor 2"), city="Springfield", region="IL",
                         postal_code="62701", country="USA", note="Back door"),
    ship_address=Address(), parent=ACME,
)
LINES = (
    InvoiceLine(item=EntityRef(name="Hours"), description="Work", quantity=Decimal("2"),
                rate=Decimal("50.00"), tax_code=EntityRef(name="Non"),
                service_date=dt.date(2024, 1, 1), qb_line_id="L1"),
    InvoiceLine(item=EntityRef(name="Discount"), amount=Decimal("-10.00")),
)
INVOICE = Invoice(
    external_id="inv_1", qb_id="10-1", qb_version="3", customer=ACME, number="1001",
    txn_date=dt.date(2024, 1, 1), due_date=dt.date(2024, 1, 31), terms="Net 30", memo="Thanks",
    lines=LINES,
)
PAYMENT = Payment(
    external_id="pay_1", qb_id="20-1", customer=ACME, amount=Decimal("90.00"),
    date=dt.date(2024, 1, 5), method="Visa", reference="ch_3NvA", memo="Card",
    applications=(PaymentApplication(invoice=EntityRef(qb_id="10-1"), amount=Decimal("90.00")),),
    deposit_to=EntityRef(name="Stripe Clearing"),
)
DEPOSIT = Deposit(
    external_id="po_1", bank_account=EntityRef(name="Checking"), date=dt.date(2024, 1, 7),
    memo="Payout po_1",
    payments=(DepositedPayment(payment=EntityRef(qb_id="20-1")),
              DepositedPayment(payment=EntityRef(qb_id="20-2"), amount=Decimal("1.00"))),
)


def _body(xml: str, request: str) -> etree._Element:
    found = etree.fromstring(xml.encode()).find(f"QBXMLMsgsRq/{request}Rq/{request}")
    assert found is not None
    return found


def test_customer_add() -> None:
    body = _body(message_xml(customer_add(CUSTOMER, scope=SCOPE)), "CustomerAdd")
    assert body.findtext("Name") == "Acme Ltd"
    assert body.findtext("ParentRef/ListID") == "8-0"
    assert body.findtext("BillAddress/Addr2") == "Floor 2"
    assert body.findtext("BillAddress/State") == "IL"
    assert body.find("ShipAddress") is None  # an empty address is no address
    assert body.findtext("ExternalGUID") == identity_guid(SCOPE, "customer", "cus_1")


def test_customer_mod_and_archive() -> None:
    body = _body(message_xml(customer_mod(CUSTOMER)), "CustomerMod")
    assert (body.findtext("ListID"), body.findtext("EditSequence")) == ("8-1", "42")
    assert body.findtext("Email") == "a@example.com"
    archive = _body(message_xml(customer_archive(CUSTOMER)), "CustomerMod")
    assert [child.tag for child in archive] == ["ListID", "EditSequence", "IsActive"]
    assert archive.findtext("IsActive") == "false"


def test_invoice_add_and_mod() -> None:
    body = _body(message_xml(invoice_add(INVOICE, scope=SCOPE)), "InvoiceAdd")
    assert body.findtext("TermsRef/FullName") == "Net 30"
    assert body.findtext("Memo") == "Thanks"
    assert [line.findtext("Amount") for line in body.iter("InvoiceLineAdd")] == [None, "-10.00"]
    assert body.findtext("InvoiceLineAdd/SalesTaxCodeRef/FullName") == "Non"
    mod = _body(message_xml(invoice_mod(INVOICE)), "InvoiceMod")
    assert [line.findtext("TxnLineID") for line in mod.iter("InvoiceLineMod")] == ["L1", "-1"]


def test_memo_marker_for_old_versions() -> None:
    request = invoice_add(INVOICE, scope=SCOPE, memo_marker=True)
    marker = identity_marker(identity_guid(SCOPE, "invoice", "inv_1"))
    assert request.memo == f"Thanks {marker}"
    # qbXML 8.0 has no ExternalGUID on invoices: qbxml drops it, the marker stays.
    message = build_message({"1": request}, version=Version(8, 0),
                            policy=BuildPolicy(newer_fields="drop"))
    assert "ExternalGUID" not in message.xml
    assert marker in message.xml
    assert [w.kind for w in message.warnings] == ["dropped"]
    payment_marker = identity_marker(identity_guid(SCOPE, "payment", "pay_1"))
    assert payment_add(PAYMENT, scope=SCOPE, memo_marker=True).memo == f"Card {payment_marker}"


def test_estimate_and_credit_memo() -> None:
    estimate = Estimate(external_id="est_1", customer=ACME, lines=LINES, is_active=False,
                        due_date=dt.date(2024, 2, 1), memo="Quote")
    body = _body(message_xml(estimate_add(estimate, scope=SCOPE, memo_marker=True)),
                 "EstimateAdd")
    assert body.find("EstimateLineAdd/ServiceDate") is None  # estimates have none
    assert "[qbwc:" in (body.findtext("Memo") or "")
    memo = CreditMemo(external_id="cm_1", customer=ACME, lines=LINES[:1], number="CM1")
    body = _body(message_xml(credit_memo_add(memo, scope=SCOPE)), "CreditMemoAdd")
    assert body.findtext("CreditMemoLineAdd/ServiceDate") == "2024-01-01"


def test_payment_applied() -> None:
    body = _body(message_xml(payment_add(PAYMENT, scope=SCOPE)), "ReceivePaymentAdd")
    assert body.findtext("TotalAmount") == "90.00"
    assert body.findtext("RefNumber") == "ch_3NvA"
    assert body.findtext("PaymentMethodRef/FullName") == "Visa"
    assert body.findtext("DepositToAccountRef/FullName") == "Stripe Clearing"
    assert body.find("IsAutoApply") is None
    assert body.findtext("AppliedToTxnAdd/TxnID") == "10-1"
    assert body.findtext("AppliedToTxnAdd/PaymentAmount") == "90.00"


def test_payment_unapplied_to_undeposited_funds() -> None:
    payment = Payment(external_id="pay_2", customer=ACME, amount=Decimal("5.00"))
    body = _body(message_xml(payment_add(payment, scope=SCOPE, memo_marker=True)),
                 "ReceivePaymentAdd")
    assert body.findtext("IsAutoApply") == "false"
    assert body.find("DepositToAccountRef") is None  # QuickBooks' default: Undeposited Funds
    assert (body.findtext("Memo") or "").startswith("[qbwc:")


def test_payment_reference_length_is_qbxmls_policy() -> None:
    payment = Payment(external_id="pay_3", customer=ACME, amount=Decimal("5.00"),
                      reference="x" * 21)
    request = payment_add(payment, scope=SCOPE)
    with pytest.raises(FieldTooLongError):
        build_message({"1": request})
    cut = build_message({"1": request}, policy=BuildPolicy(too_long="truncate"))
    assert "<RefNumber>" + "x" * 20 + "</RefNumber>" in cut.xml


def test_payment_reversal_and_deposit() -> None:
    xml = message_xml(payment_reversal(PAYMENT))
    assert "<TxnDelType>ReceivePayment</TxnDelType>" in xml
    assert "<TxnID>20-1</TxnID>" in xml
    deposit = _body(message_xml(deposit_add(DEPOSIT, scope=SCOPE)), "DepositAdd")
    assert deposit.findtext("DepositToAccountRef/FullName") == "Checking"
    assert [line.findtext("PaymentTxnID") for line in deposit.iter("DepositLineAdd")] == [
        "20-1", "20-2",
    ]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        # No platform id: no identity, no Add.
        (lambda: customer_add(Customer(name="A"), scope=SCOPE), "Customer.external_id"),
        (lambda: invoice_add(Invoice(customer=ACME), scope=SCOPE), "Invoice.external_id"),
        # Modifications need QuickBooks' id and edit sequence.
        (lambda: customer_mod(Customer(name="A", qb_id="1")), "Customer.qb_version"),
        (lambda: customer_archive(Customer(name="A")), "Customer.qb_id"),
        (lambda: invoice_mod(Invoice(customer=ACME, qb_id="1")), "Invoice.qb_version"),
        (lambda: payment_reversal(Payment(customer=ACME, amount=Decimal(1))), "Payment.qb_id"),
        # QuickBooks wants lines on estimates and credit memos.
        (lambda: estimate_add(Estimate(external_id="e", customer=ACME), scope=SCOPE),
         "Estimate.lines"),
        (lambda: credit_memo_add(CreditMemo(external_id="c", customer=ACME), scope=SCOPE),
         "CreditMemo.lines"),
        # An application to an invoice not pushed yet.
        (lambda: payment_add(Payment(external_id="p", customer=ACME, amount=Decimal(1),
                                     applications=(PaymentApplication(
                                         invoice_external_id="inv_9", amount=Decimal(1)),)),
                             scope=SCOPE), "Payment.applications[0].invoice.qb_id"),
        # A deposit whose bank account was never resolved (the partner's is chosen first).
        (lambda: deposit_add(Deposit(external_id="d"), scope=SCOPE), "Deposit.bank_account"),
        # A deposit without payments, or of a payment not in QuickBooks.
        (lambda: deposit_add(Deposit(external_id="d", bank_account=ACME), scope=SCOPE),
         "Deposit.payments"),
        (lambda: deposit_add(Deposit(external_id="d", bank_account=ACME, payments=(
            DepositedPayment(payment=EntityRef(name="x")),)), scope=SCOPE),
         "Deposit.payments[0].payment.qb_id"),
    ],
)
def test_missing_fields_are_refused(build: object, field: str) -> None:
    with pytest.raises(MissingFieldError, match=field.replace("[", r"\[").replace("]", r"\]")):
        build()  # type: ignore[operator]
