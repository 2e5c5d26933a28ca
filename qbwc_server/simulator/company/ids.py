"""Identifiers and timestamps in QuickBooks' own shapes.

* ListID / TxnID / TxnLineID: an upper-case hex counter, ``-``, and the 10-digit Unix time of
  creation (``80000013-1416570432``, ``C5-1417118624``; samples in ``qbwc-contract``). List
  counters start at ``0x80000001``; transaction and line IDs share one small counter, as in the
  flowlink InvoiceAdd capture (TxnID ``C5``, first line ``C7``).
* EditSequence: the Unix time of the last change, forced to grow on every change.
* TimeCreated/TimeModified: local time with its UTC offset (``2014-07-19T07:21:56-05:00``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from qbxml.numbers import whole_number

__all__ = ["IdFactory", "format_time", "next_edit_sequence", "parse_time"]

FIRST_LIST_COUNTER = 0x80000001
FIRST_TXN_COUNTER = 0x1


class IdFactory:
    """Hands out list and transaction identifiers; the counters are part of the saved state."""

    def __init__(self, list_counter: int = FIRST_LIST_COUNTER, txn_counter: int = FIRST_TXN_COUNTER,
                 txn_number: int = 1) -> None:
        self.list_counter = list_counter
        self.txn_counter = txn_counter
        self.txn_number = txn_number

    def list_id(self, at: datetime) -> str:
        """A new ListID stamped with ``at``."""
        value = f"{self.list_counter:X}-{_epoch(at)}"
        self.list_counter += 1
        return value

    def txn_id(self, at: datetime) -> str:
        """A new TxnID or TxnLineID stamped with ``at``."""
        value = f"{self.txn_counter:X}-{_epoch(at)}"
        self.txn_counter += 1
        return value

    def next_txn_number(self) -> int:
        """The next TxnNumber (QuickBooks numbers every transaction in one sequence)."""
        value = self.txn_number
        self.txn_number += 1
        return value

    def to_state(self) -> dict[str, int]:
        """The counters, for the saved state."""
        return {"list_counter": self.list_counter, "txn_counter": self.txn_counter,
                "txn_number": self.txn_number}


def _epoch(at: datetime) -> str:
    return f"{int(at.timestamp()):010d}"


def next_edit_sequence(previous: str | None, at: datetime) -> str:
    """The EditSequence after a change at ``at``: its Unix time, but always above ``previous``."""
    value = int(at.timestamp())
    previous_value = whole_number(previous or "", maximum=2**63)
    if previous_value is not None:
        value = max(value, previous_value + 1)
    return str(value)


def format_time(at: datetime, zone: tzinfo) -> str:
    """DATETIMETYPE as QuickBooks writes it: local wall time with the offset."""
    return at.astimezone(zone).isoformat(timespec="seconds")


def parse_time(text: str, zone: tzinfo, *, end_of_day: bool = False) -> datetime:
    """Read a filter's DATETIMETYPE/DATETYPE; a value without offset is company-local time."""
    text = text.strip()
    if len(text) == 10:
        value = datetime.fromisoformat(text)
        if end_of_day:
            value += timedelta(days=1, microseconds=-1)
    else:
        value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value
