"""Recognising our own records in QuickBooks, so a write whose answer was lost is not repeated.

Every Add we build carries an ``ExternalGUID`` computed from the record, never random::

    identity_guid(scope, kind, external_id)
        = "{" + uuid5(NAMESPACE, f"{scope}\\x1f{kind}\\x1f{external_id}").upper() + "}"

``scope`` is chosen by the caller and should name the QuickBooks company (its FileID), so the
same platform record pushed to two companies gets two GUIDs; ``kind`` is the record kind
(``customer``, ``invoice``, ``payment``, ``deposit``, ``estimate``, ``credit_memo``). After a
lost response the engine queries the candidates (by name, RefNumber, or customer and date) and
compares their ``ExternalGUID`` with the one it would have sent; ``from_qbxml(..., known=...)``
does that comparison and fills ``external_id``.

QuickBooks takes ``ExternalGUID`` from qbXML 8.0 on customers and 9.0 on transactions. Against
older versions build the message with ``BuildPolicy(newer_fields="drop")`` (qbxml drops the GUID
and warns) and use the fallback markers instead:

* transactions: ``memo_marker=True`` on the Add builders appends :func:`identity_marker`
  (``[qbwc:1A2B3C4D5E6F]``, the first 12 hex digits of the GUID) to the memo; a lookup keyed
  by markers as well as GUIDs then finds the record through its memo;
* customers: the exact ``Name`` is the identity (QuickBooks refuses duplicate names with
  status 3100), so the engine looks the customer up by name before adding it again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

__all__ = [
    "IDENTITY_NAMESPACE",
    "find_marker",
    "identity_guid",
    "identity_marker",
    "recover_external_id",
    "with_marker",
]

#: The uuid5 namespace of every identity GUID (fixed forever: changing it forgets every record).
IDENTITY_NAMESPACE = uuid.UUID("8b0c6a52-3f1e-5d7a-9c4b-2e6f1a0d7b39")
_MARKER = re.compile(r"\[qbwc:([0-9A-F]{12})\]")
_SEPARATOR = "\x1f"


def identity_guid(scope: str, kind: str, external_id: str) -> str:
    """The ExternalGUID of platform record ``external_id`` of ``kind`` in ``scope``.

    Returns:
        ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``, upper case, as QuickBooks returns GUIDs.

    Raises:
        ValueError: ``scope``, ``kind`` or ``external_id`` is empty.
    """
    for name, value in (("scope", scope), ("kind", kind), ("external_id", external_id)):
        if not value:
            raise ValueError(f"identity_guid needs a non-empty {name}")
    name = _SEPARATOR.join((scope, kind, external_id))
    return "{" + str(uuid.uuid5(IDENTITY_NAMESPACE, name)).upper() + "}"


def identity_marker(guid: str) -> str:
    """The memo marker standing for ``guid`` where ExternalGUID is not available."""
    return f"[qbwc:{normalise_guid(guid)[1:-1].replace('-', '')[:12]}]"


def with_marker(memo: str | None, marker: str) -> str:
    """``memo`` with ``marker`` appended (once)."""
    if memo is None or not memo:
        return marker
    return memo if marker in memo else f"{memo} {marker}"


def find_marker(memo: str | None) -> str | None:
    """The identity marker in ``memo``, if any."""
    match = _MARKER.search(memo or "")
    return match.group(0) if match else None


def normalise_guid(guid: str) -> str:
    """``{...}`` upper case, as :func:`identity_guid` writes it."""
    text = guid.strip().upper()
    return text if text.startswith("{") else "{" + text + "}"


def recover_external_id(
    known: Mapping[str, str] | None, guid: str | None, memo: str | None = None
) -> str | None:
    """The platform id of a QuickBooks record, from its ExternalGUID or memo marker.

    Args:
        known: ``{identity_guid(...): external_id}``, optionally also keyed by markers.
        guid: The record's ``ExternalGUID`` (any case, with or without braces).
        memo: The record's memo, searched for a marker when the GUID is unknown.
    """
    if not known:
        return None
    if guid and guid != "0":
        found = known.get(normalise_guid(guid))
        if found is not None:
            return found
    marker = find_marker(memo)
    return known.get(marker) if marker else None
