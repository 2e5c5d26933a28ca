"""The simulated Web Connector against our server: the real call sequence and every outcome."""

from __future__ import annotations

from typing import Any

import pytest

from qbwc_server.app import Services
from qbwc_server.simulator.transport import HttpTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.paths import CAPTURE
from tests.simulator_doubles import EchoQuickBooks, FakeSleep, add_queue_only_company, connector


@pytest.fixture
def demo(services: Services) -> dict[str, str]:
    return add_queue_only_company(services, "Demo Co")


def _capture_methods() -> list[str]:
    """The methods the real QBWC called, in order, from the capture's file names."""
    names = sorted(p.name for p in CAPTURE.glob("*-request.xml"))
    assert names, f"no captured requests in {CAPTURE}"
    return [name.split("-")[1] for name in names]


def test_plain_session_makes_the_calls_qbwc_makes(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    item = services.companies.ping(demo["name"])
    quickbooks = EchoQuickBooks()
    result = connector(app, demo, quickbooks).run_session()

    assert result.outcome is Outcome.OK
    captured = _capture_methods()
    # The capture's session ended in an error (sendRequestXML "" -> getLastError); a clean
    # session is the same conversation up to the last answer, then closeConnection.
    assert result.methods == [*captured[:5], "closeConnection"]
    assert captured[-1] == "closeConnection"
    assert result.progress == (100,)
    assert (result.round_trips, result.requests_processed) == (1, 1)
    assert result.close_status is not None
    assert result.close_status.startswith("OK: 1 request")
    assert result.min_interval_seconds == 5 * 60
    assert result.postpone_seconds == 0
    assert result.server_version is not None
    assert "qbwc-server" in result.server_version
    assert quickbooks.opened == [""]
    assert quickbooks.closed == 1
    done = {i.id: i for i in services.companies.items(demo["name"])}[item.id]
    assert done.state == "done"
    assert "CompanyQueryRs" in (done.response_xml or "")
    assert services.companies.get(demo["name"]).status == "healthy"


def test_first_send_carries_the_hcp_response_and_later_ones_are_empty(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    for _ in range(3):
        services.companies.ping(demo["name"])
    result = connector(app, demo).run_session()
    sends = [ex for ex in result.transcript if ex.method == "sendRequestXML"]
    assert [bool(ex.params["strHCPResponse"]) for ex in sends] == [True, False, False]
    assert {ex.params["qbXMLMajorVers"] for ex in sends} == {13}
    assert result.progress == (33, 66, 100)
    assert result.round_trips == 3
    # QuickBooks' self-description reached the server.
    assert services.companies.get(demo["name"]).qb_product_name == "QuickBooks Pro 2018"


def test_the_password_never_appears_in_the_transcript(
    app: Any, demo: dict[str, str]
) -> None:
    wc = connector(app, demo)
    wc.run_session()
    assert demo["password"] not in repr(wc.transcript.exchanges)
    assert demo["password"] not in wc.transcript.render()


def test_wrong_password_ends_with_nvu_and_no_more_calls(
    app: Any, demo: dict[str, str]
) -> None:
    result = connector(app, demo, password="wrong").run_session()
    assert result.outcome is Outcome.NVU
    assert result.methods == ["serverVersion", "clientVersion", "authenticate"]


def test_nothing_to_do_closes_the_connection(app: Any, demo: dict[str, str]) -> None:
    result = connector(app, demo).run_session()
    assert result.outcome is Outcome.NONE
    assert result.methods[-2:] == ["authenticate", "closeConnection"]
    assert result.min_interval_seconds == 300


def test_sync_now_with_nothing_queued_ends_cleanly(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.request_sync(demo["name"])
    result = connector(app, demo).run_session()
    # An empty sendRequestXML would make QBWC report an error (its Programmer's Guide): the
    # server sends one CompanyQuery and ends at 100 instead.
    assert result.outcome is Outcome.OK
    assert result.methods[-3:] == ["sendRequestXML", "receiveResponseXML", "closeConnection"]
    assert result.progress == (100,)
    assert services.companies.get(demo["name"]).last_sync_at is not None


def test_company_file_path_from_authenticate_is_opened(
    app: Any, services: Services
) -> None:
    view, password = services.companies.add("Path Co", company_file_path=r"C:\QB\Path & Co.QBW")
    services.companies.ping("Path Co")
    quickbooks = EchoQuickBooks()
    company = {"username": view.username, "password": password}
    result = connector(app, company, quickbooks).run_session()
    assert result.outcome is Outcome.OK
    assert quickbooks.opened == [r"C:\QB\Path & Co.QBW"]
    first_send = next(ex for ex in result.transcript if ex.method == "sendRequestXML")
    assert first_send.params["strCompanyFileName"] == r"C:\QB\Path & Co.QBW"


def test_qbwc_1x_gets_a_warning_and_carries_on(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    result = connector(app, demo, client_version="1.5.0.1").run_session()
    assert result.outcome is Outcome.OK
    assert len(result.messages) == 1
    assert "old" in result.messages[0]


def test_cannot_open_quickbooks_calls_connection_error(
    app: Any, services: Services, demo: dict[str, str]
) -> None:
    services.companies.ping(demo["name"])
    quickbooks = EchoQuickBooks(unavailable=("0x80040408", "Could not start QuickBooks."))
    result = connector(app, demo, quickbooks).run_session()
    assert result.outcome is Outcome.CONNECTION_ERROR
    assert result.methods[-2:] == ["connectionError", "closeConnection"]
    assert "0x80040408" in (services.companies.get(demo["name"]).last_error or "")


def test_sessions_over_real_http(live_url: str, services: Services, demo: dict[str, str]) -> None:
    services.companies.ping(demo["name"])
    services.companies.ping(demo["name"])
    wc = SimulatedWebConnector.over(
        HttpTransport(f"{live_url}/qbwc", timeout=30),
        EchoQuickBooks(),
        WebConnectorSettings(username=demo["username"], password=demo["password"]),
        sleep=FakeSleep(),
    )
    first, second = wc.run_sessions(2)
    assert first.outcome is Outcome.OK
    assert first.round_trips == 2
    assert {ex.http_status for ex in first.transcript} == {200}
    assert second.outcome is Outcome.NONE
    assert all(i.state == "done" for i in services.companies.items(demo["name"]))


def test_an_unreachable_server_is_an_error_not_a_hang(demo: dict[str, str]) -> None:
    wc = SimulatedWebConnector.over(
        HttpTransport("http://127.0.0.1:9/qbwc", timeout=5),
        EchoQuickBooks(),
        WebConnectorSettings(username=demo["username"], password=demo["password"]),
    )
    result = wc.run_session()
    assert result.outcome is Outcome.ERROR
    assert result.methods == ["serverVersion"]
    assert result.transcript[0].http_status is None
    assert "POST http://127.0.0.1:9/qbwc failed" in (result.last_error or "")
