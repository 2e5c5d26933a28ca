"""Company-level requests: host, company, preferences, and custom field (DataExt) setup.

The Web Connector already sends Host, Company and Preferences queries on the first
``sendRequestXML`` (``strHCPResponse``); these are for asking again. ``OwnerID`` ``0`` is the
owner of the custom fields users see in QuickBooks (``qbwc-protocol.md`` section 8).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from attrs import frozen

from qbxml.requests.base import Request
from qbxml.requests.common import Ref


@frozen(kw_only=True)
class HostQuery(Request):
    """``HostQueryRq``: product, version and ``SupportedQBXMLVersion`` list."""

    RQ: ClassVar[str] = "HostQueryRq"
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class CompanyQuery(Request):
    """``CompanyQueryRq``; ``owner_id`` adds that owner's custom fields (``DataExtRet``)."""

    RQ: ClassVar[str] = "CompanyQueryRq"
    include_ret_element: tuple[str, ...] = ()
    owner_id: tuple[str | uuid.UUID, ...] = ()


@frozen(kw_only=True)
class PreferencesQuery(Request):
    """``PreferencesQueryRq``: accounting, sales tax, multi-currency... settings."""

    RQ: ClassVar[str] = "PreferencesQueryRq"
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class DataExtDefAdd(Request):
    """``DataExtDefAddRq``: define custom field ``data_ext_name`` (type ``STR255TYPE``...)."""

    RQ: ClassVar[str] = "DataExtDefAddRq"
    owner_id: str | uuid.UUID
    data_ext_name: str
    data_ext_type: str
    assign_to_object: tuple[str, ...] = ()
    data_ext_list_require: bool | None = None
    data_ext_txn_require: bool | None = None
    data_ext_format_string: str | None = None
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class DataExtAdd(Request):
    """``DataExtAddRq``: set a custom field on a list object, a transaction (line) or the company.

    Give ``list_data_ext_type`` + ``list_obj_ref``, or ``txn_data_ext_type`` + ``txn_id``
    (+ ``txn_line_id``), or ``other_data_ext_type="Company"``.
    """

    RQ: ClassVar[str] = "DataExtAddRq"
    owner_id: str | uuid.UUID
    data_ext_name: str
    data_ext_value: str
    list_data_ext_type: str | None = None
    list_obj_ref: Ref | None = None
    txn_data_ext_type: str | None = None
    txn_id: str | None = None
    txn_line_id: str | None = None
    other_data_ext_type: str | None = None
