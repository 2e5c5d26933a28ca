"""Hostile sign-ins over real HTTP, web pages and Web Connector alike: each gets the usual
answer (a sign-in page, the default page, ``nvu``), logs no traceback and leaves the store as
it was (a genuine sign-in adds its session, nothing else)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.hostile.browser import Browser
from tests.hostile.conftest import Served, assert_no_traceback, row_counts

ADMIN, ADMIN_PASSWORD = "root-hostile", "correct horse battery staple"


@pytest.fixture(scope="module")
def admin(served: Served) -> str:
    served.services.admins.add(ADMIN, ADMIN_PASSWORD)
    return ADMIN


@pytest.fixture
def quiet_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert_no_traceback(caplog.records)
    assert ADMIN_PASSWORD not in caplog.text


def one_more_session(counts: dict[str, int]) -> dict[str, int]:
    """The store after a genuine sign-in: its session, nothing else."""
    return {**counts, "web_sessions": counts["web_sessions"] + 1}


# next= values, as typed into the address bar (percent-encoded where a browser would)
OPEN_REDIRECTS = {
    "scheme-relative": "//evil.example/x",
    "tab-between-slashes": "/%09/evil.example",  # browsers drop the tab: //evil.example
    "newline-between-slashes": "/%0a/evil.example",  # once a 500 (a newline in Location)
    "crlf-header-injection": "/%0d%0aSet-Cookie:%20x=1",  # once a 500
    "backslash": "/%5Cevil.example",  # browsers read \ as /
    "backslash-first": "%5C%5Cevil.example",
    "absolute-url": "https://evil.example/",
    "javascript-scheme": "javascript:alert(1)",
    "no-leading-slash": "evil.example",
    "leading-space": "%20//evil.example",
    "nul": "/%00/evil.example",
    "non-ascii": "/%E2%80%A8/evil.example",  # U+2028, not a Latin-1 header character
    "three-slashes": "///evil.example",
}


@pytest.mark.usefixtures("quiet_log")
@pytest.mark.parametrize("case", list(OPEN_REDIRECTS))
def test_sign_in_never_redirects_off_the_site(served: Served, admin: str, case: str) -> None:
    before = row_counts(served.services)
    browser = Browser(served.url)
    answer = browser.post(f"/admin/signin?next={OPEN_REDIRECTS[case]}",
                          {"username": admin, "password": ADMIN_PASSWORD})
    assert answer.status == 302
    assert answer.location == "/admin/"
    assert browser.get("/admin/").status == 200  # signed in all the same
    assert row_counts(served.services) == one_more_session(before)


@pytest.mark.usefixtures("quiet_log")
def test_sign_in_follows_a_path_on_the_site(served: Served, admin: str) -> None:
    browser = Browser(served.url)
    target = "/admin/companies/" + quote("日本") + "?tab=1"
    answer = browser.post(f"/admin/signin?next={quote(target)}",
                          {"username": admin, "password": ADMIN_PASSWORD})
    assert answer.location == target
