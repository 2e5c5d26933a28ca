"""Checks a platform record passes before it is queued for QuickBooks.

QuickBooks would refuse these records, or book them with other amounts, only after the
platform was told "accepted". Refusing them at the door (with the field and what to send
instead) loses nothing: the platform corrects the record and sends it again.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from mappers import Deposit, Invoice, Payment, check_amounts, with_total
from qbwc_server.errors import InvalidInputError
from qbwc_server.sync import records

_INDEX = re.compile(r"\[(\d+)\]")


def checked(session: Session, company_id: int, record: Any) -> Any:
    """``record`` ready to queue: an invoice gets the total QuickBooks will book if it had
    none; amounts that do not add up are refused.

    Raises:
        InvalidInputError: naming each field that is wrong (nothing is queued).
    """
    if isinstance(record, Invoice):
        record = with_total(record)
    if not isinstance(record, Invoice | Payment | Deposit):
        return record
    problems = [(problem.where, problem.message) for problem in check_amounts(record)]
    if isinstance(record, Deposit):
        problems += _deposited_amounts(session, company_id, record)
    if problems:
        fields = tuple((_dotted(where), message) for where, message in problems)
        raise InvalidInputError("; ".join(f"{field}: {message}" for field, message in fields),
                                fields=fields)
    return record


def _deposited_amounts(session: Session, company_id: int,
                       deposit: Deposit) -> list[tuple[str, str]]:
    """A deposit takes each payment whole: a stated amount must be the payment's amount."""
    problems = []
    for index, deposited in enumerate(deposit.payments):
        ref = deposited.payment
        if deposited.amount is None:
            continue
        row = (records.find(session, company_id, "payment", qb_id=ref.qb_id) if ref.qb_id
               else records.find(session, company_id, "payment", external_id=ref.name))
        if row is None or row.is_deleted:
            continue  # not known yet: the deposit waits for it, QuickBooks deposits it whole
        amount = json.loads(row.data).get("amount")
        if amount is not None and Decimal(amount) != deposited.amount:
            problems.append((
                f"payments[{index}].amount",
                f"payment {ref.qb_id or ref.name} is {amount}, but {deposited.amount} is "
                "given: QuickBooks deposits a payment whole, so give its amount or leave "
                "the amount out."))
    return problems


def _dotted(where: str) -> str:
    """``applications[0].amount`` as the API names fields: ``applications.0.amount``."""
    return _INDEX.sub(r".\1", where)
