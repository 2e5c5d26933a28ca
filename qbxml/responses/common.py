"""Small records shared by many Ret kinds: references, addresses, custom fields, links."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from lxml import etree

from qbxml.responses.base import (
    QbDateTime,
    RawPair,
    Record,
    build,
    one,
    to_bool,
    to_date,
    to_datetime,
    to_money,
    xml_record,
    xml_tuple,
)

__all__ = [
    "Address",
    "DataExtRet",
    "ErrorRecovery",
    "LinkedTxn",
    "ListDelResult",
    "Ref",
    "TxnDelResult",
]


@xml_tuple({"ListID": one("list_id"), "FullName": one("full_name")})
class Ref(NamedTuple):
    """A reference to a list object (``CustomerRef``, ``ItemRef``, ``ParentRef``...).

    A named tuple (see :func:`~qbxml.responses.base.xml_tuple`): immutable and cheap to build.
    """

    list_id: str | None = None
    full_name: str | None = None
    extra: tuple[RawPair, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Ref:
        """Build the reference from its element (e.g. ``<CustomerRef>``)."""
        return build(cls, element)


@xml_tuple(
    {
        "Name": one("name"),
        "Addr1": one("addr1"),
        "Addr2": one("addr2"),
        "Addr3": one("addr3"),
        "Addr4": one("addr4"),
        "Addr5": one("addr5"),
        "City": one("city"),
        "State": one("state"),
        "PostalCode": one("postal_code"),
        "Country": one("country"),
        "Note": one("note"),
        "DefaultShipTo": one("default_ship_to", to_bool),
    }
)
class Address(NamedTuple):
    """A postal address; also used for address blocks and ``ShipToAddress`` (name, default).

    A named tuple (see :func:`~qbxml.responses.base.xml_tuple`): immutable and cheap to build.
    """

    name: str | None = None
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
    default_ship_to: bool | None = None
    extra: tuple[RawPair, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Address:
        """Build the address from its element (e.g. ``<BillAddress>``)."""
        return build(cls, element)


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class DataExtRet(Record):
    """A custom field value; ``OwnerID`` 0 is a user field, a GUID belongs to an application."""

    _XML = {
        "OwnerID": one("owner_id"),
        "DataExtName": one("data_ext_name"),
        "DataExtType": one("data_ext_type"),
        "DataExtValue": one("data_ext_value"),
    }

    owner_id: str | None = None
    data_ext_name: str | None = None
    data_ext_type: str | None = None
    data_ext_value: str | None = None



@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class LinkedTxn(Record):
    """A transaction linked to this one (payments on an invoice, an estimate invoiced...)."""

    _XML = {
        "TxnID": one("txn_id"),
        "TxnType": one("txn_type"),
        "TxnDate": one("txn_date", to_date),
        "RefNumber": one("ref_number"),
        "LinkType": one("link_type"),
        "Amount": one("amount", to_money),
    }

    txn_id: str | None = None
    txn_type: str | None = None
    txn_date: date | None = None
    ref_number: str | None = None
    link_type: str | None = None
    amount: Decimal | None = None



@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class ErrorRecovery(Record):
    """What an Add/Mod left behind when error recovery was asked for (qbXML 11.0+)."""

    _XML = {
        "ListID": one("list_id"),
        "OwnerID": one("owner_id"),
        "TxnID": one("txn_id"),
        "TxnNumber": one("txn_number"),
        "EditSequence": one("edit_sequence"),
        "ExternalGUID": one("external_guid"),
    }

    list_id: str | None = None
    owner_id: str | None = None
    txn_id: str | None = None
    txn_number: str | None = None
    edit_sequence: str | None = None
    external_guid: str | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class TxnDelResult(Record):
    """The body of a ``TxnDelRs``: which transaction QuickBooks deleted, and when."""

    _XML = {
        "TxnDelType": one("txn_del_type"),
        "TxnID": one("txn_id"),
        "TimeDeleted": one("time_deleted", to_datetime),
        "RefNumber": one("ref_number"),
    }

    txn_del_type: str | None = None
    txn_id: str | None = None
    time_deleted: QbDateTime | None = None
    ref_number: str | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class ListDelResult(Record):
    """The body of a ``ListDelRs``: which list object QuickBooks deleted, and when."""

    _XML = {
        "ListDelType": one("list_del_type"),
        "ListID": one("list_id"),
        "TimeDeleted": one("time_deleted", to_datetime),
        "FullName": one("full_name"),
    }

    list_del_type: str | None = None
    list_id: str | None = None
    time_deleted: QbDateTime | None = None
    full_name: str | None = None

