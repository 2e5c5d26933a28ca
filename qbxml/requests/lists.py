"""List requests: customers (add, modify, query), accounts and items (query).

Archiving a customer is a :class:`CustomerMod` with ``is_active=False``; list queries return
only active objects unless ``active_status="All"`` (``qbwc-protocol.md`` section 8).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import ClassVar

from attrs import frozen

from qbxml.requests.base import IteratorQuery, Query, Request
from qbxml.requests.common import AdditionalContactRef, AdditionalNote, Address, Ref, ShipToAddress
from qbxml.requests.filters import ListFilter, ListFilters


@frozen(kw_only=True)
class CustomerQuery(ListFilters, IteratorQuery):
    """``CustomerQueryRq`` (supports iterators)."""

    RQ: ClassVar[str] = "CustomerQueryRq"
    currency_filter: ListFilter | None = None
    class_filter: ListFilter | None = None


@frozen(kw_only=True)
class AccountQuery(ListFilters, Query):
    """``AccountQueryRq`` (no iterator in qbXML 13.0)."""

    RQ: ClassVar[str] = "AccountQueryRq"
    account_type: tuple[str, ...] = ()
    currency_filter: ListFilter | None = None


@frozen(kw_only=True)
class ItemQuery(ListFilters, IteratorQuery):
    """``ItemQueryRq``: every item kind (service, inventory, non-inventory, discount ...)."""

    RQ: ClassVar[str] = "ItemQueryRq"


@frozen(kw_only=True, slots=False)
class _CustomerFields:
    """Fields CustomerAdd and CustomerMod share (same order in both; the table decides)."""

    is_active: bool | None = None
    class_ref: Ref | None = None
    parent_ref: Ref | None = None
    company_name: str | None = None
    salutation: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    bill_address: Address | None = None
    ship_address: Address | None = None
    ship_to_address: tuple[ShipToAddress, ...] = ()
    phone: str | None = None
    alt_phone: str | None = None
    fax: str | None = None
    email: str | None = None
    cc: str | None = None
    contact: str | None = None
    alt_contact: str | None = None
    additional_contact_ref: tuple[AdditionalContactRef, ...] = ()
    customer_type_ref: Ref | None = None
    terms_ref: Ref | None = None
    sales_rep_ref: Ref | None = None
    sales_tax_code_ref: Ref | None = None
    item_sales_tax_ref: Ref | None = None
    resale_number: str | None = None
    account_number: str | None = None
    credit_limit: Decimal | None = None
    preferred_payment_method_ref: Ref | None = None
    job_status: str | None = None
    job_start_date: dt.date | None = None
    job_projected_end_date: dt.date | None = None
    job_end_date: dt.date | None = None
    job_desc: str | None = None
    job_type_ref: Ref | None = None
    notes: str | None = None
    preferred_delivery_method: str | None = None
    price_level_ref: Ref | None = None
    currency_ref: Ref | None = None
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class CustomerAdd(_CustomerFields, Request):
    """``CustomerAddRq``. ``external_guid`` (qbXML 8.0) lets error recovery find the record."""

    RQ: ClassVar[str] = "CustomerAddRq"
    name: str
    open_balance: Decimal | None = None
    open_balance_date: dt.date | None = None
    additional_notes: tuple[AdditionalNote, ...] = ()
    external_guid: str | uuid.UUID | None = None


@frozen(kw_only=True)
class CustomerMod(_CustomerFields, Request):
    """``CustomerModRq``: ``list_id`` and the current ``edit_sequence`` are required."""

    RQ: ClassVar[str] = "CustomerModRq"
    list_id: str
    edit_sequence: str
    name: str | None = None
