"""Request objects with every field set, one per schema branch, for the XSD tests.

Where a request has alternatives (ListID OR FullName OR filters; IsAutoApply OR
AppliedToTxnAdd; Rate OR RatePercent OR PriceLevelRef), each alternative has its own sample,
so that together the samples set every attribute of every request class.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from qbxml.requests import (
    AccountQuery,
    AdditionalContactRef,
    AdditionalNote,
    Address,
    AppliedToTxnAdd,
    CashBackInfo,
    CompanyQuery,
    CreditMemoAdd,
    CreditMemoLineAdd,
    CustomerAdd,
    CustomerMod,
    CustomerQuery,
    DataExt,
    DataExtAdd,
    DataExtDefAdd,
    DeletedDateRangeFilter,
    DepositAdd,
    DepositLineAdd,
    DepositQuery,
    EstimateAdd,
    EstimateLineAdd,
    HostQuery,
    InvoiceAdd,
    InvoiceLineAdd,
    InvoiceLineMod,
    InvoiceMod,
    InvoiceQuery,
    ItemQuery,
    LinkToTxn,
    ListDel,
    ListDeletedQuery,
    ListFilter,
    LocalDateTime,
    ModifiedDateRangeFilter,
    NameFilter,
    NameRangeFilter,
    PreferencesQuery,
    ReceivePaymentAdd,
    ReceivePaymentQuery,
    Ref,
    RefNumberFilter,
    RefNumberRangeFilter,
    Request,
    SetCredit,
    ShipToAddress,
    TxnDateRangeFilter,
    TxnDel,
    TxnDeletedQuery,
    TxnVoid,
)

TZ = dt.timezone(dt.timedelta(hours=-5))
WHEN = dt.datetime(2024, 3, 1, 9, 30, 15, tzinfo=TZ)
DAY = dt.date(2024, 3, 1)
GUID = uuid.UUID("6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b")
OWNER = "{6F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B}"
REF = Ref(list_id="80000001-1700000000", full_name="Acme Ltd")
TAX = Ref(list_id="80000002-1700000000", full_name="Tax")
ADDRESS = Address(
    addr1="Acme Ltd", addr2="Attn: Accounts", addr3="Unit 4", addr4="Mill Lane",
    addr5="Dock 2", city="Springfield", state="IL", postal_code="62701", country="USA",
    note="Back door",
)
SHIP_TO = ShipToAddress(
    name="Warehouse", addr1="1 Dock Rd", addr2="Bay 3", addr3="Floor 1", addr4="Gate B",
    addr5="Door 9", city="Springfield", state="IL", postal_code="62702", country="USA",
    note="Forklift", default_ship_to=True,
)
DATA_EXT = DataExt(owner_id="0", data_ext_name="Platform ID", data_ext_value="INV-991")
NAME_FILTER = NameFilter(match_criterion="StartsWith", name="Ac")
NAME_RANGE = NameRangeFilter(from_name="A", to_name="M")
LIST_FILTER = ListFilter(list_id=("80000001-1700000000",))
ITERATOR = "{C5E4B0F2-1B2A-4C3D-8E9F-0A1B2C3D4E5F}"
WHOLE = (
    ListFilter(full_name=("Acme Ltd", "Beta Inc")),
    ListFilter(list_id_with_children="80000001-1700000000"),
    ListFilter(full_name_with_children="Acme Ltd"),
)


def customer_add() -> CustomerAdd:
    """A CustomerAdd with every attribute set."""
    return CustomerAdd(
        name="Acme Ltd", is_active=True, class_ref=REF, parent_ref=REF, company_name="Acme",
        salutation="Ms.", first_name="Ada", middle_name="B", last_name="Lovelace",
        job_title="Buyer", bill_address=ADDRESS, ship_address=ADDRESS, ship_to_address=(SHIP_TO,),
        phone="555-0100", alt_phone="555-0101", fax="555-0102", email="ada@example.com",
        cc="ap@example.com", contact="Ada", alt_contact="Bob",
        additional_contact_ref=(AdditionalContactRef(contact_name="Mobile", contact_value="555"),),
        customer_type_ref=REF, terms_ref=REF, sales_rep_ref=Ref(full_name="AB"),
        open_balance=Decimal("10.00"), open_balance_date=DAY, sales_tax_code_ref=TAX,
        item_sales_tax_ref=TAX, resale_number="R-1", account_number="A-1",
        credit_limit=Decimal("5000"), preferred_payment_method_ref=REF, job_status="Awarded",
        job_start_date=DAY, job_projected_end_date=DAY, job_end_date=DAY, job_desc="Fit-out",
        job_type_ref=REF, notes="Important & <urgent>",
        additional_notes=(AdditionalNote(note="Called"),), preferred_delivery_method="Email",
        price_level_ref=REF, external_guid=GUID, currency_ref=REF,
        include_ret_element=("ListID", "EditSequence"),
    )


def customer_mod() -> CustomerMod:
    """A CustomerMod with every attribute set."""
    add = customer_add()
    return CustomerMod(
        list_id="80000001-1700000000", edit_sequence="1700000001", name="Acme Limited",
        is_active=False, class_ref=add.class_ref, parent_ref=add.parent_ref,
        company_name=add.company_name, salutation=add.salutation, first_name=add.first_name,
        middle_name=add.middle_name, last_name=add.last_name, job_title=add.job_title,
        bill_address=add.bill_address, ship_address=add.ship_address,
        ship_to_address=add.ship_to_address, phone=add.phone, alt_phone=add.alt_phone,
        fax=add.fax, email=add.email, cc=add.cc, contact=add.contact, alt_contact=add.alt_contact,
        additional_contact_ref=add.additional_contact_ref, customer_type_ref=REF, terms_ref=REF,
        sales_rep_ref=add.sales_rep_ref, sales_tax_code_ref=TAX, item_sales_tax_ref=TAX,
        resale_number="R-1", account_number="A-1", credit_limit=Decimal("1.5"),
        preferred_payment_method_ref=REF, job_status="Closed", job_start_date=DAY,
        job_projected_end_date=DAY, job_end_date=DAY, job_desc="Done", job_type_ref=REF,
        notes="n", preferred_delivery_method="Fax", price_level_ref=REF, currency_ref=REF,
        include_ret_element=("ListID",),
    )


def list_queries() -> list[Request]:
    """List queries, one per branch of the ListID / FullName / filters choice."""
    filters = dict(
        max_returned=50, active_status="All", from_modified_date=WHEN, to_modified_date=WHEN,
        include_ret_element=("ListID",), owner_id=("0", GUID),
    )
    return [
        CustomerQuery(list_id=("80000001-1700000000", "80000002-1700000000")),
        CustomerQuery(full_name=("Acme Ltd",), meta_data="MetaDataAndResponseData"),
        CustomerQuery(name_filter=NAME_FILTER, currency_filter=LIST_FILTER,
                      class_filter=WHOLE[0], **filters).start(),  # type: ignore[arg-type]
        CustomerQuery(name_range_filter=NAME_RANGE, **filters).continue_(  # type: ignore[arg-type]
            ITERATOR
        ),
        AccountQuery(name_filter=NAME_FILTER, account_type=("Bank", "Income"),
                     currency_filter=WHOLE[0], meta_data="NoMetaData", **filters),  # type: ignore[arg-type]
        AccountQuery(list_id=("80000001-1700000000",)),
        AccountQuery(full_name=("Checking",)),
        AccountQuery(name_range_filter=NAME_RANGE),
        ItemQuery(name_range_filter=NAME_RANGE, **filters).start(),  # type: ignore[arg-type]
        ItemQuery(full_name=("Hours",)).stop(ITERATOR),
        ItemQuery(list_id=("80000009-1700000000",), meta_data="MetaDataOnly"),
        ItemQuery(name_filter=NameFilter(match_criterion="EndsWith", name="Fee")),
    ]


def _txn_filters(index: int) -> dict[str, object]:
    common: dict[str, object] = dict(
        max_returned=10, entity_filter=WHOLE[index % 3], account_filter=WHOLE[(index + 1) % 3],
        currency_filter=LIST_FILTER, include_line_items=True, include_ret_element=("TxnID",),
        owner_id=("0",),
    )
    if index == 0:
        common.update(modified_date_range_filter=ModifiedDateRangeFilter(
            from_modified_date=WHEN, to_modified_date=WHEN),
            ref_number_filter=RefNumberFilter(match_criterion="Contains", ref_number="12"))
    elif index == 1:
        common.update(txn_date_range_filter=TxnDateRangeFilter(from_txn_date=DAY, to_txn_date=DAY),
                      ref_number_range_filter=RefNumberRangeFilter(from_ref_number="1",
                                                                  to_ref_number="9"))
    else:
        common.update(txn_date_range_filter=TxnDateRangeFilter(date_macro="ThisMonth"))
    return common


def txn_queries() -> list[Request]:
    """Transaction queries, one per branch of TxnID / RefNumber / filters."""
    return [
        InvoiceQuery(txn_id=("1A-1700000000",), include_linked_txns=True),
        InvoiceQuery(ref_number=("1001", "1002")),
        InvoiceQuery(ref_number_case_sensitive=("A-1",)),
        InvoiceQuery(paid_status="NotPaidOnly", **_txn_filters(0)).start(),  # type: ignore[arg-type]
        InvoiceQuery(paid_status="All", meta_data="MetaDataOnly",
                     **_txn_filters(1)).continue_(ITERATOR),  # type: ignore[arg-type]
        ReceivePaymentQuery(**_txn_filters(2)).start(),  # type: ignore[arg-type]
        ReceivePaymentQuery(txn_id=("1A-1700000000",), meta_data="MetaDataOnly"),
        ReceivePaymentQuery(ref_number=("CHK-1",)),
        ReceivePaymentQuery(ref_number_case_sensitive=("chk-1",)),
        ReceivePaymentQuery(**_txn_filters(0)).continue_(ITERATOR),  # type: ignore[arg-type]
        ReceivePaymentQuery(**_txn_filters(1)),  # type: ignore[arg-type]
        DepositQuery(txn_id=("1A-1700000000",), include_line_items=True, meta_data="MetaDataOnly"),
        DepositQuery(max_returned=5, txn_date_range_filter=TxnDateRangeFilter(
            from_txn_date=DAY, to_txn_date=DAY), entity_filter=WHOLE[0],
            account_filter=WHOLE[1], currency_filter=LIST_FILTER,
            include_ret_element=("TxnID",), owner_id=("0",)).start(),
        DepositQuery(modified_date_range_filter=ModifiedDateRangeFilter(
            from_modified_date=WHEN)).continue_(ITERATOR),
        InvoiceQuery(modified_date_range_filter=ModifiedDateRangeFilter(
            from_modified_date=LocalDateTime(WHEN.replace(tzinfo=None)))).start(),
    ]


def _invoice_line(pricing: dict[str, object]) -> InvoiceLineAdd:
    return InvoiceLineAdd(
        item_ref=REF, desc="Consulting", quantity=Decimal("1.5"), unit_of_measure="hour",
        class_ref=REF, amount=Decimal("150.00"), sales_tax_code_ref=TAX,
        override_item_account_ref=REF, other1="o1", other2="o2", service_date=DAY,
        link_to_txn=LinkToTxn(txn_id="1B-1700000000", txn_line_id="1C-1700000000"),
        data_ext=(DATA_EXT,), **pricing,  # type: ignore[arg-type]
    )


PRICING: tuple[dict[str, object], ...] = (
    {"rate": Decimal("100.12345")},
    {"rate_percent": Decimal("-10")},
    {"price_level_ref": REF},
)


def _header() -> dict[str, object]:
    return dict(
        customer_ref=REF, class_ref=REF, template_ref=REF, txn_date=DAY, ref_number="1001",
        bill_address=ADDRESS, ship_address=ADDRESS, po_number="PO-7", terms_ref=REF,
        due_date=DAY, sales_rep_ref=Ref(full_name="AB"), fob="Origin", item_sales_tax_ref=TAX,
        memo="Thanks", customer_msg_ref=REF, is_to_be_emailed=False,
        customer_sales_tax_code_ref=TAX, other="x", exchange_rate=Decimal("1.2345"),
        include_ret_element=("TxnID",),
    )


def _shipped() -> dict[str, object]:
    return dict(_header(), ar_account_ref=REF, is_pending=False, ship_date=DAY,
                ship_method_ref=REF, is_to_be_printed=True)


def sales() -> list[Request]:
    """Invoices, estimates and credit memos with every attribute set."""
    credit = SetCredit(credit_txn_id="1D-1700000000", applied_amount=Decimal("5.00"),
                       override=True)
    invoice = InvoiceAdd(
        is_finance_charge=False, external_guid=OWNER, link_to_txn_id=("1E-1700000000",),
        set_credit=(credit,), lines=tuple(_invoice_line(p) for p in PRICING),
        **_shipped(),  # type: ignore[arg-type]
    )
    mod = InvoiceMod(
        txn_id="1A-1700000000", edit_sequence="1700000002", set_credit=(credit,),
        lines=tuple(
            InvoiceLineMod(txn_line_id=line_id, item_ref=REF, desc="d", quantity=Decimal("2"),
                           unit_of_measure="each", class_ref=REF, amount=Decimal("2.00"),
                           sales_tax_code_ref=TAX, override_item_account_ref=REF, other1="a",
                           other2="b", service_date=DAY, **pricing)  # type: ignore[arg-type]
            for line_id, pricing in zip(("-1", "1C-1700000000", "1F-1700000000"), PRICING,
                                        strict=True)
        ),
        **_shipped(),  # type: ignore[arg-type]
    )
    estimate_lines = tuple(
        EstimateLineAdd(item_ref=REF, desc="e", quantity=Decimal("3"), unit_of_measure="each",
                        class_ref=REF, amount=Decimal("3.00"), sales_tax_code_ref=TAX,
                        override_item_account_ref=REF, other1="a", other2="b",
                        data_ext=(DATA_EXT,), **pricing)  # type: ignore[arg-type]
        for pricing in (
            {"rate": Decimal("1"), "markup_rate": Decimal("2")},
            {"rate_percent": Decimal("5"), "markup_rate_percent": Decimal("3.5")},
            {"price_level_ref": REF},
        )
    )
    estimate = EstimateAdd(is_active=True, external_guid=GUID, lines=estimate_lines,
                           **_header())  # type: ignore[arg-type]
    memo_lines = tuple(
        CreditMemoLineAdd(item_ref=REF, desc="c", quantity=Decimal("1"), unit_of_measure="each",
                          class_ref=REF, amount=Decimal("9.99"), sales_tax_code_ref=TAX,
                          override_item_account_ref=REF, other1="a", other2="b",
                          service_date=DAY, data_ext=(DATA_EXT,), **pricing)  # type: ignore[arg-type]
        for pricing in PRICING
    )
    memo = CreditMemoAdd(external_guid=GUID, lines=memo_lines, **_shipped())  # type: ignore[arg-type]
    return [invoice, mod, estimate, memo]


def payments() -> list[Request]:
    """ReceivePaymentAdd (both branches) and DepositAdd (both line kinds)."""
    header = dict(
        customer_ref=REF, ar_account_ref=REF, txn_date=DAY, ref_number="CHK-1",
        total_amount=Decimal("150.00"), exchange_rate=Decimal("1"), payment_method_ref=REF,
        memo="m", deposit_to_account_ref=Ref(full_name="Undeposited Funds"),
        external_guid=GUID, include_ret_element=("TxnID",),
    )
    applied = AppliedToTxnAdd(
        txn_id="1A-1700000000", payment_amount=Decimal("150.00"),
        set_credit=(SetCredit(credit_txn_id="1D-1700000000", applied_amount=Decimal("1.00")),),
        discount_amount=Decimal("0.50"), discount_account_ref=REF, discount_class_ref=REF,
    )
    return [
        ReceivePaymentAdd(applied_to=(applied,), **header),  # type: ignore[arg-type]
        ReceivePaymentAdd(is_auto_apply=False, **header),  # type: ignore[arg-type]
        DepositAdd(
            txn_date=DAY, deposit_to_account_ref=Ref(full_name="Checking"), memo="Batch 7",
            cash_back_info_add=CashBackInfo(account_ref=REF, memo="petty", amount=Decimal("20")),
            currency_ref=REF, exchange_rate=Decimal("1"), external_guid=GUID,
            lines=(
                DepositLineAdd(payment_txn_id="1A-1700000000", payment_txn_line_id="1B-17000",
                               override_memo="om", override_check_number="101",
                               override_class_ref=REF),
                DepositLineAdd(entity_ref=REF, account_ref=REF, memo="cash", check_number="102",
                               payment_method_ref=REF, class_ref=REF, amount=Decimal("12.34")),
                DepositLineAdd.payment("1G-1700000000"),
            ),
            include_ret_element=("TxnID",),
        ),
    ]


def others() -> list[Request]:
    """Host/company/preferences, deletes, voids and custom fields."""
    deleted = DeletedDateRangeFilter(from_deleted_date=WHEN, to_deleted_date=WHEN)
    return [
        HostQuery(include_ret_element=("SupportedQBXMLVersion",)),
        CompanyQuery(include_ret_element=("CompanyName",), owner_id=("0", OWNER)),
        PreferencesQuery(include_ret_element=("SalesTaxPreferences",)),
        TxnDel(txn_del_type="Invoice", txn_id="1A-1700000000"),
        ListDel(list_del_type="Customer", list_id="80000001-1700000000"),
        TxnVoid(txn_void_type="Invoice", txn_id="1A-1700000000"),
        TxnDeletedQuery(txn_del_type=("Invoice", "ReceivePayment"),
                        deleted_date_range_filter=deleted, include_ret_element=("TxnID",),
                        meta_data="NoMetaData"),
        ListDeletedQuery(list_del_type=("Customer",), deleted_date_range_filter=deleted,
                         include_ret_element=("ListID",), meta_data="NoMetaData"),
        DataExtDefAdd(owner_id="0", data_ext_name="Platform ID", data_ext_type="STR255TYPE",
                      assign_to_object=("Customer", "Invoice"), data_ext_list_require=False,
                      data_ext_txn_require=False, data_ext_format_string="",
                      include_ret_element=("DataExtName",)),
        DataExtAdd(owner_id=GUID, data_ext_name="Platform ID", data_ext_value="C-1",
                   list_data_ext_type="Customer", list_obj_ref=REF),
        DataExtAdd(owner_id="0", data_ext_name="Platform ID", data_ext_value="I-1",
                   txn_data_ext_type="Invoice", txn_id="1A-1700000000",
                   txn_line_id="1C-1700000000"),
        DataExtAdd(owner_id="0", data_ext_name="Company code", data_ext_value="X",
                   other_data_ext_type="Company"),
    ]


def all_samples() -> list[Request]:
    """Every sample request."""
    return [customer_add(), customer_mod(), *list_queries(), *txn_queries(), *sales(),
            *payments(), *others()]
