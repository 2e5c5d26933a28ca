"""Writes behave like QuickBooks: status codes, balances, deposits, deletes, voids, DataExt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qbwc_server.simulator.company import SimulatedCompany
from tests.qbxml_schema import assert_valid_qbxml
from tests.unit.simco import (
    add_customer_rq,
    applied,
    company,
    invoice_rq,
    line,
    msg,
    one,
    payment_rq,
    status,
)


@pytest.fixture
def co() -> SimulatedCompany:
    company_ = company()
    company_.add_customer("Acme")
    company_.add_invoice("Acme", [("Consulting", 2, "100")], ref_number="1001")
    company_.add_invoice("Acme", [("Hardware", 1, "250")], ref_number="1002")
    return company_


def test_customer_add_returns_ids_in_quickbooks_shape(co: SimulatedCompany) -> None:
    rs = one(co, add_customer_rq("Newco", "<ExternalGUID>{6B29FC40-CA47-1067-B31D-00DD010662DA}"
                                 "</ExternalGUID>"))
    assert status(rs) == 0
    ret = rs.find("CustomerRet")
    assert ret.findtext("ListID").startswith("8000")
    epoch = ret.findtext("ListID").split("-")[1]
    assert len(epoch) == 10
    assert epoch.isdigit()
    assert ret.findtext("EditSequence").isdigit()
    assert ret.findtext("TimeCreated").endswith("-05:00")
    assert ret.findtext("ExternalGUID") == "{6B29FC40-CA47-1067-B31D-00DD010662DA}"
    assert rs.findtext("ErrorRecovery/ListID") == ret.findtext("ListID")


def test_duplicate_name_is_3100(co: SimulatedCompany) -> None:
    rs = one(co, add_customer_rq("acme"))
    assert (status(rs), rs.get("statusSeverity")) == (3100, "Error")
    assert rs.find("CustomerRet") is None


def test_unknown_references_are_3140(co: SimulatedCompany) -> None:
    rs = one(co, invoice_rq("Nobody", "9", line("Consulting", "1", "1")))
    assert status(rs) == 3140
    assert 'Customer "Nobody" in the Invoice' in rs.get("statusMessage")
    rs = one(co, invoice_rq("Acme", "9", line("No Such Item", "1", "1")))
    assert status(rs) == 3140
    assert 'Item "No Such Item"' in rs.get("statusMessage")
    rs = one(co, payment_rq("Acme", "5.00", "<DepositToAccountRef><FullName>Nope</FullName>"
                            "</DepositToAccountRef><IsAutoApply>false</IsAutoApply>"))
    assert status(rs) == 3140


def test_mod_of_missing_object_is_3120_and_stale_edit_sequence_is_3200(
        co: SimulatedCompany) -> None:
    rs = one(co, "<CustomerModRq><CustomerMod><ListID>80000999-1234567890</ListID>"
                 "<EditSequence>1</EditSequence></CustomerMod></CustomerModRq>")
    assert status(rs) == 3120
    customer = co.customer("Acme")
    old = customer.edit_sequence
    mod = ("<CustomerModRq><CustomerMod><ListID>{}</ListID><EditSequence>{}</EditSequence>"
           "<Phone>555-0100</Phone></CustomerMod></CustomerModRq>")
    ok = one(co, mod.format(customer.list_id, old))
    assert status(ok) == 0
    assert ok.findtext("CustomerRet/EditSequence") != old
    assert ok.findtext("CustomerRet/Phone") == "555-0100"
    stale = one(co, mod.format(customer.list_id, old))
    assert status(stale) == 3200
    rs = one(co, "<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>FFFF-1234567890</TxnID>"
                 "</TxnDelRq>")
    assert status(rs) == 3120


def test_invoice_amounts_line_by_line(co: SimulatedCompany) -> None:
    lines = (line("Consulting", "3", "33.333") +
             "<InvoiceLineAdd><ItemRef><FullName>Shipping</FullName></ItemRef>"
             "<Amount>7.50</Amount></InvoiceLineAdd>"
             "<InvoiceLineAdd><ItemRef><FullName>Hardware</FullName></ItemRef>"
             "<Quantity>2</Quantity></InvoiceLineAdd>")
    rs = one(co, invoice_rq("Acme", "2001", lines))
    assert_valid_qbxml(co.process(msg("<InvoiceQueryRq><RefNumber>2001</RefNumber>"
                                      "<IncludeLineItems>true</IncludeLineItems>"
                                      "</InvoiceQueryRq>")))
    amounts = [ret.findtext("Amount") for ret in rs.iter("InvoiceLineRet")]
    assert amounts == ["100.00", "7.50", "500.00"]  # 99.999 rounds to cents; item price 250
    assert rs.findtext("InvoiceRet/Subtotal") == "607.50"
    assert rs.findtext("InvoiceRet/BalanceRemaining") == "607.50"
    assert len({ret.findtext("TxnLineID") for ret in rs.iter("InvoiceLineRet")}) == 3
    assert rs.find("InvoiceRet/ListID") is None


def test_payment_lowers_invoice_balance_and_marks_paid(co: SimulatedCompany) -> None:
    invoice = co.invoice("1001")
    before = invoice.edit_sequence
    rs = one(co, payment_rq("Acme", "200.00", applied(invoice.txn_id, "200.00")))
    assert status(rs) == 0
    assert rs.findtext("ReceivePaymentRet/AppliedToTxnRet/BalanceRemaining") == "0.00"
    assert rs.findtext("ReceivePaymentRet/DepositToAccountRef/FullName") == "Undeposited Funds"
    assert co.invoice_balance("1001") == Decimal("0.00")
    assert invoice.edit_sequence != before
    query = one(co, "<InvoiceQueryRq><RefNumber>1001</RefNumber></InvoiceQueryRq>")
    assert query.findtext("InvoiceRet/IsPaid") == "true"
    assert query.findtext("InvoiceRet/AppliedAmount") == "-200.00"
    assert co.customer_balance("Acme") == Decimal("250.00")
    assert co.account_balance("Undeposited Funds") == Decimal("200.00")
    assert co.account_balance("Accounts Receivable") == Decimal("250.00")


def test_paying_more_than_due_is_3210(co: SimulatedCompany) -> None:
    invoice = co.invoice("1001")
    rs = one(co, payment_rq("Acme", "250.00", applied(invoice.txn_id, "250.00")))
    assert status(rs) == 3210
    assert rs.get("statusMessage").endswith("You cannot pay more than the amount due.")
    assert co.payments_of("Acme") == []


def test_unapplied_payment_leaves_credit(co: SimulatedCompany) -> None:
    rs = one(co, payment_rq("Acme", "75.00", "<IsAutoApply>false</IsAutoApply>"))
    assert rs.findtext("ReceivePaymentRet/UnusedPayment") == "75.00"
    assert co.customer_balance("Acme") == Decimal("375.00")  # 450 owed - 75 credit
    assert co.invoice_balance("1001") == Decimal("200.00")


def test_auto_apply_pays_oldest_first(co: SimulatedCompany) -> None:
    rs = one(co, payment_rq("Acme", "300.00", "<IsAutoApply>true</IsAutoApply>"))
    assert status(rs) == 0
    assert co.invoice_balance("1001") == Decimal("0.00")
    assert co.invoice_balance("1002") == Decimal("150.00")
    assert rs.findtext("ReceivePaymentRet/UnusedPayment") == "0.00"


def test_deposit_moves_payments_from_undeposited_funds_to_bank(co: SimulatedCompany) -> None:
    payment = co.receive_payment("Acme", "200.00", apply_to={"1001": "200.00"})
    deposit_rq = ("<DepositAddRq><DepositAdd><DepositToAccountRef><FullName>Checking</FullName>"
                  f"</DepositToAccountRef><DepositLineAdd><PaymentTxnID>{payment.txn_id}"
                  "</PaymentTxnID></DepositLineAdd></DepositAdd></DepositAddRq>")
    rs = one(co, deposit_rq)
    assert status(rs) == 0
    assert rs.findtext("DepositRet/DepositTotal") == "200.00"
    assert co.account_balance("Undeposited Funds") == Decimal("0.00")
    assert co.account_balance("Checking") == Decimal("200.00")
    again = one(co, deposit_rq)
    assert status(again) == 3210
    assert co.account_balance("Checking") == Decimal("200.00")


def test_deleting_a_payment_restores_balances_and_is_reported(co: SimulatedCompany) -> None:
    payment = co.receive_payment("Acme", "200.00", apply_to={"1001": "200.00"})
    rs = one(co, "<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType>"
                 f"<TxnID>{payment.txn_id}</TxnID></TxnDelRq>")
    assert status(rs) == 0
    assert rs.findtext("TxnID") == payment.txn_id
    assert co.invoice_balance("1001") == Decimal("200.00")
    deleted = one(co, "<TxnDeletedQueryRq><TxnDelType>ReceivePayment</TxnDelType>"
                      "</TxnDeletedQueryRq>")
    assert deleted.findtext("TxnDeletedRet/TxnID") == payment.txn_id
    assert deleted.findtext("TxnDeletedRet/TimeDeleted")
    none = one(co, "<TxnDeletedQueryRq><TxnDelType>Invoice</TxnDelType></TxnDeletedQueryRq>")
    assert status(none) == 1


def test_list_delete_and_list_deleted_query(co: SimulatedCompany) -> None:
    unused = co.add_customer("Unused")
    rs = one(co, f"<ListDelRq><ListDelType>Customer</ListDelType><ListID>{unused.list_id}"
                 "</ListID></ListDelRq>")
    assert (status(rs), rs.findtext("FullName")) == (0, "Unused")
    in_use = one(co, f"<ListDelRq><ListDelType>Customer</ListDelType>"
                     f"<ListID>{co.customer('Acme').list_id}</ListID></ListDelRq>")
    assert status(in_use) >= 3100
    deleted = one(co, "<ListDeletedQueryRq><ListDelType>Customer</ListDelType>"
                      "</ListDeletedQueryRq>")
    assert deleted.findtext("ListDeletedRet/FullName") == "Unused"


def test_void_zeroes_amounts_and_frees_payments(co: SimulatedCompany) -> None:
    payment = co.receive_payment("Acme", "100.00", apply_to={"1001": "100.00"})
    invoice = co.invoice("1001")
    rs = one(co, f"<TxnVoidRq><TxnVoidType>Invoice</TxnVoidType><TxnID>{invoice.txn_id}"
                 "</TxnID></TxnVoidRq>")
    assert status(rs) == 0
    assert invoice.subtotal == Decimal("0.00")
    assert invoice.memo.startswith("VOID:")
    assert co.unused_payment(payment) == Decimal("100.00")
    assert co.customer_balance("Acme") == Decimal("150.00")  # 250 - 100 credit


def test_credit_memo_and_set_credit(co: SimulatedCompany) -> None:
    rs = one(co, "<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Acme</FullName>"
                 "</CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Consulting</FullName>"
                 "</ItemRef><Quantity>1</Quantity><Rate>50</Rate></CreditMemoLineAdd>"
                 "</CreditMemoAdd></CreditMemoAddRq>")
    credit_id = rs.findtext("CreditMemoRet/TxnID")
    assert rs.findtext("CreditMemoRet/CreditRemaining") == "50.00"
    assert co.customer_balance("Acme") == Decimal("400.00")
    invoice = co.invoice("1002")
    mod = one(co, f"<InvoiceModRq><InvoiceMod><TxnID>{invoice.txn_id}</TxnID>"
                  f"<EditSequence>{invoice.edit_sequence}</EditSequence><SetCredit>"
                  f"<CreditTxnID>{credit_id}</CreditTxnID><AppliedAmount>50.00</AppliedAmount>"
                  "</SetCredit></InvoiceMod></InvoiceModRq>")
    assert status(mod) == 0
    assert mod.findtext("InvoiceRet/BalanceRemaining") == "200.00"
    assert co.credit_memo(rs.findtext("CreditMemoRet/RefNumber")).txn_id == credit_id
    assert co.customer_balance("Acme") == Decimal("400.00")


def test_invoice_mod_replaces_lines(co: SimulatedCompany) -> None:
    invoice = co.invoice("1001")
    first = invoice.lines[0].txn_line_id
    rs = one(co, f"<InvoiceModRq><InvoiceMod><TxnID>{invoice.txn_id}</TxnID>"
                 f"<EditSequence>{invoice.edit_sequence}</EditSequence>"
                 f"<InvoiceLineMod><TxnLineID>{first}</TxnLineID><Quantity>3</Quantity>"
                 "</InvoiceLineMod><InvoiceLineMod><TxnLineID>-1</TxnLineID><ItemRef><FullName>"
                 "Shipping</FullName></ItemRef></InvoiceLineMod></InvoiceMod></InvoiceModRq>")
    assert status(rs) == 0
    assert rs.findtext("InvoiceRet/Subtotal") == "315.00"  # 3 x 100 + 15 shipping


def test_archive_customer_makes_jobs_inactive(co: SimulatedCompany) -> None:
    co.add_customer("Job", parent="Acme")
    customer = co.customer("Acme")
    rs = one(co, f"<CustomerModRq><CustomerMod><ListID>{customer.list_id}</ListID>"
                 f"<EditSequence>{customer.edit_sequence}</EditSequence>"
                 "<IsActive>false</IsActive></CustomerMod></CustomerModRq>")
    assert rs.findtext("CustomerRet/IsActive") == "false"
    assert co.customer("Acme:Job").is_active is False
    assert status(one(co, "<CustomerQueryRq/>")) == 1


def test_data_ext_def_and_duplicate_data_ext(co: SimulatedCompany) -> None:
    acme = co.customer("Acme").list_id
    owner = "{11111111-2222-3333-4444-555555555555}"
    rs = one(co, f"<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner}</OwnerID><DataExtName>"
                 "PlatformID</DataExtName><DataExtType>STR255TYPE</DataExtType>"
                 "<AssignToObject>Customer</AssignToObject></DataExtDefAdd></DataExtDefAddRq>")
    assert status(rs) == 0
    add = (f"<DataExtAddRq><DataExtAdd><OwnerID>{owner}</OwnerID><DataExtName>PlatformID"
           "</DataExtName><ListDataExtType>Customer</ListDataExtType><ListObjRef><ListID>"
           f"{acme}</ListID></ListObjRef><DataExtValue>cus_42</DataExtValue></DataExtAdd>"
           "</DataExtAddRq>")
    assert status(one(co, add)) == 0
    assert status(one(co, add)) == 3180
    rs = one(co, f"<CustomerQueryRq><ListID>{acme}</ListID><OwnerID>{owner}</OwnerID>"
                 "</CustomerQueryRq>")
    assert rs.findtext("CustomerRet/DataExtRet/DataExtValue") == "cus_42"


def test_direct_edits_bump_time_modified_and_edit_sequence(co: SimulatedCompany) -> None:
    customer = co.customer("Acme")
    stamps = (customer.time_modified, customer.edit_sequence)
    co.modify_customer("Acme", Email="a@acme.test")
    assert customer.time_modified > stamps[0]
    assert customer.edit_sequence != stamps[1]
