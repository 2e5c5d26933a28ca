"""Deleting, voiding, and finding out what was deleted.

Deleted objects never show up in ordinary queries, so incremental sync polls
:class:`TxnDeletedQuery` / :class:`ListDeletedQuery` (``qbwc-protocol.md`` section 9).
"""

from __future__ import annotations

from typing import ClassVar

from attrs import frozen

from qbxml.requests.base import Query, Request
from qbxml.requests.filters import DeletedDateRangeFilter


@frozen(kw_only=True)
class TxnDel(Request):
    """``TxnDelRq``: delete transaction ``txn_id`` of type ``txn_del_type`` (``Invoice``...)."""

    RQ: ClassVar[str] = "TxnDelRq"
    txn_del_type: str
    txn_id: str


@frozen(kw_only=True)
class ListDel(Request):
    """``ListDelRq``: delete list object ``list_id`` of type ``list_del_type`` (``Customer``...)."""

    RQ: ClassVar[str] = "ListDelRq"
    list_del_type: str
    list_id: str


@frozen(kw_only=True)
class TxnVoid(Request):
    """``TxnVoidRq``: void transaction ``txn_id`` (it stays, with zero amounts)."""

    RQ: ClassVar[str] = "TxnVoidRq"
    txn_void_type: str
    txn_id: str


@frozen(kw_only=True)
class TxnDeletedQuery(Query):
    """``TxnDeletedQueryRq`` (qbXML 2.0, no iterator): deleted transactions of these types."""

    RQ: ClassVar[str] = "TxnDeletedQueryRq"
    txn_del_type: tuple[str, ...]
    deleted_date_range_filter: DeletedDateRangeFilter | None = None
    include_ret_element: tuple[str, ...] = ()


@frozen(kw_only=True)
class ListDeletedQuery(Query):
    """``ListDeletedQueryRq`` (qbXML 2.0, no iterator): deleted list objects of these types."""

    RQ: ClassVar[str] = "ListDeletedQueryRq"
    list_del_type: tuple[str, ...]
    deleted_date_range_filter: DeletedDateRangeFilter | None = None
    include_ret_element: tuple[str, ...] = ()
