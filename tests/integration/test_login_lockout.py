"""The password lock-out to the second, through authenticate: 5 wrong passwords within
15 minutes lock a user name for 15 minutes, and a right password starts the count again
(the defaults docs/web-connector.md promises)."""

from __future__ import annotations

import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from tests.soap_client import WebConnectorClient

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
FAILURE_WINDOW_SECONDS = 15 * 60


@pytest.fixture(autouse=True)
def _work_waits(services: Services, demo: dict[str, str]) -> None:
    services.companies.ping(demo["name"])  # so the right password opens a session ("")


def _fail(wc: WebConnectorClient, username: str, times: int) -> None:
    for _ in range(times):
        assert wc.authenticate(username, "wrong")[1] == "nvu"


def _accepted(wc: WebConnectorClient, demo: dict[str, str]) -> bool:
    ticket, status, *_ = wc.authenticate(demo["username"], demo["password"])
    if status == "nvu":
        return False
    wc.text("connectionError", ticket=ticket, hresult="0x1", message="test ends the session")
    return True


def test_one_failure_short_of_the_limit_does_not_lock(
    wc: WebConnectorClient, demo: dict[str, str]
) -> None:
    _fail(wc, demo["username"], MAX_FAILURES - 1)
    assert _accepted(wc, demo)


def test_the_limit_locks_even_the_right_password(
    wc: WebConnectorClient, demo: dict[str, str]
) -> None:
    _fail(wc, demo["username"], MAX_FAILURES)
    assert not _accepted(wc, demo)


def test_the_lock_lasts_exactly_its_length(
    wc: WebConnectorClient, clock: FakeClock, demo: dict[str, str]
) -> None:
    _fail(wc, demo["username"], MAX_FAILURES)
    clock.advance(seconds=LOCKOUT_SECONDS - 1)
    assert not _accepted(wc, demo)
    clock.advance(seconds=1)
    assert _accepted(wc, demo)


def test_failures_spread_over_more_than_the_window_do_not_add_up(
    wc: WebConnectorClient, clock: FakeClock, demo: dict[str, str]
) -> None:
    _fail(wc, demo["username"], MAX_FAILURES - 1)
    clock.advance(seconds=FAILURE_WINDOW_SECONDS + 1)
    _fail(wc, demo["username"], 1)  # the count started again: this is failure 1 of 5
    assert _accepted(wc, demo)


def test_failures_within_the_window_add_up(
    wc: WebConnectorClient, clock: FakeClock, demo: dict[str, str]
) -> None:
    _fail(wc, demo["username"], MAX_FAILURES - 1)
    clock.advance(seconds=FAILURE_WINDOW_SECONDS)
    _fail(wc, demo["username"], 1)
    assert not _accepted(wc, demo)


def test_a_right_password_starts_the_count_again(
    wc: WebConnectorClient, demo: dict[str, str]
) -> None:
    _fail(wc, demo["username"], MAX_FAILURES - 1)
    assert _accepted(wc, demo)
    _fail(wc, demo["username"], MAX_FAILURES - 1)
    assert _accepted(wc, demo)


def test_a_lock_holds_one_user_name_only(
    wc: WebConnectorClient, demo: dict[str, str]
) -> None:
    _fail(wc, "ghost", MAX_FAILURES)
    assert _accepted(wc, demo)
