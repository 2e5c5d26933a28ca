"""Typed records built from synthetic responses: every Ret kind, lines, bodies, leniency."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

import pytest
from lxml import etree

from qbxml.errors import QbxmlParseError
from qbxml.responses import (
    Address,
    CompanyRet,
    CreditMemoLineGroupRet,
    CreditMemoLineRet,
    CreditMemoRet,
    CustomerRet,
    DataExtDefRet,
    DataExtRet,
    DepositRet,
    ErrorRecovery,
    EstimateLineGroupRet,
    EstimateLineRet,
    EstimateRet,
    GenericRet,
    HostCompanyPreferences,
    InvoiceLineGroupRet,
    InvoiceLineRet,
    InvoiceRet,
    ItemKind,
    ItemRet,
    ListDeletedRet,
    ListDelResult,
    QbDateTime,
    Record,
    Ref,
    Rs,
    TxnDeletedRet,
    TxnDelResult,
    parse_hcp_response,
    parse_response,
)
from qbxml.responses.base import many, one, to_datetime, to_money, xml_record, xml_tuple
from qbxml.schema import load_schema


def _doc(body: str, msgs_attrs: str = "") -> str:
    return f'<?xml version="1.0" ?><QBXML><QBXMLMsgsRs{msgs_attrs}>{body}</QBXMLMsgsRs></QBXML>'


def _only(body: str) -> Rs:
    (rs,) = parse_response(_doc(body)).responses
    return rs


OK = 'statusCode="0" statusSeverity="Info" statusMessage="Status OK"'


def test_customer_job_with_parent_custom_fields_and_unknown_children() -> None:
    rs = _only(
        f'<CustomerQueryRs requestID="7" {OK} retCount="1"><CustomerRet>'
        "<ListID>80-1</ListID><TimeModified>2024-03-10T02:30:00</TimeModified>"
        "<Name>Job A</Name><FullName>Acme:Job A</FullName><IsActive>false</IsActive>"
        "<ParentRef><ListID>70-1</ListID><FullName>Acme</FullName></ParentRef>"
        "<Sublevel>1</Sublevel>"
        "<ShipToAddress><Name>Dock</Name><City>Lyon</City><DefaultShipTo>true</DefaultShipTo>"
        "</ShipToAddress><ShipToAddress><Name>Shop</Name></ShipToAddress>"
        "<Balance>-12.50</Balance><TotalBalance>1234567890123.99</TotalBalance>"
        "<JobStartDate>2024-01-31</JobStartDate><Notes/>"
        "<ExternalGUID>{0b5c9b0e-1111-2222-3333-444455556666}</ExternalGUID>"
        "<SomethingNew><Deep>1</Deep></SomethingNew><Leaf>x</Leaf>"
        "<DataExtRet><OwnerID>0</OwnerID><DataExtName>Tier</DataExtName>"
        "<DataExtType>STR255TYPE</DataExtType><DataExtValue>Gold</DataExtValue></DataExtRet>"
        "</CustomerRet></CustomerQueryRs>"
    )
    assert (rs.request_id, rs.ret_count, rs.iterator_remaining_count) == ("7", 1, None)
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert customer.parent_ref == Ref(list_id="70-1", full_name="Acme")
    assert (customer.sublevel, customer.is_active, customer.full_name) == (1, False, "Acme:Job A")
    # No offset: naive datetime, text kept as sent.
    assert customer.time_modified == QbDateTime(
        value=datetime(2024, 3, 10, 2, 30), text="2024-03-10T02:30:00"
    )
    assert customer.time_created is None
    assert customer.ship_to_addresses == (
        Address(name="Dock", city="Lyon", default_ship_to=True),
        Address(name="Shop"),
    )
    assert customer.balance == Decimal("-12.50")
    assert customer.total_balance == Decimal("1234567890123.99")
    assert customer.job_start_date == date(2024, 1, 31)
    assert customer.notes is None  # empty element
    assert customer.external_guid == "{0b5c9b0e-1111-2222-3333-444455556666}"
    assert customer.data_ext == (
        DataExtRet(owner_id="0", data_ext_name="Tier", data_ext_type="STR255TYPE",
                   data_ext_value="Gold"),
    )
    assert customer.extra == (("SomethingNew", (("Deep", "1"),)), ("Leaf", "x"))


def test_from_element_matches_the_keyword_constructor() -> None:
    element = etree.fromstring(
        "<CustomerRet><ListID>1</ListID><Name>A</Name><Balance>1.00</Balance></CustomerRet>"
    )
    built = CustomerRet.from_element(element)
    assert built == CustomerRet(list_id="1", name="A", balance=Decimal("1.00"))
    assert hash(built) == hash(CustomerRet(list_id="1", name="A", balance=Decimal("1.00")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.name = "B"  # type: ignore[misc]


def test_refs_addresses_and_stamps_are_immutable_named_tuples() -> None:
    ref = Ref.from_element(
        etree.fromstring("<ItemRef><ListID>1</ListID><FullName>Svc</FullName><X>y</X></ItemRef>")
    )
    assert (ref.list_id, ref.full_name, ref.extra) == ("1", "Svc", (("X", "y"),))
    assert ref == Ref(list_id="1", full_name="Svc", extra=(("X", "y"),))
    assert hash(Ref(full_name="A")) == hash(Ref(full_name="A"))
    assert repr(Ref(full_name="A")) == "Ref(list_id=None, full_name='A', extra=())"
    # Documented trade-off of named tuples: they also equal the plain tuple of their values.
    assert Ref(full_name="A") == (None, "A", ())
    address = Address.from_element(
        etree.fromstring("<BillAddress><City>Lyon</City><DefaultShipTo>true</DefaultShipTo>"
                         "</BillAddress>")
    )
    assert address == Address(city="Lyon", default_ship_to=True)
    stamp = to_datetime("2024-03-10T02:30:00+01:00")
    assert (stamp.text, stamp.local_text, stamp.value.utcoffset() is not None) == (
        "2024-03-10T02:30:00+01:00", "2024-03-10T02:30:00", True)
    for record, field in ((ref, "list_id"), (address, "city"), (stamp, "text")):
        with pytest.raises(AttributeError):
            setattr(record, field, "changed")


@pytest.mark.parametrize("text", ["garbage", "2026-02-30T10:00:00-05:00"],
                         ids=["not-a-date", "no-such-day"])
def test_a_damaged_date_time_is_kept_as_text_not_fatal(text: str) -> None:
    rs = _only(
        f'<CustomerQueryRs requestID="7" {OK}><CustomerRet><ListID>80-1</ListID>'
        f"<TimeCreated/><TimeModified>{text}</TimeModified><Name>Odd</Name></CustomerRet>"
        f"<CustomerRet><ListID>80-2</ListID><Name>Fine</Name></CustomerRet></CustomerQueryRs>"
    )
    odd, fine = rs.records
    assert isinstance(odd, CustomerRet)
    assert isinstance(fine, CustomerRet)
    assert (odd.name, odd.time_modified, fine.name) == ("Odd", QbDateTime(None, text), "Fine")
    assert odd.time_created is None  # empty: unknown, as before
    assert to_datetime(text) == QbDateTime(None, text)


def test_invoice_lines_groups_and_links_in_order() -> None:
    rs = _only(
        f"<InvoiceQueryRs {OK}><InvoiceRet><TxnID>T-1</TxnID><TxnDate>2024-02-01</TxnDate>"
        "<CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<BillAddress><Addr1>1 Rue</Addr1></BillAddress>"
        "<IsFinanceCharge>false</IsFinanceCharge><AppliedAmount>-10.00</AppliedAmount>"
        "<BalanceRemaining>20.00</BalanceRemaining><IsPaid>false</IsPaid>"
        "<LinkedTxn><TxnID>P-1</TxnID><TxnType>ReceivePayment</TxnType>"
        "<TxnDate>2024-02-03</TxnDate><LinkType>AMTTYPE</LinkType><Amount>-10.00</Amount>"
        "</LinkedTxn>"
        "<InvoiceLineRet><TxnLineID>L-1</TxnLineID><ItemRef><FullName>Svc</FullName></ItemRef>"
        "<Quantity>1.5</Quantity><Rate>10.00</Rate><Amount>15.00</Amount>"
        "<ServiceDate>2024-01-15</ServiceDate><IsTaxable>true</IsTaxable></InvoiceLineRet>"
        "<InvoiceLineGroupRet><TxnLineID>G-1</TxnLineID>"
        "<ItemGroupRef><FullName>Kit</FullName></ItemGroupRef><TotalAmount>15.00</TotalAmount>"
        "<InvoiceLineRet><TxnLineID>G-1a</TxnLineID><Amount>5.00</Amount></InvoiceLineRet>"
        "<InvoiceLineRet><TxnLineID>G-1b</TxnLineID><Amount>10.00</Amount></InvoiceLineRet>"
        "</InvoiceLineGroupRet>"
        "<InvoiceLineRet><TxnLineID>L-2</TxnLineID><RatePercent>-5.0</RatePercent>"
        "</InvoiceLineRet></InvoiceRet></InvoiceQueryRs>"
    )
    (invoice,) = rs.records
    assert isinstance(invoice, InvoiceRet)
    assert (invoice.applied_amount, invoice.balance_remaining) == (
        Decimal("-10.00"), Decimal("20.00"),
    )
    (link,) = invoice.linked_txns
    assert (link.txn_id, link.txn_date, link.amount) == ("P-1", date(2024, 2, 3), Decimal("-10.00"))
    first, group, last = invoice.lines
    assert isinstance(first, InvoiceLineRet)
    assert (first.quantity, first.service_date, first.is_taxable) == (
        Decimal("1.5"), date(2024, 1, 15), True,
    )
    assert isinstance(group, InvoiceLineGroupRet)
    assert group.item_group_ref == Ref(full_name="Kit")
    assert [line.txn_line_id for line in group.lines] == ["G-1a", "G-1b"]
    assert all(isinstance(line, InvoiceLineRet) for line in group.lines)
    assert isinstance(last, InvoiceLineRet)
    assert last.rate_percent == Decimal("-5.0")


def test_estimate_and_credit_memo() -> None:
    message = parse_response(_doc(
        f"<EstimateAddRs {OK}><EstimateRet><TxnID>E-1</TxnID><IsActive>true</IsActive>"
        "<TotalAmount>30.00</TotalAmount>"
        "<EstimateLineRet><MarkupRate>2.5</MarkupRate></EstimateLineRet>"
        "<EstimateLineGroupRet><EstimateLineRet><Amount>1.00</Amount></EstimateLineRet>"
        "</EstimateLineGroupRet></EstimateRet></EstimateAddRs>"
        f"<CreditMemoAddRs {OK}><CreditMemoRet><TxnID>C-1</TxnID>"
        "<CreditRemaining>4.00</CreditRemaining>"
        "<CreditMemoLineRet><Amount>4.00</Amount></CreditMemoLineRet>"
        "<CreditMemoLineGroupRet><CreditMemoLineRet><Amount>0.00</Amount></CreditMemoLineRet>"
        "</CreditMemoLineGroupRet></CreditMemoRet></CreditMemoAddRs>"
    ))
    (estimate,), (memo,) = (rs.records for rs in message.responses)
    assert isinstance(estimate, EstimateRet)
    assert (estimate.is_active, estimate.total_amount) == (True, Decimal("30.00"))
    line, group = estimate.lines
    assert isinstance(line, EstimateLineRet)
    assert line.markup_rate == Decimal("2.5")
    assert isinstance(group, EstimateLineGroupRet)
    assert isinstance(group.lines[0], EstimateLineRet)
    assert isinstance(memo, CreditMemoRet)
    assert memo.credit_remaining == Decimal("4.00")
    line, group = memo.lines
    assert isinstance(line, CreditMemoLineRet)
    assert isinstance(group, CreditMemoLineGroupRet)
    assert isinstance(group.lines[0], CreditMemoLineRet)


def test_deposit_with_lines() -> None:
    rs = _only(
        f"<DepositAddRs {OK}><DepositRet><TxnID>D-1</TxnID>"
        "<DepositToAccountRef><FullName>Checking</FullName></DepositToAccountRef>"
        "<DepositTotal>300.00</DepositTotal>"
        "<CashBackInfoRet><Amount>0.00</Amount></CashBackInfoRet>"
        "<DepositLineRet><TxnType>ReceivePayment</TxnType><TxnID>P-1</TxnID>"
        "<Amount>100.00</Amount></DepositLineRet>"
        "<DepositLineRet><EntityRef><FullName>Acme</FullName></EntityRef>"
        "<AccountRef><FullName>Income</FullName></AccountRef><CheckNumber>12</CheckNumber>"
        "<Amount>200.00</Amount></DepositLineRet></DepositRet></DepositAddRs>"
    )
    (deposit,) = rs.records
    assert isinstance(deposit, DepositRet)
    assert deposit.deposit_total == Decimal("300.00")
    assert deposit.cash_back_info == (("Amount", "0.00"),)
    paid, direct = deposit.lines
    assert (paid.txn_type, paid.txn_id, paid.amount) == ("ReceivePayment", "P-1", Decimal("100"))
    assert (direct.entity_ref, direct.check_number) == (Ref(full_name="Acme"), "12")


@pytest.mark.parametrize("kind", list(ItemKind))
def test_every_item_kind(kind: ItemKind) -> None:
    rs = _only(
        f"<ItemQueryRs {OK}><{kind.tag}><ListID>I-1</ListID><Name>Thing</Name>"
        f"<SalesPrice>9.99</SalesPrice></{kind.tag}></ItemQueryRs>"
    )
    (item,) = rs.records
    assert isinstance(item, ItemRet)
    assert (item.kind, item.name, item.sales_price) == (kind, "Thing", Decimal("9.99"))


@pytest.mark.parametrize("kind", list(ItemKind))
def test_every_item_kind_has_its_list_del_type(kind: ItemKind) -> None:
    valid = load_schema().field("ListDeletedQueryRq/ListDelType").values
    assert kind.list_del_type in valid
    assert kind.tag == f"{kind.list_del_type}Ret"


def test_item_pricing_blocks_and_group_lines() -> None:
    message = parse_response(_doc(
        f"<ItemQueryRs {OK}>"
        "<ItemServiceRet><Name>Hour</Name><SalesOrPurchase><Desc>Work</Desc>"
        "<Price>80.00</Price><AccountRef><FullName>Services</FullName></AccountRef>"
        "</SalesOrPurchase></ItemServiceRet>"
        "<ItemNonInventoryRet><SalesAndPurchase><SalesPrice>5.00</SalesPrice>"
        "<PurchaseCost>2.00</PurchaseCost></SalesAndPurchase></ItemNonInventoryRet>"
        "<ItemGroupRet><Name>Kit</Name><ItemGroupLine><ItemRef><FullName>Hour</FullName>"
        "</ItemRef><Quantity>2</Quantity></ItemGroupLine></ItemGroupRet>"
        "</ItemQueryRs>"
    ))
    service, non_inventory, group = message.responses[0].records
    assert isinstance(service, ItemRet)
    assert service.sales_or_purchase is not None
    assert service.sales_or_purchase.price == Decimal("80.00")
    assert isinstance(non_inventory, ItemRet)
    assert non_inventory.sales_and_purchase is not None
    assert non_inventory.sales_and_purchase.purchase_cost == Decimal("2.00")
    assert isinstance(group, ItemRet)
    assert group.kind is ItemKind.GROUP
    assert group.group_lines[0].quantity == Decimal("2")


def test_deleted_object_queries() -> None:
    message = parse_response(_doc(
        f"<TxnDeletedQueryRs {OK}><TxnDeletedRet><TxnDelType>Invoice</TxnDelType>"
        "<TxnID>T-9</TxnID><TimeDeleted>2024-05-01T10:00:00+02:00</TimeDeleted>"
        "<RefNumber>1001</RefNumber></TxnDeletedRet></TxnDeletedQueryRs>"
        f"<ListDeletedQueryRs {OK}><ListDeletedRet><ListDelType>Customer</ListDelType>"
        "<ListID>L-9</ListID><FullName>Gone</FullName></ListDeletedRet></ListDeletedQueryRs>"
    ))
    (txn,), (lst,) = (rs.records for rs in message.responses)
    assert isinstance(txn, TxnDeletedRet)
    assert (txn.txn_del_type, txn.ref_number) == ("Invoice", "1001")
    assert txn.time_deleted is not None
    assert txn.time_deleted.value.utcoffset() is not None
    assert txn.time_deleted.local_text == "2024-05-01T10:00:00"
    assert isinstance(lst, ListDeletedRet)
    assert (lst.list_del_type, lst.full_name) == ("Customer", "Gone")


def test_del_rs_bodies_and_error_recovery() -> None:
    message = parse_response(_doc(
        f'<TxnDelRs requestID="1" {OK}><TxnDelType>Invoice</TxnDelType><TxnID>T-1</TxnID>'
        "<TimeDeleted>2024-05-01T10:00:00-05:00</TimeDeleted><RefNumber>7</RefNumber>"
        "<ErrorRecovery><TxnID>T-1</TxnID></ErrorRecovery></TxnDelRs>"
        f'<ListDelRs requestID="2" {OK}><ListDelType>Customer</ListDelType>'
        "<ListID>L-1</ListID><FullName>Old</FullName></ListDelRs>"
        f'<TxnVoidRs requestID="3" {OK}><TxnVoidType>Check</TxnVoidType>'
        "<TxnID>V-1</TxnID></TxnVoidRs>"
    ))
    txn_del, list_del, void = message.responses
    recovery, body = txn_del.records
    assert recovery == ErrorRecovery(txn_id="T-1")
    assert txn_del.error_recovery == recovery
    assert isinstance(body, TxnDelResult)
    assert (body.txn_del_type, body.txn_id, body.ref_number) == ("Invoice", "T-1", "7")
    assert list_del.records == (ListDelResult(list_del_type="Customer", list_id="L-1",
                                              full_name="Old"),)
    assert list_del.error_recovery is None
    assert void.records == (
        GenericRet(tag="TxnVoidRs", fields=(("TxnVoidType", "Check"), ("TxnID", "V-1"))),
    )


def test_an_empty_error_recovery_is_still_error_recovery() -> None:
    rs = _only(
        f"<CustomerAddRs {OK}><CustomerRet><Name>A</Name></CustomerRet><ErrorRecovery/>"
        "</CustomerAddRs>"
    )
    assert rs.error_recovery == ErrorRecovery()
    assert len(rs.records) == 2


def test_data_ext_add_and_def_query() -> None:
    message = parse_response(_doc(
        f"<DataExtAddRs {OK}><DataExtRet><OwnerID>0</OwnerID><DataExtName>Tier</DataExtName>"
        "<DataExtValue>Gold</DataExtValue></DataExtRet>"
        "<ErrorRecovery><ListID>80-1</ListID><OwnerID>0</OwnerID></ErrorRecovery></DataExtAddRs>"
        f'<DataExtDefQueryRs {OK} retCount="1"><DataExtDefRet><OwnerID>0</OwnerID>'
        "<DataExtID>3</DataExtID><DataExtName>Tier</DataExtName>"
        "<DataExtType>STR255TYPE</DataExtType><AssignToObject>Customer</AssignToObject>"
        "<AssignToObject>Invoice</AssignToObject><DataExtListRequire>false</DataExtListRequire>"
        "</DataExtDefRet></DataExtDefQueryRs>"
    ))
    add, definition = message.responses
    data_ext, recovery = add.records
    assert isinstance(data_ext, DataExtRet)
    assert data_ext.data_ext_value == "Gold"
    assert recovery == ErrorRecovery(list_id="80-1", owner_id="0")
    (ext_def,) = definition.records
    assert isinstance(ext_def, DataExtDefRet)
    assert (ext_def.data_ext_id, ext_def.assign_to_objects, ext_def.data_ext_list_require) == (
        3, ("Customer", "Invoice"), False,
    )


def test_unknown_ret_kinds_keep_document_order_around_typed_ones() -> None:
    rs = _only(
        f"<CustomerQueryRs {OK}><FutureRet><A>1</A></FutureRet>"
        "<CustomerRet><Name>One</Name></CustomerRet>"
        "<FutureRet><A>2</A></FutureRet>"
        "<CustomerRet><Name>Two</Name></CustomerRet>"
        "<FutureRet><A>3</A></FutureRet></CustomerQueryRs>"
    )
    labels = [
        r.name if isinstance(r, CustomerRet) else r.get("A")  # type: ignore[union-attr]
        for r in rs.records
    ]
    assert labels == ["1", "One", "2", "Two", "3"]
    generic = rs.records[0]
    assert isinstance(generic, GenericRet)
    assert generic.xml == "<FutureRet><A>1</A></FutureRet>"
    assert generic.get("Missing") is None


def test_message_set_attributes_and_rs_without_records_between_streamed_ones() -> None:
    message = parse_response(_doc(
        f'<CustomerQueryRs requestID="a" {OK}><CustomerRet><Name>A</Name></CustomerRet>'
        "</CustomerQueryRs>"
        '<AccountQueryRs requestID="b" statusCode="1" statusSeverity="Info"/>'
        '<VendorQueryRs requestID="c" statusCode="1" statusSeverity="Info"/>'
        f'<CustomerQueryRs requestID="d" {OK}><CustomerRet><Name>D</Name></CustomerRet>'
        "</CustomerQueryRs>"
        '<ItemQueryRs requestID="e" statusCode="1" statusSeverity="Info"/>',
        msgs_attrs=' newMessageSetID="set-2" messageSetStatusCode="600"',
    ))
    assert [rs.request_id for rs in message.responses] == ["a", "b", "c", "d", "e"]
    assert [len(rs.records) for rs in message.responses] == [1, 0, 0, 1, 0]
    assert (message.new_message_set_id, message.message_set_status_code) == ("set-2", 600)


def test_message_without_records_keeps_message_set_attributes() -> None:
    message = parse_response(_doc(
        '<CustomerQueryRs statusCode="1" statusSeverity="Info"/>',
        msgs_attrs=' newMessageSetID="x"',
    ))
    assert message.new_message_set_id == "x"
    assert message.message_set_status_code is None


@pytest.mark.parametrize(
    ("document", "count"),
    [
        # QBXMLMsgsRs as the root, without the QBXML wrapper
        (f"<QBXMLMsgsRs><CustomerQueryRs {OK}><CustomerRet/></CustomerQueryRs></QBXMLMsgsRs>", 1),
        # a bare Rs with a record (the 3180 sample is the record-less variant)
        (f"<CustomerAddRs {OK}><CustomerRet><DataExtRet/></CustomerRet></CustomerAddRs>", 1),
        # QBXML with only sign-on messages: no request answers
        ("<QBXML><SignonMsgsRs><SignonAppCertRs statusCode='0'/></SignonMsgsRs></QBXML>", 0),
        # a message set that is not where qbXML puts it answers no request either
        (f"<QBXML><Wrap><QBXMLMsgsRs><CustomerQueryRs {OK}><CustomerRet/></CustomerQueryRs>"
         "</QBXMLMsgsRs></Wrap></QBXML>", 0),
    ],
)
def test_lenient_document_shapes(document: str, count: int) -> None:
    message = parse_response(document)
    assert sum(len(rs.records) for rs in message.responses) == count
    assert message.new_message_set_id is None


def test_rets_outside_an_rs_are_ignored() -> None:
    message = parse_response(
        f"<QBXML><Other><CustomerRet/></Other><QBXMLMsgsRs><HostQueryRs {OK}/></QBXMLMsgsRs>"
        "</QBXML>"
    )
    assert [(rs.tag, rs.records) for rs in message.responses] == [("HostQueryRs", ())]


@pytest.mark.parametrize(
    "document",
    [
        "<CustomerRet><Name>A</Name></CustomerRet>",
        "<Envelope><Body/></Envelope>",
        "<Wrapper><CustomerRet/></Wrapper>",
    ],
)
def test_not_a_qbxml_response(document: str) -> None:
    with pytest.raises(QbxmlParseError, match="is not a qbXML response"):
        parse_response(document)


@pytest.mark.parametrize(
    "ret",
    [
        "<CustomerRet><Balance>12,50</Balance></CustomerRet>",
        "<CustomerRet><Sublevel>one</Sublevel></CustomerRet>",
        "<CustomerRet><JobEndDate>2024-13-01</JobEndDate></CustomerRet>",
    ],
)
def test_malformed_values_raise_parse_error(ret: str) -> None:
    with pytest.raises(QbxmlParseError, match="invalid value") as caught:
        parse_response(_doc(f"<CustomerQueryRs {OK}>{ret}</CustomerQueryRs>"))
    assert isinstance(caught.value.__cause__, ValueError | ArithmeticError)


def test_bad_status_attributes() -> None:
    with pytest.raises(QbxmlParseError, match="has no statusCode"):
        parse_response(_doc("<CustomerQueryRs/>"))
    with pytest.raises(QbxmlParseError, match="not a whole number"):
        parse_response(_doc('<CustomerQueryRs statusCode="x"/>'))


def test_boolean_empty_and_unknown_text() -> None:
    rs = _only(
        f"<CustomerQueryRs {OK}><CustomerRet><IsActive/><IsStatementWithParent>1"
        "</IsStatementWithParent></CustomerRet></CustomerQueryRs>"
    )
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    assert (customer.is_active, customer.is_statement_with_parent) == (None, False)


def test_hcp_with_missing_parts() -> None:
    hcp = parse_hcp_response(_doc(
        '<HostQueryRs requestID="0" statusCode="1000" statusSeverity="Error"/>'
        f'<CompanyQueryRs requestID="1" {OK}><CompanyRet><CompanyName>X</CompanyName>'
        "</CompanyRet></CompanyQueryRs>"
    ))
    assert hcp.host is None
    assert (hcp.supported_qbxml_versions, hcp.country, hcp.product_name) == ((), None, None)
    assert (hcp.company_name, hcp.file_id) == ("X", None)
    assert isinstance(hcp.company, CompanyRet)
    assert hcp.preferences is None
    empty = HostCompanyPreferences()
    assert (empty.company_name, empty.file_id, empty.message.responses) == (None, None, ())


def test_record_class_checks() -> None:
    class Missing(Record):
        pass

    with pytest.raises(TypeError, match="needs a default"):
        @xml_record
        @dataclasses.dataclass(frozen=True, kw_only=True)
        class NoDefault(Record):
            name: str

    with pytest.raises(TypeError, match="unknown fields"):
        @xml_record
        @dataclasses.dataclass(frozen=True, kw_only=True)
        class Typo(Record):
            _XML = {"Name": one("nmae")}
            name: str | None = None

    with pytest.raises(TypeError, match="many\\(\\) takes text or a record class"):
        @xml_record
        @dataclasses.dataclass(frozen=True, kw_only=True)
        class Amounts(Record):
            _XML = {"Amount": many("amounts", to_money)}
            amounts: tuple[Decimal, ...] = ()
    assert Missing.from_element(etree.fromstring("<M><X>1</X></M>")).extra == (("X", "1"),)

    class NoExtra(NamedTuple):
        name: str | None = None

    class Required(NamedTuple):
        name: str
        extra: tuple[object, ...] = ()

    for shape in (NoExtra, Required):
        with pytest.raises(TypeError, match="every field needs a default, extra comes last"):
            xml_tuple({"Name": one("name")})(shape)
