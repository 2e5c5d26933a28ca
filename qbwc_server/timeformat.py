"""How times are written: ISO 8601 for programs, one short form for people, both in UTC.

Every JSON output (REST API, ``--json`` on the command line, the simulator's summary) uses
:func:`iso`; every page and every line of command-line text uses :func:`readable`.
"""

from __future__ import annotations

from datetime import UTC, datetime

NEVER = "never"


def iso(value: datetime) -> str:
    """``2026-12-01T21:05:54+00:00`` (microseconds when there are any).

    Raises:
        ValueError: a naive time, whose moment is unknown.
    """
    if value.tzinfo is None:
        raise ValueError(f"{value!r} has no timezone")
    return value.astimezone(UTC).isoformat()


def readable(value: datetime | None, never: str = NEVER) -> str:
    """``2026-12-01 21:05 UTC``, or ``never`` for a time that has not come."""
    if value is None:
        return never
    return iso(value)[:16].replace("T", " ") + " UTC"


def json_default(value: object) -> str:
    """``json.dumps(..., default=json_default)``: times in ISO 8601, nothing else guessed."""
    if isinstance(value, datetime):
        return iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
