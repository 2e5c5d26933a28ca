"""The Web Connector conversation through HTTP: authenticate answers, queue, progress, errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.store.models import QueuedRequest, WebConnectorSession
from tests.integration.conftest import (
    answer_to,
    company_query_answer,
    queue_customer_add,
    queue_only,
)
from tests.soap_client import WebConnectorClient


def _run_to_end(wc: WebConnectorClient, ticket: str) -> list[int]:
    progress = []
    for _ in range(50):
        request_xml = wc.send(ticket)
        if not request_xml:
            break
        request_id = request_xml.split('requestID="', 1)[1].split('"', 1)[0]
        progress.append(wc.receive(ticket, company_query_answer(request_id)))
        if progress[-1] == 100:
            break
    return progress


def test_wrong_password_answers_nvu(wc: WebConnectorClient, demo: dict[str, str]) -> None:
    answer = wc.authenticate(demo["username"], "not-the-password")
    assert answer[1] == "nvu"


def test_unknown_user_answers_exactly_like_a_wrong_password(
    wc: WebConnectorClient, demo: dict[str, str]
) -> None:
    known = wc.authenticate(demo["username"], "wrong")
    unknown = wc.authenticate("nobody-here", "wrong")
    assert [len(known), known[1]] == [len(unknown), unknown[1]] == [2, "nvu"]


def test_nothing_queued_answers_none_with_the_cadence(
    wc: WebConnectorClient, demo: dict[str, str]
) -> None:
    ticket, status, postpone, interval = wc.authenticate(demo["username"], demo["password"])
    assert status == "none"
    assert interval == str(5 * 60)
    assert postpone == "0"


def test_queued_work_opens_a_session_and_progress_ends_at_exactly_100(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    for _ in range(3):
        services.companies.ping(demo["name"])
    ticket, status, *_ = wc.authenticate(demo["username"], demo["password"])
    assert status == ""  # use the company file that is open
    assert len(ticket) == 32
    assert _run_to_end(wc, ticket) == [33, 66, 100]
    assert wc.text("closeConnection", ticket=ticket).startswith("OK: 3 requests")
    view = services.companies.get(demo["name"])
    assert view.status == "healthy"
    assert view.queued == 0
    assert all(item.state == "done" for item in services.companies.items(demo["name"]))


def test_company_file_path_is_returned_when_configured(
    wc: WebConnectorClient, services: Services
) -> None:
    view, password = services.companies.add("Path Co", company_file_path=r"C:\QB\Path & Co.QBW")
    queue_only(services, "Path Co")
    services.companies.ping("Path Co")
    assert wc.authenticate(view.username, password)[1] == r"C:\QB\Path & Co.QBW"


def test_sync_now_opens_a_session_even_with_an_empty_queue(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.request_sync(demo["name"])
    ticket, status, *_ = wc.authenticate(demo["username"], demo["password"])
    assert status == ""
    # Nothing else to do: one CompanyQuery, so the session ends at 100 and not in an error.
    request_xml = wc.send(ticket)
    assert "<CompanyQueryRq" in request_xml
    request_id = request_xml.split('requestID="', 1)[1].split('"', 1)[0]
    assert wc.receive(ticket, company_query_answer(request_id)) == 100
    assert wc.text("closeConnection", ticket=ticket).startswith("OK")
    # The flag is used up: the next session needs new work.
    assert wc.authenticate(demo["username"], demo["password"])[1] == "none"


def test_empty_send_is_followed_by_a_meaningful_last_error(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    request_xml = wc.send(ticket)
    request_id = request_xml.split('requestID="', 1)[1].split('"', 1)[0]
    assert wc.receive(ticket, company_query_answer(request_id)) == 100
    assert wc.send(ticket) == ""
    text = wc.text("getLastError", ticket=ticket)
    assert text
    assert "Demo Co" in text


def test_second_machine_gets_busy_until_the_first_session_stops_talking(
    wc: WebConnectorClient, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    first = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.send(first).startswith("<?xml")  # the ping is out, unanswered
    assert wc.authenticate(demo["username"], demo["password"])[1] == "busy"
    clock.advance(seconds=44)
    assert wc.authenticate(demo["username"], demo["password"])[1] == "busy"
    clock.advance(seconds=1)  # 45 seconds of silence: the first session is over
    second, status, *_ = wc.authenticate(demo["username"], demo["password"])
    assert status == ""
    # The lost session's read went back to the queue and is handed out again.
    assert "CompanyQueryRq" in wc.send(second)
    # The old ticket no longer works.
    assert wc.receive(first, "<QBXML/>") < 0
    assert "not valid" in wc.text("getLastError", ticket=first)


def test_a_session_that_keeps_talking_is_never_taken_over(
    wc: WebConnectorClient, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    for _ in range(3):
        services.companies.ping(demo["name"])
    first = wc.authenticate(demo["username"], demo["password"])[0]
    for _ in range(3):  # QuickBooks takes 40 seconds per request: slow, but talking
        request_xml = wc.send(first)
        clock.advance(seconds=40)
        assert wc.authenticate(demo["username"], demo["password"])[1] == "busy"
        request_id = request_xml.split('requestID="', 1)[1].split('"', 1)[0]
        assert wc.receive(first, company_query_answer(request_id)) > 0
    assert wc.text("closeConnection", ticket=first).startswith("OK: 3 requests")


def test_lost_response_puts_the_read_back_and_marks_a_write_unknown(
    wc: WebConnectorClient, services: Services, db: Any, demo: dict[str, str]
) -> None:
    write = queue_customer_add(services, demo["name"])
    read = services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert "CustomerAddRq" in wc.send(ticket)  # the write goes out; its answer is lost
    assert "CompanyQueryRq" in wc.send(ticket)  # QBWC asks again: the write is now unknown
    # QBWC shows this text: it names the lost request by its requestID and what it was for.
    assert wc.text("getLastError", ticket=ticket) == (
        "Request w1 (customer add): its response never arrived.")
    assert "CompanyQueryRq" in wc.send(ticket)  # the read's answer was lost too: sent again
    states = {item.id: item.state for item in services.companies.items(demo["name"])}
    assert states == {write.id: "unknown", read.id: "sent"}


def test_queue_listing_shows_the_newest_items_first_up_to_the_limit(
    services: Services, demo: dict[str, str]
) -> None:
    # Every test here reads the queue through this listing; with more items than the limit,
    # the newest must win, or the item just queued would vanish from view.
    pings = [services.companies.ping(demo["name"]) for _ in range(3)]
    assert [i.id for i in services.companies.items(demo["name"], limit=2)] == [
        pings[2].id, pings[1].id]
    assert [i.id for i in services.companies.items(demo["name"])] == [
        p.id for p in reversed(pings)]


def test_duplicate_delivery_of_a_response_changes_nothing(
    wc: WebConnectorClient, services: Services, db: Any, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    request_xml = wc.send(ticket)
    request_id = request_xml.split('requestID="', 1)[1].split('"', 1)[0]
    response = company_query_answer(request_id)
    assert wc.receive(ticket, response) == 50
    assert wc.receive(ticket, response) == 50
    with db.transaction() as session:
        done = session.scalar(
            select(func.count()).where(QueuedRequest.state == "done")
        )
    assert done == 1


def test_a_response_with_nothing_outstanding_is_an_error(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.request_sync(demo["name"])  # a session, though nothing is queued
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.receive(ticket, "<QBXML/>") < 0
    assert wc.text("getLastError", ticket=ticket) == (
        "A response arrived but no request was outstanding.")


def test_an_answer_from_an_earlier_session_is_not_taken_for_a_duplicate(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    first = wc.authenticate(demo["username"], demo["password"])[0]
    old_answer = answer_to(wc.send(first))
    assert wc.receive(first, old_answer) == 100
    wc.text("closeConnection", ticket=first)
    services.companies.request_sync(demo["name"])
    second = wc.authenticate(demo["username"], demo["password"])[0]
    # Replayed into a session that sent nothing: an error, not a harmless repeat.
    assert wc.receive(second, old_answer) < 0
    assert "no request was outstanding" in wc.text("getLastError", ticket=second)


def test_an_answer_to_a_failed_request_is_not_taken_for_a_duplicate(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    item = services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    request_xml = wc.send(ticket)
    assert wc.receive(ticket, "", hresult="0x80040400", message="parse error") < 0
    # The same request answered after all: only a request that was done can repeat.
    assert wc.receive(ticket, answer_to(request_xml)) < 0
    assert "no request was outstanding" in wc.text("getLastError", ticket=ticket)
    failed = {i.id: i for i in services.companies.items(demo["name"])}[item.id]
    assert failed.state == "failed"


def test_hresult_from_quickbooks_fails_the_item_and_explains(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    item = services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    wc.send(ticket)
    message = "QuickBooks found an error when parsing the provided XML text stream."
    assert wc.receive(ticket, "", hresult="0x80040400", message=message) < 0
    text = wc.text("getLastError", ticket=ticket)
    assert "0x80040400" in text
    assert message in text
    assert wc.text("closeConnection", ticket=ticket).startswith("Finished with an error")
    failed = {i.id: i for i in services.companies.items(demo["name"])}[item.id]
    assert failed.state == "failed"
    assert "0x80040400" in (failed.error or "")
    assert services.companies.get(demo["name"]).status == "error"


def test_connection_error_is_recorded_and_answered_done(
    wc: WebConnectorClient, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    ticket = wc.authenticate(demo["username"], demo["password"])[0]
    answer = wc.text("connectionError", ticket=ticket, hresult="0x80040408",
                     message="Could not start QuickBooks.")
    assert answer == "done"
    view = services.companies.get(demo["name"])
    assert view.status == "error"
    assert "0x80040408" in (view.last_error or "")
    assert "Could not start QuickBooks." in (view.last_error or "")
    # The session is over, so the company is not left busy.
    assert wc.authenticate(demo["username"], demo["password"])[1] == ""


def test_two_companies_in_parallel_never_cross(
    wc: WebConnectorClient, services: Services
) -> None:
    a, pa = services.companies.add("Alpha")
    b, pb = services.companies.add("Beta")
    queue_only(services, "Alpha")
    queue_only(services, "Beta")
    item_a = services.companies.ping("Alpha")
    item_b = services.companies.ping("Beta")
    ticket_a = wc.authenticate(a.username, pa)[0]
    ticket_b = wc.authenticate(b.username, pb)[0]
    sent_b = wc.send(ticket_b)
    sent_a = wc.send(ticket_a)
    assert item_a.request_id in sent_a
    assert item_b.request_id in sent_b
    # Company B's ticket cannot answer company A's request.
    assert wc.receive(ticket_b, company_query_answer(item_a.request_id)) < 0
    assert wc.receive(ticket_a, company_query_answer(item_a.request_id)) == 100
    states = {i.purpose + i.request_id: i.state for i in
              services.companies.items("Alpha") + services.companies.items("Beta")}
    assert states == {"ping" + item_a.request_id: "done", "ping" + item_b.request_id: "queued"}


def test_repeated_bad_passwords_lock_the_user_name_for_a_while(
    wc: WebConnectorClient, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    for _ in range(5):
        assert wc.authenticate(demo["username"], "guess")[1] == "nvu"
    # Even the right password is refused while locked, and unknown names lock the same way.
    assert wc.authenticate(demo["username"], demo["password"])[1] == "nvu"
    for _ in range(5):
        wc.authenticate("ghost", "guess")
    clock.advance(minutes=16)
    assert wc.authenticate(demo["username"], demo["password"])[1] == ""


def test_wrong_ticket_gets_documented_answers_and_changes_nothing(
    wc: WebConnectorClient, services: Services, db: Any, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    bogus = "0" * 32
    assert wc.send(bogus) == ""
    assert wc.receive(bogus, "<QBXML/>") < 0
    assert "not valid" in wc.text("getLastError", ticket=bogus)
    assert wc.text("connectionError", ticket=bogus, hresult="0x1", message="x") == "done"
    assert wc.text("closeConnection", ticket=bogus) == "OK"
    missing = wc.call("sendRequestXML", strHCPResponse="", qbXMLMajorVers=13, qbXMLMinorVers=0)
    assert (missing.text or "") == ""
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(WebConnectorSession)) == 0
        assert session.scalar(
            select(func.count()).where(QueuedRequest.state == "queued")
        ) == 1


def test_client_version_accepts_2x_and_warns_1x(wc: WebConnectorClient) -> None:
    assert wc.text("clientVersion", strVersion="2.3.0.215") == ""
    assert wc.text("clientVersion", strVersion="1.5.0.1").startswith("W:")


def test_interactive_methods_answer_sensibly(wc: WebConnectorClient) -> None:
    assert wc.text("getInteractiveURL", wcTicket="t", sessionID="s") == ""
    assert wc.text("interactiveDone", wcTicket="t") == "Done"
    assert "interactive" in wc.text("interactiveRejected", wcTicket="t", reason="no")
