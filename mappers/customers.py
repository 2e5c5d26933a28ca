"""The canonical customer (and job) record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from attrs import field, frozen

from mappers.common import Address, EntityRef, aware, modified_time
from mappers.identity import recover_external_id
from mappers.money import money_validator
from qbxml.responses import CustomerRet

__all__ = ["Customer"]


@frozen(kw_only=True)
class Customer:
    """A customer; a job when ``parent`` is set (QBO: a sub-customer).

    Attributes:
        external_id: The platform's id (``None`` for a customer only known in QuickBooks).
        qb_id: QuickBooks' id (ListID / QBO Id); ``None`` before the first push.
        qb_version: EditSequence / SyncToken, needed to modify it.
        name: The customer's name (QBD ``Name``, QBO ``DisplayName``), unique in QuickBooks.
        path: The full name with parents, ``Parent:Job`` (QBO ``FullyQualifiedName``).
        balance: What the customer owes, without its jobs (read only).
        updated_at: When QuickBooks last changed it, if it gave an offset.
        updated_at_text: QuickBooks' own text of that time, verbatim.
    """

    name: str
    external_id: str | None = None
    qb_id: str | None = None
    qb_version: str | None = None
    path: str | None = None
    company_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    bill_address: Address | None = None
    ship_address: Address | None = None
    is_active: bool = True
    parent: EntityRef | None = None
    balance: Decimal | None = field(default=None, validator=money_validator)
    updated_at: dt.datetime | None = field(default=None, validator=aware)
    updated_at_text: str | None = None

    @classmethod
    def from_qbxml(cls, ret: CustomerRet, *, known: Mapping[str, str] | None = None) -> Customer:
        """Read a ``CustomerRet``.

        Args:
            ret: The record QuickBooks returned.
            known: ``{identity GUID: external_id}`` of records we pushed, to fill
                ``external_id`` (see :mod:`mappers.identity`).
        """
        updated_at, updated_at_text = modified_time(ret.time_modified)
        return cls(
            external_id=recover_external_id(known, ret.external_guid),
            qb_id=ret.list_id,
            qb_version=ret.edit_sequence,
            name=ret.name or ret.full_name or "",
            path=ret.full_name,
            company_name=ret.company_name,
            first_name=ret.first_name,
            last_name=ret.last_name,
            email=ret.email,
            phone=ret.phone,
            bill_address=Address.from_qbxml_optional(ret.bill_address),
            ship_address=Address.from_qbxml_optional(ret.ship_address),
            is_active=ret.is_active is not False,
            parent=EntityRef.from_qbxml(ret.parent_ref),
            balance=ret.balance,
            updated_at=updated_at,
            updated_at_text=updated_at_text,
        )
