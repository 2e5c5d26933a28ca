"""When a record read from QuickBooks meets a platform write that has not reached it yet.

With a direction of ``both``, every session pulls before it pushes, so a record the platform
changed is usually read back from QuickBooks before its Mod is sent. The rule
(docs/sync.md, "Conflicts"):

* **Same EditSequence** as the one we last knew: the pull's overlap read a record nobody
  changed in QuickBooks. The platform's pending write stays as it is.
* **A newer EditSequence**: someone changed the record in QuickBooks meanwhile. Field by
  field, against the copy the platform's write was based on (``SyncRecord.base_data``): a
  field only QuickBooks changed keeps QuickBooks' value; a field the platform changed keeps
  the platform's value, also when QuickBooks changed it too (the platform's write is the
  one still to be made, and it is made on the new EditSequence). The change feed gets a
  ``conflict`` entry with the three versions, so the QuickBooks value a write replaces is
  never lost silently.
* A write already **sent** (or whose answer was lost) is left alone: its answer, or the
  reconcile step, decides what happened.

The same merge runs when QuickBooks refuses a Mod as stale (3200) and the record is read
again by id before it is resent.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from qbwc_server.store.models import SyncRecord

CONFLICT = "conflict"
#: Push states in which ``data`` holds a platform write QuickBooks does not have yet.
WAITING = ("pending", "failed")
#: ... and those in which the write is on its way, its outcome not known yet.
OUT = ("sent", "unknown")
#: Fields QuickBooks (or we) maintain: never a platform change, never a conflict.
_MAINTAINED = frozenset({"external_id", "qb_id", "qb_version", "updated_at", "updated_at_text",
                         "balance", "open_balance", "is_paid", "is_voided", "linked", "path"})


@attrs.frozen(kw_only=True)
class Merge:
    """A pending platform write merged with a newer QuickBooks copy.

    Attributes:
        record: what the pending write carries now.
        quickbooks: fields only QuickBooks changed (QuickBooks' values kept).
        platform: fields only the platform changed (the platform's values kept).
        both: fields both changed; the platform's value is written over QuickBooks'.
    """

    record: dict[str, Any]
    quickbooks: tuple[str, ...]
    platform: tuple[str, ...]
    both: tuple[str, ...]


def merge(base: dict[str, Any], platform: dict[str, Any], quickbooks: dict[str, Any]) -> Merge:
    """Three-way merge of canonical records (JSON); ``base`` empty when it is unknown.

    A field the platform leaves empty is not part of its write (a Mod does not send it).
    Without a base every field the platform states counts as changed by it.
    """
    fields = sorted((set(platform) | set(quickbooks)) - _MAINTAINED)
    ours = _changed(base, platform)
    theirs = {f for f in fields if not _same(base.get(f), quickbooks.get(f))}
    record = {**quickbooks, **{f: platform[f] for f in ours},
              "external_id": platform.get("external_id")}
    return Merge(record=record, quickbooks=tuple(sorted(theirs - ours)),
                 platform=tuple(sorted(ours - theirs)), both=tuple(sorted(ours & theirs)))


def carried(base: dict[str, Any], platform: dict[str, Any], quickbooks: dict[str, Any]) -> bool:
    """Whether QuickBooks' copy already has every value the platform's write changes: the
    write was applied and its answer lost (or someone typed the same values)."""
    return all(_agrees(platform[f], quickbooks.get(f)) for f in _changed(base, platform))


def _changed(base: dict[str, Any], platform: dict[str, Any]) -> set[str]:
    """The fields a platform write changes against the copy it was based on."""
    return {f for f in set(platform) - _MAINTAINED if not _agrees(platform[f], base.get(f))}


def meet(row: SyncRecord, *, qb_version: str | None, data: str, modified_text: str | None,
         now: datetime) -> dict[str, Any] | None:
    """Apply a copy read from QuickBooks (``data``, canonical JSON) to ``row``, whose platform
    write is pending or out; returns the ``conflict`` entry's data, or None (no conflict)."""
    if row.push_state in OUT:
        return None
    if row.qb_version is None or row.qb_version == qb_version:
        row.qb_version = qb_version
        return None
    mine, theirs = json.loads(row.data), json.loads(data)
    result = merge(json.loads(row.base_data) if row.base_data else {}, mine, theirs)
    row.data = json.dumps(result.record, sort_keys=True, separators=(",", ":"))
    row.base_data, row.qb_version, row.qb_modified_text = data, qb_version, modified_text
    row.label = _label(result.record)
    row.is_deleted, row.updated_at = False, now
    return {"record": result.record, "quickbooks": theirs, "platform": mine,
            "fields": {"quickbooks": list(result.quickbooks), "platform": list(result.platform),
                       "both": list(result.both)}}


def _label(record: dict[str, Any]) -> str | None:
    for field in ("path", "name", "number", "reference"):
        if record.get(field):
            return str(record[field])[:250]
    return None


def _same(one: Any, other: Any) -> bool:
    return _agrees(one, other) and _agrees(other, one)


def _agrees(stated: Any, known: Any) -> bool:
    """Whether ``known`` has every value ``stated`` gives; None states nothing.

    The platform's records state less than QuickBooks' copies (no TxnLineID, no computed
    amount) and write numbers its own way ("2" for "2.00"), neither of which is a change.
    """
    if stated is None:
        return True
    if isinstance(stated, dict):
        return isinstance(known, dict) and all(_agrees(value, known.get(key))
                                               for key, value in stated.items())
    if isinstance(stated, list):
        return (isinstance(known, list) and len(stated) == len(known)
                and all(map(_agrees, stated, known)))
    if isinstance(stated, str) and isinstance(known, str) and stated != known:
        number = _number(stated)
        return number is not None and number == _number(known)
    return bool(stated == known)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
