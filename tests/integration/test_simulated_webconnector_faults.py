"""Every named fault, injected between the simulated Web Connector and our server.

Each test asserts what a user would notice: how the session ended, what the server
recorded for the queued requests, what QuickBooks holds, and whether the next
session completes.
"""

from __future__ import annotations

from typing import Any

import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.faults import FAULTS, FaultName
from qbwc_server.simulator.webconnector import Outcome
from tests.simulator_doubles import EchoQuickBooks, FakeSleep, add_queue_only_company, connector

ADD_A = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="add-a">'
    "<CustomerAdd><Name>A</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>"
)
EXPIRY_PLUS = 16  # minutes: longer than the server's 15-minute session expiry


@pytest.fixture
def demo(services: Services) -> dict[str, str]:
    return add_queue_only_company(services, "Demo Co")


def _states(services: Services, name: str) -> dict[str, str]:
    return {item.purpose: item.state for item in services.companies.items(name)}


def _add_customer(services: Services, name: str) -> None:
    services.companies.enqueue(name, purpose="customer add", request_xml=ADD_A, is_write=True)


def test_every_fault_has_a_test_here() -> None:
    tested = {name for name in globals() if name.startswith("test_")}
    for fault in FaultName:
        assert any(fault.value.replace("-", "_") in name for name in tested), fault
    assert set(FAULTS) == set(FaultName)


# -- drop-answer -----------------------------------------------------------------------


