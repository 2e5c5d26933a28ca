"""A ticket's life through HTTP: dead once its session ends, and an empty session syncs nothing."""

from __future__ import annotations

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.pages import history
from tests.integration.conftest import answer_to, queue_customer_add
from tests.soap_client import WebConnectorClient


def _one_of_two_pings_answered(wc: WebConnectorClient, services: Services,
                               demo: dict[str, str]) -> str:
    """Queue two pings, open a session and answer the first; return the ticket."""
    services.companies.ping(demo["name"])
    services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.receive(ticket, answer_to(wc.send(ticket))) == 50
    return ticket


def _assert_dead(wc: WebConnectorClient, ticket: str, services: Services, company: str) -> None:
    """Every call on ``ticket`` gets the ended-session answers and changes nothing."""
    before = [(item.id, item.state) for item in services.companies.items(company)]
    assert wc.send(ticket) == ""
    assert wc.receive(ticket, "<QBXML/>") < 0
    assert wc.text("closeConnection", ticket=ticket) == "OK"
    assert [(item.id, item.state) for item in services.companies.items(company)] == before


def test_a_ticket_is_dead_after_close_connection(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    ticket = _one_of_two_pings_answered(wc, services, demo)
    assert "1 request exchanged" in wc.text("closeConnection", ticket=ticket)
    # The second ping is still queued: a closed ticket must not hand it out.
    _assert_dead(wc, ticket, services, demo["name"])


def test_a_ticket_is_dead_after_connection_error(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.text("connectionError", ticket=ticket, hresult="0x80040408",
                   message="Could not start QuickBooks.") == "done"
    _assert_dead(wc, ticket, services, demo["name"])


def test_close_right_after_authenticate_keeps_sync_now_and_marks_nothing_synced(
    wc: WebConnectorClient, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.request_sync(demo["name"])
    ticket, status, *_ = wc.authenticate(demo["username"], demo["password"])
    assert status == ""
    wc.text("closeConnection", ticket=ticket)  # nothing was exchanged
    assert services.companies.get(demo["name"]).last_sync_at is None
    clock.advance(seconds=30)
    # The "sync now" is still owed: the next run opens a session and finishes it (with
    # nothing else to do, on one CompanyQuery).
    ticket, status, *_ = wc.authenticate(demo["username"], demo["password"])
    assert status == ""
    request = wc.send(ticket)
    assert "<CompanyQueryRq" in request
    assert wc.receive(ticket, answer_to(request)) == 100
    assert wc.text("closeConnection", ticket=ticket).startswith("OK")
    assert services.companies.get(demo["name"]).last_sync_at == clock.now()
    assert wc.authenticate(demo["username"], demo["password"])[1] == "none"


def test_a_session_ended_by_connection_error_keeps_sync_now(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.request_sync(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    wc.text("connectionError", ticket=ticket, hresult="0x80040408",
            message="Could not start QuickBooks.")
    assert services.companies.get(demo["name"]).last_sync_at is None
    assert wc.authenticate(demo["username"], demo["password"])[1] == ""


def test_an_unfinished_session_does_not_mark_the_company_synced(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    ticket = _one_of_two_pings_answered(wc, services, demo)
    closed = wc.text("closeConnection", ticket=ticket)  # one ping is still queued
    assert closed.startswith("Stopped early: 1 request exchanged")
    assert services.companies.get(demo["name"]).last_sync_at is None


def test_a_connection_error_after_a_good_sync_shows_the_company_in_error(
    wc: WebConnectorClient, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.request_sync(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.receive(ticket, answer_to(wc.send(ticket))) == 100
    assert wc.text("closeConnection", ticket=ticket).startswith("OK")
    clock.advance(seconds=600)
    services.companies.request_sync(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    wc.text("connectionError", ticket=ticket, hresult="0x80040408",
            message="Could not start QuickBooks.")
    view = services.companies.get(demo["name"])
    assert view.last_error_at == clock.now()
    assert view.status == "error"  # newer than the last good sync
    run = history.sessions(services.db, demo["name"])[0]
    assert (run.state, run.ended_at) == ("failed", clock.now())


def test_a_connection_error_without_code_or_message_says_so(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.text("connectionError", ticket=ticket, hresult="", message="") == "done"
    assert services.companies.get(demo["name"]).last_error == (
        "The Web Connector could not open QuickBooks (no code): no message")


def test_a_lone_write_whose_answer_is_lost_still_ends_the_run(
    wc: WebConnectorClient, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    write = queue_customer_add(services, demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert "CustomerAddRq" in wc.send(ticket)  # its answer is lost
    assert wc.send(ticket) == ""  # the write is unknown now, and nothing else is queued
    # Nothing is left outstanding, so the run ended by running out of work.
    assert wc.text("closeConnection", ticket=ticket).startswith("OK")
    assert services.companies.get(demo["name"]).last_sync_at == clock.now()
    states = {i.id: i.state for i in services.companies.items(demo["name"])}
    assert states == {write.id: "unknown"}
