"""What transactions point at: the chart of accounts and the item list (read only)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from attrs import field, frozen

from mappers.common import EntityRef, aware, modified_time
from mappers.money import money_validator
from qbxml.responses import AccountRet, ItemKind, ItemRet

__all__ = ["Account", "AccountKind", "Item", "ItemType"]

UNDEPOSITED_FUNDS = "Undeposited Funds"


class AccountKind(enum.StrEnum):
    """The kind of an account, named neutrally (QBD ``AccountType``, QBO ``AccountType``)."""

    ACCOUNTS_PAYABLE = "accounts_payable"
    ACCOUNTS_RECEIVABLE = "accounts_receivable"
    BANK = "bank"
    COST_OF_GOODS_SOLD = "cost_of_goods_sold"
    CREDIT_CARD = "credit_card"
    EQUITY = "equity"
    EXPENSE = "expense"
    FIXED_ASSET = "fixed_asset"
    INCOME = "income"
    LONG_TERM_LIABILITY = "long_term_liability"
    NON_POSTING = "non_posting"
    OTHER_ASSET = "other_asset"
    OTHER_CURRENT_ASSET = "other_current_asset"
    OTHER_CURRENT_LIABILITY = "other_current_liability"
    OTHER_EXPENSE = "other_expense"
    OTHER_INCOME = "other_income"
    UNKNOWN = "unknown"


#: Every qbXML 13.0 ``AccountType`` value (qbxml130.xsd), one row each.
QBXML_ACCOUNT_TYPES: dict[str, AccountKind] = {
    "AccountsPayable": AccountKind.ACCOUNTS_PAYABLE,
    "AccountsReceivable": AccountKind.ACCOUNTS_RECEIVABLE,
    "Bank": AccountKind.BANK,
    "CostOfGoodsSold": AccountKind.COST_OF_GOODS_SOLD,
    "CreditCard": AccountKind.CREDIT_CARD,
    "Equity": AccountKind.EQUITY,
    "Expense": AccountKind.EXPENSE,
    "FixedAsset": AccountKind.FIXED_ASSET,
    "Income": AccountKind.INCOME,
    "LongTermLiability": AccountKind.LONG_TERM_LIABILITY,
    "NonPosting": AccountKind.NON_POSTING,
    "OtherAsset": AccountKind.OTHER_ASSET,
    "OtherCurrentAsset": AccountKind.OTHER_CURRENT_ASSET,
    "OtherCurrentLiability": AccountKind.OTHER_CURRENT_LIABILITY,
    "OtherExpense": AccountKind.OTHER_EXPENSE,
    "OtherIncome": AccountKind.OTHER_INCOME,
}


@frozen(kw_only=True)
class Account:
    """An account of the chart of accounts.

    Attributes:
        path: The full name with parents (``Assets:Checking``).
        kind: The neutral kind; ``raw_type`` keeps QuickBooks' own value.
        is_undeposited_funds: QuickBooks' Undeposited Funds account, where received payments
            wait for a deposit (``SpecialAccountType`` UndepositedFunds, else the name).
    """

    name: str
    kind: AccountKind
    qb_id: str | None = None
    qb_version: str | None = None
    path: str | None = None
    raw_type: str | None = None
    number: str | None = None
    is_active: bool = True
    balance: Decimal | None = field(default=None, validator=money_validator)
    is_undeposited_funds: bool = False
    updated_at: dt.datetime | None = field(default=None, validator=aware)
    updated_at_text: str | None = None

    @property
    def ref(self) -> EntityRef:
        """A reference to this account."""
        return EntityRef(qb_id=self.qb_id, name=self.path or self.name)

    @classmethod
    def from_qbxml(cls, ret: AccountRet) -> Account:
        """Read an ``AccountRet``."""
        updated_at, updated_at_text = modified_time(ret.time_modified)
        name = ret.name or ret.full_name or ""
        special = ret.special_account_type
        return cls(
            qb_id=ret.list_id,
            qb_version=ret.edit_sequence,
            name=name,
            path=ret.full_name,
            kind=QBXML_ACCOUNT_TYPES.get(ret.account_type or "", AccountKind.UNKNOWN),
            raw_type=ret.account_type,
            number=ret.account_number,
            is_active=ret.is_active is not False,
            balance=ret.balance,
            is_undeposited_funds=special == "UndepositedFunds"
            or (special is None and name == UNDEPOSITED_FUNDS),
            updated_at=updated_at,
            updated_at_text=updated_at_text,
        )


class ItemType(enum.StrEnum):
    """The kind of an item (QBD ``Item...Ret``; QBO ``Type`` Service/NonInventory/...)."""

    SERVICE = "service"
    NON_INVENTORY = "non_inventory"
    OTHER_CHARGE = "other_charge"
    INVENTORY = "inventory"
    INVENTORY_ASSEMBLY = "inventory_assembly"
    FIXED_ASSET = "fixed_asset"
    SUBTOTAL = "subtotal"
    DISCOUNT = "discount"
    PAYMENT = "payment"
    SALES_TAX = "sales_tax"
    SALES_TAX_GROUP = "sales_tax_group"
    GROUP = "group"


#: Every qbXML item kind, one row each.
QBXML_ITEM_KINDS: dict[ItemKind, ItemType] = {
    ItemKind.SERVICE: ItemType.SERVICE,
    ItemKind.NON_INVENTORY: ItemType.NON_INVENTORY,
    ItemKind.OTHER_CHARGE: ItemType.OTHER_CHARGE,
    ItemKind.INVENTORY: ItemType.INVENTORY,
    ItemKind.INVENTORY_ASSEMBLY: ItemType.INVENTORY_ASSEMBLY,
    ItemKind.FIXED_ASSET: ItemType.FIXED_ASSET,
    ItemKind.SUBTOTAL: ItemType.SUBTOTAL,
    ItemKind.DISCOUNT: ItemType.DISCOUNT,
    ItemKind.PAYMENT: ItemType.PAYMENT,
    ItemKind.SALES_TAX: ItemType.SALES_TAX,
    ItemKind.SALES_TAX_GROUP: ItemType.SALES_TAX_GROUP,
    ItemKind.GROUP: ItemType.GROUP,
}


@frozen(kw_only=True)
class Item:
    """A product or service (or a discount, subtotal, sales tax... item).

    Attributes:
        description: The sales description.
        price: The sales price, or a discount's / sales tax's fixed rate.
        price_percent: A percentage price (discounts, sales tax, percentage charges).
        income_account: Where sales of it are booked (a discount's account).
    """

    name: str
    kind: ItemType
    qb_id: str | None = None
    qb_version: str | None = None
    path: str | None = None
    description: str | None = None
    price: Decimal | None = field(default=None, validator=money_validator)
    price_percent: Decimal | None = field(default=None, validator=money_validator)
    is_active: bool = True
    income_account: EntityRef | None = None
    updated_at: dt.datetime | None = field(default=None, validator=aware)
    updated_at_text: str | None = None

    @classmethod
    def from_qbxml(cls, ret: ItemRet) -> Item:
        """Read any ``Item...Ret``; pricing is where that kind keeps it."""
        updated_at, updated_at_text = modified_time(ret.time_modified)
        description = ret.sales_desc or ret.item_desc
        price, percent = ret.sales_price, None
        account = ret.income_account_ref or ret.account_ref
        if ret.sales_or_purchase is not None:
            one = ret.sales_or_purchase
            description, price, percent = one.desc, one.price, one.price_percent
            account = one.account_ref
        elif ret.sales_and_purchase is not None:
            both = ret.sales_and_purchase
            description, price = both.sales_desc, both.sales_price
            account = both.income_account_ref
        elif ret.kind is ItemKind.DISCOUNT:
            price, percent = ret.discount_rate, ret.discount_rate_percent
        elif ret.kind is ItemKind.SALES_TAX:
            percent = ret.tax_rate
        return cls(
            qb_id=ret.list_id,
            qb_version=ret.edit_sequence,
            name=ret.name or ret.full_name or "",
            path=ret.full_name,
            kind=QBXML_ITEM_KINDS[ret.kind],
            description=description,
            price=price,
            price_percent=percent,
            is_active=ret.is_active is not False,
            income_account=EntityRef.from_qbxml(account),
            updated_at=updated_at,
            updated_at_text=updated_at_text,
        )
