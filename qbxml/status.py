"""qbXML status codes: what each one means and what the caller should do about it.

One table (:data:`STATUS_TABLE`) maps every code documented in ``qbwc-protocol.md`` section 10
to a meaning and an :class:`Action`; :func:`classify` reads it, and falls back on the code's
range for codes not in the table. No if-ladders: the sync engine switches on ``Action``.

Decisions worth knowing:

* The code wins over ``statusSeverity`` for documented codes: QuickBooks reports 3210 "You
  cannot pay more than the amount due" with severity ``Info`` although nothing was saved.
* 3140 (invalid reference: the customer/item named in the request does not exist) maps to
  ``NOT_FOUND`` like 3120; the meaning text says which, and :attr:`StatusInfo.code` lets the
  engine create the missing dependency for 3140 and re-link/recreate the object for 3120.
* 3180 ("error when saving") is QuickBooks' catch-all for a save that failed: ``SKIP``
  (a bad value, a duplicate data extension: resending cannot help), but ``RETRY`` when its
  message names a cause that passes (another user, a lock, an element in use).
* 3231 ("the request has not been processed") means QuickBooks never ran the request, so
  nothing is wrong with it: ``RETRY``.
* 3391 (iteratorID no longer valid; iterators do not outlive the QuickBooks session) maps to
  ``RETRY``: nothing is wrong with the data, the caller drops the iteratorID and restarts the
  query with ``iterator="Start"``. Resending the same ``Continue`` would fail again.
* Fallback by range: 0-499 Info and 500-999 Warning are ``OK`` (data returned), unless the
  severity says ``Error``, which makes them ``SKIP``; 1000-2999 (general errors, and codes not
  supported for QuickBooks Desktop) ``STOP`` the session; 3000-3099 (format), 3100-9099 (other)
  and 9100-9199 (macro) ``SKIP`` the record; anything outside 0-9199 ``STOP``\\ s.
"""

from __future__ import annotations

import dataclasses
import enum
import re

__all__ = ["STATUS_TABLE", "Action", "StatusInfo", "classify"]


class Action(enum.StrEnum):
    """What the caller should do with an Rs, given its status."""

    OK = "ok"
    """Success, or Info/Warn with data: use the records."""
    EMPTY = "empty"
    """The query matched nothing (code 1): an empty result, not an error."""
    RETRY = "retry"
    """Transient (locks, QuickBooks unavailable, stale iterator): send again later."""
    CONFLICT = "conflict"
    """Stale EditSequence (3200): re-query the object, then retry or flag a conflict."""
    NOT_FOUND = "not_found"
    """The object (3120) or a referenced object (3140) does not exist in QuickBooks."""
    DUPLICATE_NAME = "duplicate_name"
    """The name is already in use (3100): query the existing object and link to it."""
    SKIP = "skip"
    """Permanent for this record (bad value, feature off, no permission): skip and report."""
    STOP = "stop"
    """Session-level failure: stop sending requests in this session and report."""


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class StatusInfo:
    """A classified status: the code, what it means, and the :class:`Action` to take."""

    code: int
    meaning: str
    action: Action
    severity: str = ""


STATUS_TABLE: dict[int, tuple[str, Action]] = {
    0: ("Status OK", Action.OK),
    1: ("The query found no matching object", Action.EMPTY),
    500: ("Some requested objects were not found; the query was partly completed", Action.OK),
    501: ("An object cannot be represented in the requested qbXML version", Action.OK),
    510: ("An object could not be returned", Action.OK),
    530: ("A field is not supported by this QuickBooks; the object was saved", Action.OK),
    531: ("An enum value is not supported by this QuickBooks; the object was saved", Action.OK),
    550: ("The notes could not be saved", Action.OK),
    560: ("A deprecated field was used", Action.OK),
    570: ("The transaction could not be linked to a closed transaction", Action.OK),
    600: ("No stored state for this message set (error recovery)", Action.OK),
    1000: ("QuickBooks reported an internal error", Action.STOP),
    1010: ("QuickBooks is not available right now", Action.RETRY),
    1030: ("The request message is not supported", Action.STOP),
    1060: ("The requestID is invalid (more than 50 characters)", Action.SKIP),
    3000: ("An object ID in the request is invalid", Action.SKIP),
    3010: ("A boolean value in the request is invalid", Action.SKIP),
    3020: ("A date value in the request is invalid", Action.SKIP),
    3030: ("A date range in the request is invalid", Action.SKIP),
    3031: ("A string range in the request is invalid", Action.SKIP),
    3100: ("The name is already in use", Action.DUPLICATE_NAME),
    3120: ("The object referenced by ID cannot be found", Action.NOT_FOUND),
    3140: ("Invalid reference: a referenced object (customer, item...) does not exist; "
           "create it first", Action.NOT_FOUND),
    3170: ("The list was modified by another user", Action.RETRY),
    3175: ("QuickBooks could not lock the object's internals", Action.RETRY),
    3176: ("QuickBooks failed to acquire a lock", Action.RETRY),
    3180: ("The object could not be saved", Action.SKIP),
    3200: ("The EditSequence is out of date", Action.CONFLICT),
    3210: ("A field has an invalid value (e.g. paying more than the amount due)", Action.SKIP),
    3231: ("The request was not processed", Action.RETRY),
    3250: ("The feature is not enabled in this QuickBooks company", Action.SKIP),
    3260: ("Insufficient permission for this request", Action.SKIP),
    3261: ("The application has no permission for this request", Action.SKIP),
    3391: ("The iteratorID is no longer valid; restart the query with iterator=Start",
           Action.RETRY),
}
"""Documented codes (``qbwc-protocol.md`` section 10) -> (meaning, action)."""

# Codes that are RETRY instead of their table action when the message names a passing cause.
_RETRY_WHEN_MESSAGE_SAYS: dict[int, re.Pattern[str]] = {
    3180: re.compile(r"another user|\block|element is in use|try again", re.IGNORECASE),
}

# (first code, last code, meaning, action) for codes not in STATUS_TABLE.
_RANGES: tuple[tuple[int, int, str, Action], ...] = (
    (0, 499, "Informational status", Action.OK),
    (500, 999, "Warning: data returned, maybe not what was expected", Action.OK),
    (1000, 1999, "General error", Action.STOP),
    (2000, 2999, "Not supported for QuickBooks Desktop", Action.STOP),
    (3000, 3099, "Format error in the request", Action.SKIP),
    (3100, 9099, "Error processing this request", Action.SKIP),
    (9100, 9199, "Macro error", Action.SKIP),
)


def classify(status_code: int, severity: str = "", message: str | None = None) -> StatusInfo:
    """Say what ``status_code`` means and what to do; see the module docstring for rules.

    Args:
        status_code: the Rs ``statusCode``.
        severity: the Rs ``statusSeverity`` (Info, Warn, Error); only consulted for codes
            outside the table.
        message: the Rs ``statusMessage``; only consulted for codes whose cause it tells
            (3180).
    """
    known = STATUS_TABLE.get(status_code)
    if known is not None:
        meaning, action = known
        passing = _RETRY_WHEN_MESSAGE_SAYS.get(status_code)
        if passing is not None and passing.search(message or ""):
            action = Action.RETRY
        return StatusInfo(code=status_code, meaning=meaning, action=action, severity=severity)
    for first, last, meaning, action in _RANGES:
        if first <= status_code <= last:
            if action is Action.OK and severity == "Error":
                action = Action.SKIP
            return StatusInfo(code=status_code, meaning=meaning, action=action, severity=severity)
    return StatusInfo(
        code=status_code, meaning="Unknown status code", action=Action.STOP, severity=severity
    )
