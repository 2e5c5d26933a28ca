"""Records deleted in QuickBooks: deletions never show up in ordinary queries."""

from __future__ import annotations

import datetime as dt

from attrs import field, frozen

from mappers.common import aware, kind_of_txn_type, modified_time, snake
from qbxml.responses import ListDeletedRet, ListDelResult, TxnDeletedRet, TxnDelResult

__all__ = ["Tombstone"]

# qbXML ListDelType -> neutral kind; every Item... type is an "item". Others: snake_case.
_LIST_KINDS = {"Account": "account", "Customer": "customer"}


def kind_of_list_type(list_type: str) -> str:
    """``ItemService`` -> ``item``, ``Customer`` -> ``customer``, ``ShipMethod`` -> ``ship_method``.

    Every ``Item...`` type is an item; the others are their snake_case.
    """
    if list_type.startswith("Item"):
        return "item"
    return _LIST_KINDS.get(list_type) or snake(list_type)


@frozen(kw_only=True)
class Tombstone:
    """A record deleted in QuickBooks.

    Attributes:
        kind: Neutral record kind (``invoice``, ``payment``, ``customer``, ``item``...).
        qb_type: QuickBooks' own type (``ReceivePayment``, ``ItemService``...).
        label: What people knew it by: a transaction's number or a list object's full name.
        deleted_at: When, if QuickBooks gave an offset; ``deleted_at_text`` verbatim.
    """

    kind: str
    qb_id: str
    qb_type: str
    label: str | None = None
    deleted_at: dt.datetime | None = field(default=None, validator=aware)
    deleted_at_text: str | None = None

    @classmethod
    def from_qbxml(
        cls, ret: TxnDeletedRet | ListDeletedRet | TxnDelResult | ListDelResult
    ) -> Tombstone:
        """Read a deleted-query record, or the answer to our own TxnDel / ListDel."""
        if isinstance(ret, TxnDeletedRet | TxnDelResult):
            qb_type = ret.txn_del_type or ""
            kind, qb_id, label = kind_of_txn_type(qb_type), ret.txn_id, ret.ref_number
        else:
            qb_type = ret.list_del_type or ""
            kind, qb_id, label = kind_of_list_type(qb_type), ret.list_id, ret.full_name
        deleted_at, deleted_at_text = modified_time(ret.time_deleted)
        return cls(
            kind=kind,
            qb_id=qb_id or "",
            qb_type=qb_type,
            label=label,
            deleted_at=deleted_at,
            deleted_at_text=deleted_at_text,
        )
