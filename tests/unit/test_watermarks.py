"""Which modified times may move a pull watermark (the rules of qbwc_server.sync.watermarks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qbwc_server.sync import watermarks

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 10:00 at UTC-5
EST = timedelta(hours=-5)

CHECKS = [
    # QuickBooks' usual text is kept as it is.
    ("2026-03-01T09:30:00-05:00", EST, "2026-03-01T09:30:00-05:00", False),
    # No offset: read in the company's time, and given its offset.
    ("2026-03-01T09:30:00", EST, "2026-03-01T09:30:00-05:00", False),
    # No offset, none known: checked against the earliest wall clock anywhere (UTC-12).
    ("2026-03-01T09:30:00", None, "2026-03-01T03:00:00", False),
    ("2026-03-01T02:00:00", None, "2026-03-01T02:00:00", False),
    # An hour ahead (QuickBooks' DST offset error) is inside the overlap: kept.
    ("2026-03-01T11:00:00-05:00", EST, "2026-03-01T11:00:00-05:00", False),
    # Far ahead: clamped to now and reported.
    ("2099-01-01T00:00:00-05:00", EST, "2026-03-01T10:00:00-05:00", True),
    ("2099-01-01T00:00:00", EST, "2026-03-01T10:00:00-05:00", True),
    # Damage: never stored, reported.
    ("0001-01-01T00:00:00", EST, None, True),
    ("1979-12-31T23:59:59-05:00", EST, None, True),
    ("yesterday", EST, None, True),
]


@pytest.mark.parametrize(("text", "offset", "mark", "reported"), CHECKS)
def test_check(text: str, offset: timedelta | None, mark: str | None, reported: bool) -> None:
    checked = watermarks.check(text, now=NOW, offset=offset)
    assert checked.text == mark
    assert (checked.problem is not None) is reported
    if reported:
        assert repr(text) in str(checked.problem)


def test_the_next_pull_starts_at_the_wall_clock_minus_the_overlap() -> None:
    since = watermarks.since("2026-11-01T01:50:00-05:00")
    assert since.wall == datetime(2026, 11, 1, 0, 45)  # noqa: DTZ001 - QuickBooks' wall clock


def test_offset_of() -> None:
    assert watermarks.offset_of("2026-03-01T09:30:00-05:00") == EST
    assert watermarks.offset_of("2026-03-01T09:30:00") is None
    assert watermarks.offset_of("junk") is None
    assert watermarks.offset_of(None) is None


def test_now_as_a_watermark_is_in_the_company_time_or_the_earliest_anywhere() -> None:
    assert watermarks.now_text(NOW, EST) == "2026-03-01T10:00:00-05:00"
    assert watermarks.now_text(NOW, None) == "2026-03-01T03:00:00"
