"""Aggregates shared by many requests: references, addresses, custom fields, credits.

Each class fits every element of the same shape: :class:`Ref` is ``CustomerRef``,
``ClassRef``, ``ItemRef`` and the rest; the element it lands in, and so the max lengths
checked, come from the attribute holding it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from attrs import frozen


@frozen(kw_only=True)
class Ref:
    """A reference to a list object (``...Ref``): by ``list_id``, ``full_name`` or both."""

    list_id: str | None = None
    full_name: str | None = None


@frozen(kw_only=True)
class Address:
    """``BillAddress`` / ``ShipAddress``."""

    addr1: str | None = None
    addr2: str | None = None
    addr3: str | None = None
    addr4: str | None = None
    addr5: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    note: str | None = None


@frozen(kw_only=True)
class ShipToAddress(Address):
    """A named extra ship-to address of a customer (``ShipToAddress``, qbXML 12.0)."""

    name: str
    default_ship_to: bool | None = None


@frozen(kw_only=True)
class AdditionalContactRef:
    """A named contact detail (``AdditionalContactRef``: e.g. "Mobile", "+1 555 0100")."""

    contact_name: str
    contact_value: str


@frozen(kw_only=True)
class AdditionalNote:
    """A dated note on a customer (``AdditionalNotes``)."""

    note: str


@frozen(kw_only=True)
class DataExt:
    """A custom field value on a line (``DataExt``)."""

    owner_id: str | uuid.UUID
    data_ext_name: str
    data_ext_value: str


@frozen(kw_only=True)
class LinkToTxn:
    """Link a line to a line of another transaction (``LinkToTxn``), e.g. an estimate line."""

    txn_id: str
    txn_line_id: str


@frozen(kw_only=True)
class SetCredit:
    """Apply an existing credit memo (``SetCredit``)."""

    credit_txn_id: str
    applied_amount: Decimal
    override: bool | None = None


@frozen(kw_only=True)
class CashBackInfo:
    """Cash taken back out of a deposit (``CashBackInfoAdd``)."""

    account_ref: Ref
    memo: str | None = None
    amount: Decimal | None = None
