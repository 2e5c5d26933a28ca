"""Small values every record uses: addresses, references to QuickBooks objects, links, times.

Names are neutral so the same records serve QuickBooks Desktop (qbXML) and QuickBooks Online
(JSON): ``qb_id`` is a ListID/TxnID or a QBO ``Id``, ``qb_version`` an EditSequence or a
``SyncToken``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from mappers.money import money_validator
from qbxml.responses import Address as AddressRet
from qbxml.responses import LinkedTxn, QbDateTime
from qbxml.responses import Ref as RefRet

__all__ = [
    "Address",
    "EntityRef",
    "LinkedTransaction",
]

MAX_ADDRESS_LINES = 5

# qbXML TxnType / TxnDelType -> neutral kind. Types not listed become their snake_case.
_TXN_KINDS = {
    "ReceivePayment": "payment",
    "ARRefundCreditCard": "refund",
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    """``CreditMemo`` -> ``credit_memo``, ``ARRefund`` -> ``ar_refund``; ``""`` -> ``unknown``."""
    return _CAMEL.sub("_", name).lower() or "unknown"


def kind_of_txn_type(txn_type: str) -> str:
    """The neutral kind of a qbXML transaction type: ``ReceivePayment`` -> ``payment``."""
    return _TXN_KINDS.get(txn_type) or snake(txn_type)


def _lines(instance: Address, attribute: Any, value: tuple[str, ...]) -> None:
    if len(value) > MAX_ADDRESS_LINES:
        raise ValueError(f"an address has at most {MAX_ADDRESS_LINES} lines, got {len(value)}")


@frozen(kw_only=True)
class Address:
    """A postal address: up to five street lines, then city, region (state), postal code."""

    lines: tuple[str, ...] = field(default=(), validator=_lines)
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    note: str | None = None

    @property
    def is_empty(self) -> bool:
        """No line and no other part is set."""
        parts = (self.city, self.region, self.postal_code, self.country, self.note)
        return not self.lines and all(part is None for part in parts)

    @classmethod
    def from_qbxml(cls, ret: AddressRet) -> Address:
        """Read a ``BillAddress``/``ShipAddress``; empty ``AddrN`` lines are skipped."""
        lines = (ret.addr1, ret.addr2, ret.addr3, ret.addr4, ret.addr5)
        return cls(
            lines=tuple(line for line in lines if line),
            city=ret.city,
            region=ret.state,
            postal_code=ret.postal_code,
            country=ret.country,
            note=ret.note,
        )

    @classmethod
    def from_qbxml_optional(cls, ret: AddressRet | None) -> Address | None:
        """:meth:`from_qbxml`, passing ``None`` through."""
        return None if ret is None else cls.from_qbxml(ret)


def _some_id(instance: EntityRef, attribute: Any, value: str | None) -> None:
    if instance.qb_id is None and instance.name is None:
        raise ValueError("an EntityRef needs a qb_id, a name or both")


@frozen(kw_only=True)
class EntityRef:
    """How a record points at a customer, item, account or transaction in QuickBooks.

    ``qb_id`` is the ListID/TxnID (QBO ``Id``); ``name`` the full name (``Parent:Job``), or a
    transaction's number. Either may be missing, not both.
    """

    qb_id: str | None = None
    name: str | None = field(default=None, validator=_some_id)

    @classmethod
    def from_qbxml(cls, ret: RefRet | None) -> EntityRef | None:
        """Read a ``...Ref``; ``None`` when it is absent or empty."""
        if ret is None or (ret.list_id is None and ret.full_name is None):
            return None
        return cls(qb_id=ret.list_id, name=ret.full_name)


@frozen(kw_only=True)
class LinkedTransaction:
    """Another transaction linked to this one, e.g. a payment or credit applied to an invoice.

    ``kind`` is neutral (``payment``, ``credit_memo``, ``estimate``, ``deposit``...);
    ``amount`` is as QuickBooks reports it (payments on an invoice are negative).
    """

    kind: str
    qb_id: str | None = None
    number: str | None = None
    amount: Decimal | None = field(default=None, validator=money_validator)
    date: dt.date | None = None

    @classmethod
    def from_qbxml(cls, ret: LinkedTxn) -> LinkedTransaction:
        """Read a ``LinkedTxn``."""
        return cls(
            kind=kind_of_txn_type(ret.txn_type or ""),
            qb_id=ret.txn_id,
            number=ret.ref_number,
            amount=ret.amount,
            date=ret.txn_date,
        )


def modified_time(value: QbDateTime | None) -> tuple[dt.datetime | None, str | None]:
    """``(updated_at, updated_at_text)`` from a ``TimeModified``.

    The text is kept verbatim: QuickBooks reports wrong UTC offsets around DST, so incremental
    syncs send the text back rather than a converted instant (``qbwc-protocol.md`` section 9).
    ``updated_at`` is ``None`` when the text carries no offset (a naive time is not an instant)
    or is no time at all (a damaged record: the text is kept for the watermark checks).
    """
    if value is None:
        return None, None
    moment = value.value
    aware = moment if moment is not None and moment.utcoffset() is not None else None
    return aware, value.text


def aware(instance: object, attribute: Any, value: dt.datetime | None) -> None:
    """attrs validator: a datetime must carry a timezone."""
    if value is not None and value.utcoffset() is None:
        raise ValueError("updated_at must be timezone-aware")
