"""Pull watermarks: which modified times may move one, and where the next pull starts.

QuickBooks stamps ``TimeModified`` with the company's wall clock and a UTC offset, and it reads
a ``FromModifiedDate`` in that wall clock; the offsets it reports are an hour off around
daylight-saving changes (``qbwc-protocol.md`` section 9). So a watermark is the wall-clock time
of the newest change seen (kept as text, with the offset when there is one), and the next pull
asks from that wall-clock time minus :data:`OVERLAP`, without an offset.

A value becomes a watermark only once it is checked against the session's own clock:

* without an offset it is read in the company's QuickBooks time (the offset its other values
  carry); when no offset is known at all, "now" is taken as the earliest wall clock on earth,
  so the watermark can never pass QuickBooks' real now;
* later than now by more than an hour and a little (a PC clock set wrong, a damaged record): it is
  clamped to now, and reported;
* unreadable, or older than any QuickBooks company file (``0001-01-01T00:00:00``): reported,
  never stored.

Without these checks one odd value stopped a record type's pull for good: a naive value made
every later query unbuildable, year 1 overflowed the overlap arithmetic, and a far-future date
asked QuickBooks for changes after it, which never come.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import attrs

from qbxml.requests import LocalDateTime

__all__ = ["OVERLAP", "Checked", "check", "now_text", "offset_of", "since", "wall", "wall_text"]

#: Wider than the repeated hour when clocks go back (QuickBooks filters on its wall clock) and
#: its one-hour offset error, plus clock drift between runs.
OVERLAP = timedelta(minutes=65)
#: How far ahead of the session's clock a modified time may be and still count: QuickBooks'
#: one-hour offset error plus drift between its PC and this server.
FUTURE_SLACK = timedelta(minutes=65)
#: Older than any QuickBooks company file: such a value is damage, not a time.
EARLIEST = datetime(1980, 1, 1)  # noqa: DTZ001 - a wall-clock bound, deliberately naive
#: UTC-12, the earliest wall clock anywhere.
_EARLIEST_OFFSET = timedelta(hours=-12)


@attrs.frozen
class Checked:
    """A modified time as a watermark may use it.

    Attributes:
        text: the wall-clock time (with its offset when known) a watermark may take, or None.
        problem: why the value was not used as QuickBooks sent it, in words for the partner.
    """

    text: str | None
    problem: str | None = None


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def offset_of(text: str | None) -> timedelta | None:
    """The UTC offset a modified time carries, if it is readable and has one."""
    value = _parse(text) if text else None
    return value.utcoffset() if value is not None else None


def wall_text(local: datetime, offset: timedelta | None) -> str:
    """A wall-clock time (naive) as a watermark's text, with the offset when known."""
    if offset is None:
        return local.isoformat(timespec="seconds")
    return local.replace(tzinfo=timezone(offset)).isoformat(timespec="seconds")


def check(text: str, *, now: datetime, offset: timedelta | None) -> Checked:
    """Check one ``TimeModified`` (or ``TimeDeleted``) against the session's clock.

    Args:
        text: the value as QuickBooks wrote it.
        now: the session's own clock (aware).
        offset: the company's UTC offset as its other values report it, if known; used for a
            value without one.
    """
    value = _parse(text)
    if value is None:
        return Checked(None, f"unreadable modified time {text!r} was ignored")
    local = value.replace(tzinfo=None)
    if local < EARLIEST:
        return Checked(None, f"modified time {text!r} is older than QuickBooks and was ignored")
    own = value.utcoffset()
    if own is None:
        own = offset
    now_wall = now.astimezone(UTC).replace(tzinfo=None) + (
        own if own is not None else _EARLIEST_OFFSET)
    if local > now_wall + FUTURE_SLACK:
        if own is None:
            return Checked(wall_text(now_wall, None))  # only later than the earliest zone's now
        return Checked(wall_text(now_wall, own),
                       f"modified time {text!r} is in the future; the pull continues from now")
    return Checked(wall_text(local, own))


def now_text(now: datetime, offset: timedelta | None) -> str:
    """The session's clock as a watermark: QuickBooks' wall clock at ``offset`` (unknown: the
    earliest wall clock anywhere, so it never passes QuickBooks' own now)."""
    local = now.astimezone(UTC).replace(tzinfo=None)
    return wall_text(local + (offset if offset is not None else _EARLIEST_OFFSET), offset)


def wall(text: str) -> datetime:
    """The wall-clock part of a checked watermark (naive)."""
    return datetime.fromisoformat(text).replace(tzinfo=None)


def since(text: str) -> LocalDateTime:
    """Where the next pull starts: the watermark's wall clock minus the overlap."""
    return LocalDateTime(wall(text) - OVERLAP)
