"""One way to write a time for programs and one for people, both in UTC."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from qbwc_server.timeformat import iso, json_default, readable

NOON_IN_BERLIN = datetime(2026, 12, 1, 22, 5, 54, 120000, tzinfo=timezone(timedelta(hours=1)))


def test_iso_is_iso_8601_in_utc() -> None:
    assert iso(NOON_IN_BERLIN) == "2026-12-01T21:05:54.120000+00:00"
    assert iso(datetime(2026, 12, 1, 21, 5, 54, tzinfo=UTC)) == "2026-12-01T21:05:54+00:00"


def test_readable_is_minutes_in_utc_or_never() -> None:
    assert readable(NOON_IN_BERLIN) == "2026-12-01 21:05 UTC"
    assert readable(None) == "never"
    assert readable(None, never="—") == "—"


def test_a_naive_time_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        iso(datetime(2026, 12, 1, 21, 5))  # noqa: DTZ001  (the case under test)


def test_json_writes_times_in_iso_8601_and_refuses_other_objects() -> None:
    assert json.dumps({"at": NOON_IN_BERLIN}, default=json_default) \
        == '{"at": "2026-12-01T21:05:54.120000+00:00"}'
    with pytest.raises(TypeError, match="Decimal is not JSON"):
        json.dumps({"amount": Decimal("1.00")}, default=json_default)
