"""Hostile sign-ins over real HTTP, web pages and Web Connector alike: each gets the usual
answer (a sign-in page, the default page, ``nvu``), logs no traceback and leaves the store as
it was (a genuine sign-in adds its session, nothing else)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from qbwc_server.clock import FakeClock
from qbwc_server.pages.partners import PartnerService
from qbwc_server.store import throttle
from tests.hostile.browser import Browser
from tests.hostile.conftest import Served, assert_no_traceback, row_counts
from tests.soap_client import envelope, headers, result_element

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


def but_sessions(counts: dict[str, int]) -> dict[str, int]:
    """The store but its sessions: a genuine sign-in adds one (and may prune expired ones)."""
    return {table: n for table, n in counts.items() if table != "web_sessions"}


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
    assert but_sessions(row_counts(served.services)) == but_sessions(before)


@pytest.mark.usefixtures("quiet_log")
def test_sign_in_follows_a_path_on_the_site(served: Served, admin: str) -> None:
    browser = Browser(served.url)
    target = "/admin/companies/" + quote("日本") + "?tab=1"
    answer = browser.post(f"/admin/signin?next={quote(target)}",
                          {"username": admin, "password": ADMIN_PASSWORD})
    assert answer.location == target


@pytest.fixture(autouse=True)
def _a_quiet_hour_has_passed(served: Served) -> None:
    """Each case starts with full buckets and no lock left by the one before (one app per
    module, on a clock that only moves when told)."""
    assert isinstance(served.services.clock, FakeClock)
    now = served.services.clock.advance(served.services.settings.login_lockout_seconds + 3600)
    with served.services.db.transaction() as session:
        throttle.prune(session, now)  # what the next attempt would do; done now, to count


@pytest.fixture(scope="module")
def company(served: Served) -> str:
    view, _ = served.services.companies.add("Hostile Co")
    return view.username


def authenticate(served: Served, username: str, password: str) -> list[str]:
    status, answer = served.post(envelope("authenticate", strUserName=username,
                                          strPassword=password), headers("authenticate"))
    assert status == 200, answer
    return [item.text or "" for item in result_element(answer, "authenticate")]


def with_throttle_rows(counts: dict[str, int], more: int) -> dict[str, int]:
    """The store after failed sign-ins: their count per name, nothing else."""
    return {**counts, "login_throttle": counts["login_throttle"] + more}


@pytest.mark.usefixtures("quiet_log")
def test_parallel_wrong_passwords_get_exactly_the_allowed_checks(
    served: Served, company: str, scrypt_runs: list[str]
) -> None:
    # 32 at once once ran 12-19 checks instead of 5, with an IntegrityError on SQLite.
    before = row_counts(served.services)
    start = threading.Barrier(32)
    answers: list[str] = []

    def attempt() -> None:
        start.wait()
        answers.append(authenticate(served, company, "guess-guess")[1])

    threads = [threading.Thread(target=attempt) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["nvu"] * 32
    assert len(scrypt_runs) == served.services.settings.login_max_failures
    assert row_counts(served.services) == with_throttle_rows(before, 1)


@pytest.mark.usefixtures("quiet_log")
def test_fresh_user_names_from_one_address_stop_reaching_scrypt(
    served: Served, scrypt_runs: list[str]
) -> None:
    # 16 clients with fresh names once drove serverVersion from 3.5 ms to 870 ms.
    before = row_counts(served.services)
    allowed = served.services.settings.login_checks_per_client_per_minute
    for n in range(allowed + 10):
        assert authenticate(served, f"fresh-{n}", "guess")[1] == "nvu"
    assert len(scrypt_runs) == allowed
    status, _ = served.post(envelope("serverVersion"), headers("serverVersion"))
    assert status == 200
    assert row_counts(served.services) == with_throttle_rows(before, allowed)


@pytest.mark.usefixtures("quiet_log")
@pytest.mark.parametrize("forged", [f"admin:{ADMIN}", ADMIN, f"partner:{ADMIN}"])
def test_web_connector_failures_cannot_lock_a_web_admin(
    served: Served, admin: str, forged: str
) -> None:
    for _ in range(served.services.settings.login_max_failures + 1):
        assert authenticate(served, forged, "guess-guess")[1] == "nvu"
    answer = Browser(served.url).post("/admin/signin",
                                      {"username": admin, "password": ADMIN_PASSWORD})
    assert answer.location == "/admin/"


# user names and passwords no sign-in has: each is a wrong password, nothing more
ODD_CREDENTIALS = {
    "nul-in-the-name": ("ro\x00ot", "guess"),
    "nul-in-the-password": (ADMIN, "gue\x00ss"),
    "long-name": ("n" * 5000, "guess"),
    "long-password": (ADMIN, "p" * 100_000),
    "astral-plane": ("\U0001f600" * 50, "\U0001f600"),
    "empty": ("", ""),
}


@pytest.mark.usefixtures("quiet_log")
@pytest.mark.parametrize("case", list(ODD_CREDENTIALS))
def test_odd_credentials_at_the_web_sign_in_are_wrong_passwords(
    served: Served, admin: str, case: str
) -> None:
    name, password = ODD_CREDENTIALS[case]
    before = row_counts(served.services)
    browser = Browser(served.url)
    for path, field in (("/admin/signin", "username"), ("/signin", "email")):
        answer = browser.post(path, {field: name, "password": password})
        assert answer.status == 401
        assert "Wrong" in answer.text
    assert row_counts(served.services) == with_throttle_rows(before, 2)


@pytest.mark.usefixtures("quiet_log")
# XML cannot carry a NUL at all (the SOAP edge refuses such a body); 100 kB is past its size
# limit for authenticate.
@pytest.mark.parametrize("case", [c for c in ODD_CREDENTIALS
                                  if "nul" not in c and c != "long-password"])
def test_odd_credentials_at_authenticate_are_wrong_passwords(
    served: Served, company: str, case: str
) -> None:
    name, password = ODD_CREDENTIALS[case]
    before = row_counts(served.services)
    assert authenticate(served, name.replace(ADMIN, company), password)[1] == "nvu"
    assert row_counts(served.services) == with_throttle_rows(before, 1)


@pytest.mark.usefixtures("quiet_log")
def test_a_cookie_copied_before_sign_out_opens_nothing_after(served: Served, admin: str) -> None:
    browser = Browser(served.url)
    browser.post("/admin/signin", {"username": admin, "password": ADMIN_PASSWORD})
    thief = Browser(served.url)
    thief.cookies = dict(browser.cookies)
    assert thief.get("/admin/").status == 200
    before = row_counts(served.services)
    assert browser.post("/signout").status == 302
    answer = thief.get("/admin/")
    assert answer.status == 302
    assert answer.location is not None
    assert answer.location.startswith("/admin/signin")
    assert row_counts(served.services) == {**before, "web_sessions": before["web_sessions"] - 1}


@pytest.mark.usefixtures("quiet_log", "company")
@pytest.mark.parametrize("email", ["ann\x00@acme.example", "ann@acme.example\x00",
                                   "ann@ac\x7fme.example", "ann@acme.example\nx"])
def test_an_invite_refuses_control_characters_in_the_email(served: Served, email: str) -> None:
    # A NUL once reached PostgreSQL, which cannot compare it: a 500.
    _, token = partner_service(served).invite("Hostile Co")
    before = row_counts(served.services)
    answer = Browser(served.url).post(f"/invite/{token}", {
        "email": email, "password": ADMIN_PASSWORD, "confirm": ADMIN_PASSWORD})
    assert answer.status == 400
    assert "Enter an email address like name@example.com." in answer.text
    assert row_counts(served.services) == before


def partner_service(served: Served) -> PartnerService:
    service = served.app.extensions["qbwc_pages"]
    assert isinstance(service, PartnerService)
    return service
