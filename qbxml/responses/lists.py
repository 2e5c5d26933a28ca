"""Typed list records: customers, accounts, items, custom-field definitions, deleted objects.

Field order and names follow ``qbxmlops130.xml``; attributes are the snake_case of the element
names. Children not typed here land in ``extra`` (see :mod:`qbxml.responses.base`).
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from decimal import Decimal
from typing import Self

from lxml import etree

from qbxml.responses.base import (
    QbDateTime,
    RawValue,
    Record,
    many,
    one,
    raw_value,
    to_bool,
    to_date,
    to_datetime,
    to_int,
    to_money,
    xml_record,
)
from qbxml.responses.common import (
    Address,
    DataExtRet,
    Ref,
)

__all__ = [
    "AccountRet",
    "CustomerRet",
    "DataExtDefRet",
    "ItemGroupLine",
    "ItemKind",
    "ItemRet",
    "ListDeletedRet",
    "SalesAndPurchase",
    "SalesOrPurchase",
]

# The head every list object shares (ListID ... Sublevel).
_LIST_HEAD = {
    "ListID": one("list_id"),
    "TimeCreated": one("time_created", to_datetime),
    "TimeModified": one("time_modified", to_datetime),
    "EditSequence": one("edit_sequence"),
    "Name": one("name"),
    "FullName": one("full_name"),
    "IsActive": one("is_active", to_bool),
    "ClassRef": one("class_ref", Ref),
    "ParentRef": one("parent_ref", Ref),
    "Sublevel": one("sublevel", to_int),
    "SalesTaxCodeRef": one("sales_tax_code_ref", Ref),
    "ExternalGUID": one("external_guid"),
    "CurrencyRef": one("currency_ref", Ref),
    "DataExtRet": many("data_ext", DataExtRet),
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class _ListObject(Record):
    """Fields of :data:`_LIST_HEAD`, shared by every list record."""

    list_id: str | None = None
    time_created: QbDateTime | None = None
    time_modified: QbDateTime | None = None
    edit_sequence: str | None = None
    name: str | None = None
    full_name: str | None = None
    is_active: bool | None = None
    class_ref: Ref | None = None
    parent_ref: Ref | None = None
    sublevel: int | None = None
    sales_tax_code_ref: Ref | None = None
    external_guid: str | None = None
    currency_ref: Ref | None = None
    data_ext: tuple[DataExtRet, ...] = ()


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class CustomerRet(_ListObject):
    """A customer or job (``ParentRef``/``Sublevel`` > 0 for jobs)."""

    _XML = {
        **_LIST_HEAD,
        "CompanyName": one("company_name"),
        "Salutation": one("salutation"),
        "FirstName": one("first_name"),
        "MiddleName": one("middle_name"),
        "LastName": one("last_name"),
        "JobTitle": one("job_title"),
        "BillAddress": one("bill_address", Address),
        "BillAddressBlock": one("bill_address_block", Address),
        "ShipAddress": one("ship_address", Address),
        "ShipAddressBlock": one("ship_address_block", Address),
        "ShipToAddress": many("ship_to_addresses", Address),
        "Phone": one("phone"),
        "AltPhone": one("alt_phone"),
        "Fax": one("fax"),
        "Email": one("email"),
        "Cc": one("cc"),
        "Contact": one("contact"),
        "AltContact": one("alt_contact"),
        "CustomerTypeRef": one("customer_type_ref", Ref),
        "TermsRef": one("terms_ref", Ref),
        "SalesRepRef": one("sales_rep_ref", Ref),
        "Balance": one("balance", to_money),
        "TotalBalance": one("total_balance", to_money),
        "ItemSalesTaxRef": one("item_sales_tax_ref", Ref),
        "ResaleNumber": one("resale_number"),
        "AccountNumber": one("account_number"),
        "CreditLimit": one("credit_limit", to_money),
        "PreferredPaymentMethodRef": one("preferred_payment_method_ref", Ref),
        "JobStatus": one("job_status"),
        "JobStartDate": one("job_start_date", to_date),
        "JobProjectedEndDate": one("job_projected_end_date", to_date),
        "JobEndDate": one("job_end_date", to_date),
        "JobDesc": one("job_desc"),
        "JobTypeRef": one("job_type_ref", Ref),
        "Notes": one("notes"),
        "IsStatementWithParent": one("is_statement_with_parent", to_bool),
        "PreferredDeliveryMethod": one("preferred_delivery_method"),
        "PriceLevelRef": one("price_level_ref", Ref),
    }

    company_name: str | None = None
    salutation: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    bill_address: Address | None = None
    bill_address_block: Address | None = None
    ship_address: Address | None = None
    ship_address_block: Address | None = None
    ship_to_addresses: tuple[Address, ...] = ()
    phone: str | None = None
    alt_phone: str | None = None
    fax: str | None = None
    email: str | None = None
    cc: str | None = None
    contact: str | None = None
    alt_contact: str | None = None
    customer_type_ref: Ref | None = None
    terms_ref: Ref | None = None
    sales_rep_ref: Ref | None = None
    balance: Decimal | None = None
    total_balance: Decimal | None = None
    item_sales_tax_ref: Ref | None = None
    resale_number: str | None = None
    account_number: str | None = None
    credit_limit: Decimal | None = None
    preferred_payment_method_ref: Ref | None = None
    job_status: str | None = None
    job_start_date: date | None = None
    job_projected_end_date: date | None = None
    job_end_date: date | None = None
    job_desc: str | None = None
    job_type_ref: Ref | None = None
    notes: str | None = None
    is_statement_with_parent: bool | None = None
    preferred_delivery_method: str | None = None
    price_level_ref: Ref | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class AccountRet(_ListObject):
    """A chart-of-accounts entry (``AccountType`` Bank, AccountsReceivable, Income...)."""

    _XML = {
        **_LIST_HEAD,
        "AccountType": one("account_type"),
        "DetailAccountType": one("detail_account_type"),
        "SpecialAccountType": one("special_account_type"),
        "IsTaxAccount": one("is_tax_account", to_bool),
        "AccountNumber": one("account_number"),
        "BankNumber": one("bank_number"),
        "Desc": one("desc"),
        "Balance": one("balance", to_money),
        "TotalBalance": one("total_balance", to_money),
        "TaxLineInfoRet": one("tax_line_info", raw_value),
        "CashFlowClassification": one("cash_flow_classification"),
    }

    account_type: str | None = None
    detail_account_type: str | None = None
    special_account_type: str | None = None
    is_tax_account: bool | None = None
    account_number: str | None = None
    bank_number: str | None = None
    desc: str | None = None
    balance: Decimal | None = None
    total_balance: Decimal | None = None
    tax_line_info: RawValue | None = None
    cash_flow_classification: str | None = None


class ItemKind(enum.StrEnum):
    """Which ``Item...Ret`` an :class:`ItemRet` came from (``ItemServiceRet`` -> SERVICE)."""

    SERVICE = "Service"
    NON_INVENTORY = "NonInventory"
    OTHER_CHARGE = "OtherCharge"
    INVENTORY = "Inventory"
    INVENTORY_ASSEMBLY = "InventoryAssembly"
    FIXED_ASSET = "FixedAsset"
    SUBTOTAL = "Subtotal"
    DISCOUNT = "Discount"
    PAYMENT = "Payment"
    SALES_TAX = "SalesTax"
    SALES_TAX_GROUP = "SalesTaxGroup"
    GROUP = "Group"

    @property
    def tag(self) -> str:
        """The Ret element name, e.g. ``ItemServiceRet``."""
        return f"Item{self.value}Ret"

    @property
    def list_del_type(self) -> str:
        """The ``ListDelType`` QuickBooks reports this kind's deletions under (``ItemService``)."""
        return f"Item{self.value}"


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class SalesOrPurchase(Record):
    """Item pricing when the item is either sold or bought."""

    _XML = {
        "Desc": one("desc"),
        "Price": one("price", to_money),
        "PricePercent": one("price_percent", to_money),
        "AccountRef": one("account_ref", Ref),
    }

    desc: str | None = None
    price: Decimal | None = None
    price_percent: Decimal | None = None
    account_ref: Ref | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class SalesAndPurchase(Record):
    """Item pricing when the item is both sold and bought."""

    _XML = {
        "SalesDesc": one("sales_desc"),
        "SalesPrice": one("sales_price", to_money),
        "IncomeAccountRef": one("income_account_ref", Ref),
        "PurchaseDesc": one("purchase_desc"),
        "PurchaseCost": one("purchase_cost", to_money),
        "PurchaseTaxCodeRef": one("purchase_tax_code_ref", Ref),
        "ExpenseAccountRef": one("expense_account_ref", Ref),
        "PrefVendorRef": one("pref_vendor_ref", Ref),
    }

    sales_desc: str | None = None
    sales_price: Decimal | None = None
    income_account_ref: Ref | None = None
    purchase_desc: str | None = None
    purchase_cost: Decimal | None = None
    purchase_tax_code_ref: Ref | None = None
    expense_account_ref: Ref | None = None
    pref_vendor_ref: Ref | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemGroupLine(Record):
    """One member of an item group."""

    _XML = {
        "ItemRef": one("item_ref", Ref),
        "Quantity": one("quantity", to_money),
        "UnitOfMeasure": one("unit_of_measure"),
    }

    item_ref: Ref | None = None
    quantity: Decimal | None = None
    unit_of_measure: str | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemRet(_ListObject):
    """Any ``Item...Ret``; :attr:`kind` says which. Fields a kind lacks stay ``None``."""

    _XML = {
        **_LIST_HEAD,
        "BarCodeValue": one("bar_code_value"),
        "ManufacturerPartNumber": one("manufacturer_part_number"),
        "UnitOfMeasureSetRef": one("unit_of_measure_set_ref", Ref),
        "IsTaxIncluded": one("is_tax_included", to_bool),
        "SalesOrPurchase": one("sales_or_purchase", SalesOrPurchase),
        "SalesAndPurchase": one("sales_and_purchase", SalesAndPurchase),
        "SalesDesc": one("sales_desc"),
        "SalesPrice": one("sales_price", to_money),
        "IncomeAccountRef": one("income_account_ref", Ref),
        "PurchaseDesc": one("purchase_desc"),
        "PurchaseCost": one("purchase_cost", to_money),
        "COGSAccountRef": one("cogs_account_ref", Ref),
        "PrefVendorRef": one("pref_vendor_ref", Ref),
        "AssetAccountRef": one("asset_account_ref", Ref),
        "QuantityOnHand": one("quantity_on_hand", to_money),
        "AverageCost": one("average_cost", to_money),
        "ItemDesc": one("item_desc"),
        "DiscountRate": one("discount_rate", to_money),
        "DiscountRatePercent": one("discount_rate_percent", to_money),
        "AccountRef": one("account_ref", Ref),
        "TaxRate": one("tax_rate", to_money),
        "TaxVendorRef": one("tax_vendor_ref", Ref),
        "IsPrintItemsInGroup": one("is_print_items_in_group", to_bool),
        "ItemGroupLine": many("group_lines", ItemGroupLine),
    }

    kind: ItemKind = ItemKind.SERVICE
    bar_code_value: str | None = None
    manufacturer_part_number: str | None = None
    unit_of_measure_set_ref: Ref | None = None
    is_tax_included: bool | None = None
    sales_or_purchase: SalesOrPurchase | None = None
    sales_and_purchase: SalesAndPurchase | None = None
    sales_desc: str | None = None
    sales_price: Decimal | None = None
    income_account_ref: Ref | None = None
    purchase_desc: str | None = None
    purchase_cost: Decimal | None = None
    cogs_account_ref: Ref | None = None
    pref_vendor_ref: Ref | None = None
    asset_account_ref: Ref | None = None
    quantity_on_hand: Decimal | None = None
    average_cost: Decimal | None = None
    item_desc: str | None = None
    discount_rate: Decimal | None = None
    discount_rate_percent: Decimal | None = None
    account_ref: Ref | None = None
    tax_rate: Decimal | None = None
    tax_vendor_ref: Ref | None = None
    is_print_items_in_group: bool | None = None
    group_lines: tuple[ItemGroupLine, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Build the item and set :attr:`kind` from the element name."""
        item = cls.from_children(element)
        object.__setattr__(item, "kind", ItemKind(element.tag[4:-3]))
        return item


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class DataExtDefRet(Record):
    """A custom-field definition (``DataExtDefAdd``/``DataExtDefQuery``)."""

    _XML = {
        "OwnerID": one("owner_id"),
        "DataExtID": one("data_ext_id", to_int),
        "DataExtName": one("data_ext_name"),
        "DataExtType": one("data_ext_type"),
        "AssignToObject": many("assign_to_objects"),
        "DataExtListRequire": one("data_ext_list_require", to_bool),
        "DataExtTxnRequire": one("data_ext_txn_require", to_bool),
        "DataExtFormatString": one("data_ext_format_string"),
    }

    owner_id: str | None = None
    data_ext_id: int | None = None
    data_ext_name: str | None = None
    data_ext_type: str | None = None
    assign_to_objects: tuple[str, ...] = ()
    data_ext_list_require: bool | None = None
    data_ext_txn_require: bool | None = None
    data_ext_format_string: str | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class ListDeletedRet(Record):
    """A list object deleted in QuickBooks (``ListDeletedQuery``)."""

    _XML = {
        "ListDelType": one("list_del_type"),
        "ListID": one("list_id"),
        "TimeCreated": one("time_created", to_datetime),
        "TimeDeleted": one("time_deleted", to_datetime),
        "FullName": one("full_name"),
    }

    list_del_type: str | None = None
    list_id: str | None = None
    time_created: QbDateTime | None = None
    time_deleted: QbDateTime | None = None
    full_name: str | None = None