def test_drop_answer_after_receive_errors_out_and_a_later_session_continues(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    _add_customer(services, demo["name"])
    services.companies.ping(demo["name"])
    quickbooks = EchoQuickBooks()
    wc = connector(app, demo, quickbooks, faults=["drop-answer:method=receiveResponseXML"])

    lost = wc.run_session()
    assert lost.outcome is Outcome.ERROR
    assert "answer arrived" in (lost.last_error or "")
    assert lost.methods[-1] == "receiveResponseXML"  # QBWC gives up: no closeConnection
    assert "answer lost" in (lost.transcript[-1].note or "")
    # The server did get the answer: the write is done, not doubtful.
    assert _states(services, demo["name"]) == {"customer add": "done", "ping": "queued"}

    # The abandoned session holds the company until it expires, then work goes on.
    assert wc.run_session().outcome is Outcome.BUSY
    clock.advance(minutes=EXPIRY_PLUS)
    later = wc.run_session()
    assert later.outcome is Outcome.OK
    assert _states(services, demo["name"]) == {"customer add": "done", "ping": "done"}
    assert quickbooks.customers == ["A"]  # applied once, never resent


def test_drop_answer_of_send_leaves_the_write_unknown_never_resent(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    _add_customer(services, demo["name"])
    services.companies.ping(demo["name"])
    quickbooks = EchoQuickBooks()
    wc = connector(app, demo, quickbooks, faults=["drop-answer:method=sendRequestXML"])

    assert wc.run_session().outcome is Outcome.ERROR
    assert quickbooks.processed == []  # the request never reached QuickBooks
    clock.advance(minutes=EXPIRY_PLUS)
    assert wc.run_session().outcome is Outcome.OK
    assert _states(services, demo["name"]) == {"customer add": "unknown", "ping": "done"}
    assert quickbooks.customers == []


# -- crash-after-apply -------------------------------------------------------------------


def test_crash_after_apply_stops_the_session_and_the_write_becomes_unknown(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    _add_customer(services, demo["name"])
    quickbooks = EchoQuickBooks()
    wc = connector(app, demo, quickbooks, faults=["crash-after-apply"])

    crashed = wc.run_session()
    assert crashed.outcome is Outcome.CRASHED
    assert crashed.methods[-1] == "sendRequestXML"  # no receiveResponseXML, no close
    assert (crashed.requests_processed, crashed.round_trips) == (1, 0)
    assert quickbooks.customers == ["A"]  # QuickBooks did apply it
    assert _states(services, demo["name"]) == {"customer add": "sent"}

    clock.advance(minutes=EXPIRY_PLUS)
    services.companies.ping(demo["name"])
    assert wc.run_session().outcome is Outcome.OK
    # The server cannot know the write happened; it marks it unknown and does not resend it.
    assert _states(services, demo["name"]) == {"customer add": "unknown", "ping": "done"}
    assert quickbooks.customers == ["A"]


# -- duplicate ---------------------------------------------------------------------------


def test_duplicate_receive_is_harmless(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    services.companies.ping(demo["name"])
    result = connector(app, demo, faults=["duplicate"]).run_session()
    assert result.outcome is Outcome.OK
    assert result.progress == (50, 100)  # the repeat answered the same progress
    assert result.methods.count("receiveResponseXML") == 3
    assert [ex.answer for ex in result.transcript if ex.method == "receiveResponseXML"] \
        == [50, 50, 100]
    assert set(_states(services, demo["name"]).values()) == {"done"}


def test_duplicate_send_never_hands_out_a_write_twice(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    _add_customer(services, demo["name"])
    services.companies.ping(demo["name"])
    quickbooks = EchoQuickBooks()
    result = connector(
        app, demo, quickbooks, faults=["duplicate:method=sendRequestXML"]
    ).run_session()
    # The second sendRequestXML tells the server the first answer was lost: the write it
    # carried is doubtful and the WC gets the next request instead.
    assert result.outcome is Outcome.OK
    assert _states(services, demo["name"]) == {"customer add": "unknown", "ping": "done"}
    assert quickbooks.customers == []


# -- out-of-order ------------------------------------------------------------------------


def test_out_of_order_receive_before_send_is_refused_and_the_session_goes_on(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    result = connector(app, demo, faults=["out-of-order:variant=receive-first"]).run_session()
    injected = [ex for ex in result.transcript if ex.note and "out-of-order" in ex.note]
    assert [(ex.method, ex.answer) for ex in injected] == [("receiveResponseXML", -1)]
    assert result.methods[3:5] == ["receiveResponseXML", "sendRequestXML"]
    assert result.outcome is Outcome.OK
    assert _states(services, demo["name"]) == {"ping": "done"}


def test_out_of_order_second_authenticate_mid_session_gets_busy(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    result = connector(app, demo, faults=["out-of-order:variant=reauthenticate"]).run_session()
    injected = [ex for ex in result.transcript if ex.note and "out-of-order" in ex.note]
    assert len(injected) == 1
    assert injected[0].method == "authenticate"
    assert isinstance(injected[0].answer, list)
    assert injected[0].answer[1] == "busy"
    assert result.outcome is Outcome.OK
    assert _states(services, demo["name"]) == {"ping": "done"}


# -- hresult -----------------------------------------------------------------------------


def test_hresult_fails_the_request_and_the_session_explains(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    quickbooks = EchoQuickBooks()
    wc = connector(app, demo, quickbooks, faults=["hresult"])

    failed = wc.run_session()
    assert failed.outcome is Outcome.ERROR
    receive = next(ex for ex in failed.transcript if ex.method == "receiveResponseXML")
    assert receive.params["response"] == ""
    assert receive.params["hresult"] == "0x80040400"
    assert "0x80040400" in (failed.last_error or "")
    assert failed.methods[-2:] == ["getLastError", "closeConnection"]
    assert (failed.close_status or "").startswith("Finished with an error")
    assert _states(services, demo["name"]) == {"ping": "failed"}
    assert services.companies.get(demo["name"]).status == "error"
    assert quickbooks.processed == []

    clock.advance(minutes=1)
    services.companies.ping(demo["name"])
    assert wc.run_session().outcome is Outcome.OK
    assert services.companies.get(demo["name"]).status == "healthy"


# -- slow-quickbooks ---------------------------------------------------------------------


def test_slow_quickbooks_within_the_expiry_still_completes(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    services.companies.ping(demo["name"])
    sleep = FakeSleep(on_sleep=lambda seconds: clock.advance(seconds))
    result = connector(
        app, demo, faults=["slow-quickbooks:seconds=600"], sleep=sleep
    ).run_session()
    assert result.outcome is Outcome.OK
    assert sleep.calls == [600.0, 600.0]


def test_slow_quickbooks_beyond_the_expiry_loses_the_session_and_the_read_is_redone(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    sleep = FakeSleep(on_sleep=lambda seconds: clock.advance(seconds))
    slow = connector(app, demo, faults=[f"slow-quickbooks:seconds={EXPIRY_PLUS * 60}"],
                     sleep=sleep).run_session()
    assert slow.outcome is Outcome.ERROR
    assert "expired" in (slow.last_error or "")
    assert _states(services, demo["name"]) == {"ping": "queued"}  # the read goes back
    assert connector(app, demo).run_session().outcome is Outcome.OK


# -- locked ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [3170, 3175, 3176])
def test_locked_quickbooks_answers_with_the_lock_status_and_applies_nothing(
    app: Any, services: Services, demo: dict[str, str], code: int
) -> None:
    _add_customer(services, demo["name"])
    quickbooks = EchoQuickBooks()
    result = connector(app, demo, quickbooks, faults=[f"locked:code={code}"]).run_session()
    assert result.outcome is Outcome.OK  # a qbXML status is an answer, not a failed call
    assert quickbooks.customers == []
    (item,) = services.companies.items(demo["name"])
    response = item.response_xml or ""
    assert f'<CustomerAddRs requestID="add-a" statusCode="{code}" statusSeverity="Error"' \
        in response
    assert "<CustomerRet>" not in response


# -- page-limit --------------------------------------------------------------------------


def test_page_limit_fails_a_query_answer_above_the_limit_with_out_of_memory(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    failed = connector(app, demo, faults=["page-limit:records=0"]).run_session()
    assert failed.outcome is Outcome.ERROR
    assert "0x8007000E" in (failed.last_error or "")
    assert _states(services, demo["name"]) == {"ping": "failed"}

    # The same answer within the limit goes through (the sync engine's pulls ask smaller
    # pages after such a failure: tests/acceptance/test_pull_page_size.py).
    clock.advance(minutes=1)
    services.companies.ping(demo["name"])
    assert connector(app, demo, faults=["page-limit:records=1"]).run_session().outcome \
        is Outcome.OK


# -- cannot-open -------------------------------------------------------------------------


def test_cannot_open_reports_a_connection_error_and_the_next_session_works(
    app: Any, services: Services, clock: FakeClock, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    wc = connector(app, demo, faults=["cannot-open"])
    refused = wc.run_session()
    assert refused.outcome is Outcome.CONNECTION_ERROR
    assert refused.methods[-2:] == ["connectionError", "closeConnection"]
    assert "0x80040408" in (refused.last_error or "")
    view = services.companies.get(demo["name"])
    assert view.status == "error"
    assert "Could not start QuickBooks." in (view.last_error or "")
    assert _states(services, demo["name"]) == {"ping": "queued"}

    clock.advance(minutes=1)
    assert wc.run_session().outcome is Outcome.OK
    assert _states(services, demo["name"]) == {"ping": "done"}


# -- which faults fired ------------------------------------------------------------------


#: Faults whose defaults would not strike the one small answer of a ping.
STRIKING = {FaultName.PAGE_LIMIT: "page-limit:records=0"}


@pytest.mark.parametrize("name", list(FaultName))
def test_the_session_result_names_the_fault_that_struck(
    app: Any, services: Services, demo: dict[str, str], name: FaultName
) -> None:
    services.companies.ping(demo["name"])
    result = connector(app, demo, faults=[STRIKING.get(name, name.value)]).run_session()
    assert result.faults_fired == (name,)
    struck = [ex for ex in result.transcript if ex.faults]
    assert len(struck) == 1
    assert f"(fault {name})" in (struck[0].note or "")


@pytest.mark.parametrize("fault", [
    "drop-answer:nth=2", "drop-answer:method=sendRequestXML,nth=2", "crash-after-apply:nth=2",
    "duplicate:nth=2", "duplicate:method=sendRequestXML,nth=2",
    "out-of-order:variant=receive-first,nth=2", "out-of-order:variant=reauthenticate,nth=2",
    "hresult:nth=2", "locked:nth=2", "cannot-open:nth=2",
    "page-limit:records=1",  # the ping's answer carries one record
])
def test_a_fault_whose_turn_never_comes_is_not_reported(
    app: Any, services: Services, demo: dict[str, str], fault: str
) -> None:
    services.companies.ping(demo["name"])  # one message: the second never comes
    result = connector(app, demo, faults=[fault]).run_session()
    assert result.outcome is Outcome.OK
    assert result.faults_fired == ()
    assert all(ex.note is None for ex in result.transcript)


def test_notes_of_two_faults_on_one_call_both_show(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    # The first fault is innermost: QuickBooks is slow, then answers with the lock status.
    result = connector(app, demo, faults=["locked", "slow-quickbooks"]).run_session()
    assert result.faults_fired == ("slow-quickbooks", "locked")
    (struck,) = [ex for ex in result.transcript if ex.faults]
    assert struck.note is not None
    assert "(fault locked)" in struck.note
    assert "(fault slow-quickbooks)" in struck.note
