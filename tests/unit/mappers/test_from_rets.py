"""From-Ret mapping on constructed Ret XML: the branches the real captures do not reach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mappers import (
    Account,
    AccountKind,
    CreditMemo,
    Customer,
    Deposit,
    DepositedPayment,
    EntityRef,
    Estimate,
    Invoice,
    InvoiceLine,
    Item,
    ItemType,
    LinkedTransaction,
    Payment,
    Tombstone,
    identity_guid,
    identity_marker,
)
from qbxml import parse_response
from qbxml.responses import ListDelResult, TxnDelResult
from tests.unit.mappers.helpers import parse_ret

GUID = identity_guid("FILE", "invoice", "inv_1")
UTC = dt.UTC


def test_job_with_parent_naive_time_and_known_guid() -> None:
    guid = identity_guid("FILE", "customer", "cus_9")
    ret = parse_ret(
        f"""<CustomerRet><ListID>8-1</ListID><TimeModified>2024-03-10T02:30:00</TimeModified>
        <EditSequence>7</EditSequence><Name>Roof</Name><FullName>Acme:Roof</FullName>
        <IsActive>false</IsActive><ParentRef><ListID>8-0</ListID><FullName>Acme</FullName>
        </ParentRef><ExternalGUID>{guid.lower()}</ExternalGUID></CustomerRet>"""
    )
    customer = Customer.from_qbxml(ret, known={guid: "cus_9"})  # type: ignore[arg-type]
    assert customer.external_id == "cus_9"
    assert (customer.name, customer.path, customer.is_active) == ("Roof", "Acme:Roof", False)
    assert customer.parent == EntityRef(qb_id="8-0", name="Acme")
    # No offset in the text: not an instant, but the text is kept for the next filter.
    assert (customer.updated_at, customer.updated_at_text) == (None, "2024-03-10T02:30:00")


def test_a_time_that_is_no_time_is_kept_as_text_only() -> None:
    ret = parse_ret("<CustomerRet><ListID>8-2</ListID><TimeModified>garbage</TimeModified>"
                    "<Name>Odd</Name></CustomerRet>")
    customer = Customer.from_qbxml(ret)  # type: ignore[arg-type]
    # The record is read; its time is left to the watermark checks, which report it.
    assert (customer.name, customer.updated_at, customer.updated_at_text) == (
        "Odd", None, "garbage")


def test_customer_without_name_or_time() -> None:
    customer = Customer.from_qbxml(parse_ret("<CustomerRet><ListID>1</ListID></CustomerRet>"))  # type: ignore[arg-type]
    assert (customer.name, customer.updated_at_text, customer.external_id) == ("", None, None)
    assert customer.is_active is True


INVOICE = """<InvoiceRet><TxnID>10-1</TxnID>
<TimeModified>2024-01-02T03:04:05+00:00</TimeModified><EditSequence>3</EditSequence>
<TxnDate>2024-01-01</TxnDate><RefNumber>1001</RefNumber>
<CustomerRef><ListID>8-0</ListID><FullName>Acme</FullName></CustomerRef>
<TermsRef><FullName>Net 30</FullName></TermsRef><DueDate>2024-01-31</DueDate>
<Subtotal>30.00</Subtotal><SalesTaxTotal>1.00</SalesTaxTotal>
<Memo>{memo}</Memo><ExternalGUID>{guid}</ExternalGUID>
<IsPaid>false</IsPaid><BalanceRemaining>{balance}</BalanceRemaining>
<LinkedTxn><TxnID>20-1</TxnID><TxnType>ReceivePayment</TxnType><TxnDate>2024-01-05</TxnDate>
<RefNumber>CHK9</RefNumber><LinkType>AMTTYPE</LinkType><Amount>-10.00</Amount></LinkedTxn>
<LinkedTxn><TxnID>21-1</TxnID><TxnType>CreditMemo</TxnType></LinkedTxn>
<InvoiceLineRet><TxnLineID>L1</TxnLineID><ItemRef><FullName>Svc</FullName></ItemRef>
<Desc>Work</Desc><Quantity>2</Quantity><Rate>10.00</Rate><Amount>20.00</Amount>
<ServiceDate>2023-12-31</ServiceDate><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>
</InvoiceLineRet>
<InvoiceLineGroupRet><TxnLineID>G1</TxnLineID><ItemGroupRef><FullName>Kit</FullName>
</ItemGroupRef><TotalAmount>10.00</TotalAmount>
<InvoiceLineRet><TxnLineID>G1a</TxnLineID><Desc>Part A</Desc><Amount>4.00</Amount>
</InvoiceLineRet>
<InvoiceLineRet><TxnLineID>G1b</TxnLineID><Desc>Part B</Desc><Amount>6.00</Amount>
</InvoiceLineRet></InvoiceLineGroupRet>
</InvoiceRet>"""


def _invoice(memo: str = "Thanks", guid: str = GUID, balance: str = "21.00") -> Invoice:
    ret = parse_ret(INVOICE.format(memo=memo, guid=guid, balance=balance))
    return Invoice.from_qbxml(ret, known={GUID: "inv_1"})  # type: ignore[arg-type]


def test_invoice_lines_groups_links() -> None:
    invoice = _invoice()
    assert invoice.external_id == "inv_1"
    assert (invoice.qb_id, invoice.qb_version, invoice.number) == ("10-1", "3", "1001")
    assert invoice.customer == EntityRef(qb_id="8-0", name="Acme")
    assert (invoice.terms, invoice.due_date, invoice.txn_date) == (
        "Net 30", dt.date(2024, 1, 31), dt.date(2024, 1, 1),
    )
    assert invoice.updated_at == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    # The group's members become ordinary lines.
    assert [line.qb_line_id for line in invoice.lines] == ["L1", "G1a", "G1b"]
    assert invoice.lines[0] == InvoiceLine(
        item=EntityRef(name="Svc"), description="Work", quantity=Decimal("2"),
        rate=Decimal("10.00"), amount=Decimal("20.00"), tax_code=EntityRef(name="Tax"),
        service_date=dt.date(2023, 12, 31), qb_line_id="L1",
    )
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (
        Decimal("30.00"), Decimal("1.00"), Decimal("31.00"),
    )
    assert invoice.linked == (
        LinkedTransaction(kind="payment", qb_id="20-1", number="CHK9",
                          amount=Decimal("-10.00"), date=dt.date(2024, 1, 5)),
        LinkedTransaction(kind="credit_memo", qb_id="21-1"),
    )
    assert invoice.status == "partially_paid"


@pytest.mark.parametrize(
    ("balance", "memo", "status"),
    [
        ("31.00", "Thanks", "unpaid"),  # nothing paid yet
        ("21.00", "Thanks", "partially_paid"),  # 10.00 of 31.00 paid
        ("0.00", "Thanks", "paid"),  # balance gone
    ],
)
def test_invoice_status_from_balance(balance: str, memo: str, status: str) -> None:
    assert _invoice(memo=memo, balance=balance).status == status


def test_invoice_status_without_balance_or_total() -> None:
    customer = EntityRef(name="Acme")
    assert Invoice(customer=customer, is_paid=True).status == "paid"  # QuickBooks says so
    assert Invoice(customer=customer).status == "unpaid"  # nothing known
    # A balance but no total: not provably partial.
    assert Invoice(customer=customer, open_balance=Decimal("5.00")).status == "unpaid"
    assert Invoice(customer=customer, is_voided=True, is_paid=True).status == "voided"


def test_voided_invoice() -> None:
    ret = parse_ret(
        "<InvoiceRet><TxnID>1</TxnID><CustomerRef><FullName>A</FullName></CustomerRef>"
        "<Memo>VOID: wrong customer</Memo><Subtotal>0.00</Subtotal>"
        "<BalanceRemaining>0.00</BalanceRemaining></InvoiceRet>"
    )
    assert Invoice.from_qbxml(ret).status == "voided"  # type: ignore[arg-type]


def test_memo_marker_recovers_external_id_without_guid() -> None:
    marker = identity_marker(GUID)
    invoice = _invoice(memo=f"Thanks {marker}", guid="0")
    assert invoice.external_id is None  # the lookup is keyed by GUID only
    ret = parse_ret(INVOICE.format(memo=f"Thanks {marker}", guid="0", balance="1.00"))
    found = Invoice.from_qbxml(ret, known={marker: "inv_1"})  # type: ignore[arg-type]
    assert found.external_id == "inv_1"


def test_transaction_without_customer_is_read_leniently() -> None:
    invoice = Invoice.from_qbxml(parse_ret("<InvoiceRet><TxnID>1</TxnID></InvoiceRet>"))  # type: ignore[arg-type]
    assert invoice.customer == EntityRef(name="")
    assert invoice.lines == ()


def test_estimate_and_credit_memo() -> None:
    estimate = Estimate.from_qbxml(parse_ret(  # type: ignore[arg-type]
        "<EstimateRet><TxnID>E1</TxnID><CustomerRef><FullName>A</FullName></CustomerRef>"
        "<DueDate>2024-02-01</DueDate><TotalAmount>5.00</TotalAmount><IsActive>false</IsActive>"
        "<LinkedTxn><TxnID>I9</TxnID><TxnType>Invoice</TxnType></LinkedTxn>"
        "<EstimateLineRet><TxnLineID>1</TxnLineID><Desc>x</Desc><Amount>5.00</Amount>"
        "<MarkupRate>1.00</MarkupRate></EstimateLineRet>"
        "<EstimateLineGroupRet><TxnLineID>2</TxnLineID><EstimateLineRet><Desc>y</Desc>"
        "</EstimateLineRet></EstimateLineGroupRet></EstimateRet>"
    ))
    assert (estimate.is_active, estimate.due_date, estimate.total) == (
        False, dt.date(2024, 2, 1), Decimal("5.00"),
    )
    assert [line.description for line in estimate.lines] == ["x", "y"]
    assert estimate.linked == (LinkedTransaction(kind="invoice", qb_id="I9"),)
    memo = CreditMemo.from_qbxml(parse_ret(  # type: ignore[arg-type]
        "<CreditMemoRet><TxnID>C1</TxnID><CustomerRef><ListID>8</ListID></CustomerRef>"
        "<TotalAmount>-3.00</TotalAmount><CreditRemaining>3.00</CreditRemaining>"
        "<CreditMemoLineRet><Desc>refund</Desc><Amount>3.00</Amount></CreditMemoLineRet>"
        "<CreditMemoLineGroupRet><CreditMemoLineRet><Desc>z</Desc></CreditMemoLineRet>"
        "</CreditMemoLineGroupRet></CreditMemoRet>"
    ))
    assert (memo.customer, memo.credit_remaining) == (EntityRef(qb_id="8"), Decimal("3.00"))
    assert [line.description for line in memo.lines] == ["refund", "z"]
    assert memo.lines[1].effective_amount == Decimal("0.00")


def test_payment_lenient_and_deposit_to() -> None:
    payment = Payment.from_qbxml(parse_ret(  # type: ignore[arg-type]
        "<ReceivePaymentRet><TxnID>P1</TxnID><DepositToAccountRef><FullName>Undeposited Funds"
        "</FullName></DepositToAccountRef><AppliedToTxnRet><TxnID>I1</TxnID>"
        "</AppliedToTxnRet></ReceivePaymentRet>"
    ))
    assert payment.customer == EntityRef(name="")
    assert payment.amount == Decimal("0.00")
    assert payment.deposit_to == EntityRef(name="Undeposited Funds")
    assert payment.applications[0].amount == Decimal("0.00")
    assert payment.method is None


def test_deposit_maps_payment_lines_only() -> None:
    guid = identity_guid("FILE", "deposit", "po_1")
    deposit = Deposit.from_qbxml(parse_ret(  # type: ignore[arg-type]
        f"<DepositRet><TxnID>D1</TxnID><TxnDate>2024-01-03</TxnDate>"
        f"<Memo>Payout</Memo><ExternalGUID>{guid}</ExternalGUID>"
        "<DepositToAccountRef><ListID>B1</ListID><FullName>Checking</FullName>"
        "</DepositToAccountRef><DepositTotal>15.00</DepositTotal>"
        "<DepositLineRet><TxnType>ReceivePayment</TxnType><TxnID>P1</TxnID>"
        "<Amount>10.00</Amount></DepositLineRet>"
        "<DepositLineRet><AccountRef><FullName>Interest</FullName></AccountRef>"
        "<Amount>5.00</Amount></DepositLineRet></DepositRet>"
    ), known={guid: "po_1"})
    assert deposit.external_id == "po_1"
    assert deposit.bank_account == EntityRef(qb_id="B1", name="Checking")
    assert deposit.payments == (
        DepositedPayment(payment=EntityRef(qb_id="P1"), amount=Decimal("10.00")),
    )
    assert (deposit.total, deposit.date, deposit.memo) == (
        Decimal("15.00"), dt.date(2024, 1, 3), "Payout",
    )
    empty = Deposit.from_qbxml(parse_ret("<DepositRet><TxnID>D2</TxnID></DepositRet>"))  # type: ignore[arg-type]
    assert empty.bank_account == EntityRef(name="")


@pytest.mark.parametrize(
    ("xml", "kind", "raw", "undeposited"),
    [
        # QuickBooks marks it with SpecialAccountType.
        ("<AccountType>OtherCurrentAsset</AccountType>"
         "<SpecialAccountType>UndepositedFunds</SpecialAccountType>",
         AccountKind.OTHER_CURRENT_ASSET, "OtherCurrentAsset", True),
        # Older files: only the name tells.
        ("<AccountType>OtherCurrentAsset</AccountType>", AccountKind.OTHER_CURRENT_ASSET,
         "OtherCurrentAsset", True),
        # A type newer than our table.
        ("<AccountType>Crypto</AccountType>", AccountKind.UNKNOWN, "Crypto", True),
        # No type at all.
        ("<IsActive>false</IsActive>", AccountKind.UNKNOWN, None, True),
    ],
)
def test_account_kinds(xml: str, kind: AccountKind, raw: str | None, undeposited: bool) -> None:
    account = Account.from_qbxml(parse_ret(  # type: ignore[arg-type]
        f"<AccountRet><ListID>A</ListID><Name>Undeposited Funds</Name>{xml}</AccountRet>"
    ))
    assert (account.kind, account.raw_type, account.is_undeposited_funds) == (
        kind, raw, undeposited,
    )


def test_account_named_like_undeposited_funds_but_special_otherwise() -> None:
    account = Account.from_qbxml(parse_ret(  # type: ignore[arg-type]
        "<AccountRet><FullName>Undeposited Funds</FullName>"
        "<SpecialAccountType>PettyCash</SpecialAccountType></AccountRet>"
    ))
    assert account.name == "Undeposited Funds"
    assert not account.is_undeposited_funds
    assert account.ref == EntityRef(name="Undeposited Funds")


@pytest.mark.parametrize(
    ("tag", "body", "expected"),
    [
        # Service sold only: SalesOrPurchase.
        ("ItemServiceRet", "<SalesOrPurchase><Desc>Hour</Desc><Price>50.00</Price>"
         "<AccountRef><FullName>Income</FullName></AccountRef></SalesOrPurchase>",
         (ItemType.SERVICE, "Hour", Decimal("50.00"), None, "Income")),
        # Percentage other charge.
        ("ItemOtherChargeRet", "<SalesOrPurchase><PricePercent>5</PricePercent>"
         "</SalesOrPurchase>", (ItemType.OTHER_CHARGE, None, None, Decimal("5"), None)),
        # Non-inventory bought and sold: SalesAndPurchase.
        ("ItemNonInventoryRet", "<SalesAndPurchase><SalesDesc>Box</SalesDesc><SalesPrice>3.00"
         "</SalesPrice><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef>"
         "</SalesAndPurchase>", (ItemType.NON_INVENTORY, "Box", Decimal("3.00"), None, "Sales")),
        # Inventory: pricing at the top level.
        ("ItemInventoryRet", "<SalesDesc>Widget</SalesDesc><SalesPrice>9.99</SalesPrice>"
         "<IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef>",
         (ItemType.INVENTORY, "Widget", Decimal("9.99"), None, "Sales")),
        # Discount: a rate or a percent, and its account.
        ("ItemDiscountRet", "<ItemDesc>10% off</ItemDesc><DiscountRatePercent>10"
         "</DiscountRatePercent><AccountRef><FullName>Discounts</FullName></AccountRef>",
         (ItemType.DISCOUNT, "10% off", None, Decimal("10"), "Discounts")),
        # Sales tax: the rate is a percent.
        ("ItemSalesTaxRet", "<ItemDesc>State</ItemDesc><TaxRate>6.25</TaxRate>",
         (ItemType.SALES_TAX, "State", None, Decimal("6.25"), None)),
        # Subtotal: a description only.
        ("ItemSubtotalRet", "<ItemDesc>Subtotal</ItemDesc>",
         (ItemType.SUBTOTAL, "Subtotal", None, None, None)),
    ],
)
def test_item_kinds(tag: str, body: str, expected: tuple[object, ...]) -> None:
    item = Item.from_qbxml(parse_ret(  # type: ignore[arg-type]
        f"<{tag}><ListID>I</ListID><Name>n</Name><FullName>p:n</FullName>{body}</{tag}>"
    ))
    account = item.income_account.name if item.income_account else None
    assert (item.kind, item.description, item.price, item.price_percent, account) == expected
    assert (item.name, item.path, item.is_active) == ("n", "p:n", True)


def test_every_qbxml_item_kind_has_a_type() -> None:
    from qbxml.responses import ItemKind

    for kind in ItemKind:
        item = Item.from_qbxml(parse_ret(f"<{kind.tag}><ListID>1</ListID></{kind.tag}>"))  # type: ignore[arg-type]
        assert item.kind.name == kind.name


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        # A deleted payment: TxnDelType ReceivePayment is a "payment".
        ("<TxnDeletedRet><TxnDelType>ReceivePayment</TxnDelType><TxnID>P1</TxnID>"
         "<TimeDeleted>2024-01-01T10:00:00-05:00</TimeDeleted><RefNumber>CHK1</RefNumber>"
         "</TxnDeletedRet>", ("payment", "P1", "ReceivePayment", "CHK1", True)),
        # A deleted credit memo: snake_case of its type.
        ("<TxnDeletedRet><TxnDelType>CreditMemo</TxnDelType><TxnID>C1</TxnID>"
         "</TxnDeletedRet>", ("credit_memo", "C1", "CreditMemo", None, False)),
        # A deleted item: every Item... type is an "item".
        ("<ListDeletedRet><ListDelType>ItemService</ListDelType><ListID>L1</ListID>"
         "<FullName>Hours</FullName></ListDeletedRet>", ("item", "L1", "ItemService", "Hours",
                                                         False)),
        # A deleted customer.
        ("<ListDeletedRet><ListDelType>Customer</ListDelType><ListID>L2</ListID>"
         "</ListDeletedRet>", ("customer", "L2", "Customer", None, False)),
        # Another list type: snake_case.
        ("<ListDeletedRet><ListDelType>ShipMethod</ListDelType><ListID>L3</ListID>"
         "</ListDeletedRet>", ("ship_method", "L3", "ShipMethod", None, False)),
    ],
)
def test_tombstones(xml: str, expected: tuple[object, ...]) -> None:
    tomb = Tombstone.from_qbxml(parse_ret(xml))  # type: ignore[arg-type]
    assert (tomb.kind, tomb.qb_id, tomb.qb_type, tomb.label, tomb.deleted_at is not None) == (
        expected
    )


def test_tombstones_from_our_own_deletes() -> None:
    message = parse_response(
        "<QBXML><QBXMLMsgsRs>"
        '<TxnDelRs requestID="1" statusCode="0"><TxnDelType>ReceivePayment</TxnDelType>'
        "<TxnID>P1</TxnID><TimeDeleted>2024-01-01T10:00:00+00:00</TimeDeleted></TxnDelRs>"
        '<ListDelRs requestID="2" statusCode="0"><ListDelType>Customer</ListDelType>'
        "<ListID>L1</ListID><FullName>Acme</FullName></ListDelRs>"
        "</QBXMLMsgsRs></QBXML>"
    )
    txn, lst = (rs.records[0] for rs in message.responses)
    assert isinstance(txn, TxnDelResult)
    assert isinstance(lst, ListDelResult)
    assert Tombstone.from_qbxml(txn) == Tombstone(
        kind="payment", qb_id="P1", qb_type="ReceivePayment",
        deleted_at=dt.datetime(2024, 1, 1, 10, tzinfo=UTC),
        deleted_at_text="2024-01-01T10:00:00+00:00",
    )
    assert Tombstone.from_qbxml(lst).label == "Acme"
    # Nothing in it at all: still a value, never a crash.
    assert Tombstone.from_qbxml(TxnDelResult()) == Tombstone(kind="unknown", qb_id="", qb_type="")
