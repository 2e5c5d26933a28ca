"""The conversation player against a scripted server: the branches our server never takes."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from qbwc_server.simulator.envelope import Answer, Value
from qbwc_server.simulator.errors import SoapFault
from qbwc_server.simulator.transcript import REDACTED, Exchange, Transcript, redact
from qbwc_server.simulator.webconnector import (
    Outcome,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.simulator_doubles import EchoQuickBooks, FakeSleep

REQUEST = (
    '<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
    '<CompanyQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>'
)
Script = Mapping[str, Callable[[Mapping[str, Value]], Answer]]


class ScriptedServer:
    """A Channel whose answers come from per-method functions."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self.transcript = Transcript()

    def call(self, method: str, params: Mapping[str, Value]) -> Answer:
        answer = self._script[method](params)
        self.transcript.add(Exchange(method=method, params=redact(params), answer=answer,
                                     http_status=200, elapsed=0.0))
        return answer


def _script(**overrides: Callable[[Mapping[str, Value]], Answer]) -> Script:
    base: dict[str, Callable[[Mapping[str, Value]], Answer]] = {
        "serverVersion": lambda p: "scripted 1.0",
        "clientVersion": lambda p: "",
        "authenticate": lambda p: ["T", "", "60", "900"],
        "sendRequestXML": lambda p: REQUEST,
        "receiveResponseXML": lambda p: 100,
        "getLastError": lambda p: "some error",
        "connectionError": lambda p: "done",
        "closeConnection": lambda p: "bye",
    }
    base.update(overrides)
    return base


def _run(
    script: Script, quickbooks: EchoQuickBooks | None = None, **settings: object
) -> tuple[SimulatedWebConnector, FakeSleep]:
    sleep = FakeSleep()
    wc = SimulatedWebConnector(
        ScriptedServer(script),
        quickbooks or EchoQuickBooks(),
        WebConnectorSettings(username="u", password="p", **settings),  # type: ignore[arg-type]
        sleep=sleep,
    )
    return wc, sleep


def test_authenticate_extras_are_recorded() -> None:
    wc, _ = _run(_script())
    result = wc.run_session()
    assert result.outcome is Outcome.OK
    assert (result.postpone_seconds, result.min_interval_seconds) == (60, 900)
    assert result.close_status == "bye"
    assert result.calls == len(result.transcript) == 6


def test_noop_waits_and_asks_again() -> None:
    sends = iter(["", "", REQUEST])
    wc, sleep = _run(
        _script(sendRequestXML=lambda p: next(sends), getLastError=lambda p: "NoOp"),
        noop_wait_seconds=0.25,
    )
    result = wc.run_session()
    assert result.outcome is Outcome.OK
    assert sleep.calls == [0.25, 0.25]
    assert result.methods.count("getLastError") == 2


def test_endless_noop_gives_up_after_the_configured_waits() -> None:
    wc, sleep = _run(
        _script(sendRequestXML=lambda p: "", getLastError=lambda p: "NoOp"), max_noop_waits=3
    )
    result = wc.run_session()
    assert result.outcome is Outcome.ERROR
    assert len(sleep.calls) == 3
    assert result.methods[-1] == "closeConnection"


def test_a_server_that_never_finishes_is_cut_off_by_the_call_budget() -> None:
    wc, _ = _run(_script(receiveResponseXML=lambda p: 1), max_calls=20)
    result = wc.run_session()
    assert result.outcome is Outcome.ERROR
    assert "20 calls" in (result.last_error or "")
    assert result.methods[-1] == "closeConnection"  # one call past the budget, to free it
    assert result.calls == 21


@pytest.mark.parametrize("answer", ["E:Upgrade the Web Connector", "O:2.3.0.215"])
def test_client_version_error_or_upgrade_stops_before_authenticate(answer: str) -> None:
    wc, _ = _run(_script(clientVersion=lambda p: answer))
    result = wc.run_session()
    assert result.outcome is Outcome.ERROR
    assert result.methods == ["serverVersion", "clientVersion"]


@pytest.mark.parametrize(("status", "outcome", "last"), [
    ("nvu", Outcome.NVU, "authenticate"),
    ("NONE", Outcome.NONE, "closeConnection"),  # PG writes it in capitals
    ("busy", Outcome.BUSY, "authenticate"),
])
def test_authenticate_statuses(status: str, outcome: Outcome, last: str) -> None:
    wc, _ = _run(_script(authenticate=lambda p: ["T", status]))
    result = wc.run_session()
    assert result.outcome is outcome
    assert result.methods[-1] == last


def test_connection_error_answer_with_a_path_is_retried_once() -> None:
    quickbooks = EchoQuickBooks(unavailable=("0x80040416", "Company file name needed."))
    wc, _ = _run(_script(connectionError=lambda p: r"C:\QB\Other.QBW"), quickbooks)
    result = wc.run_session()
    assert result.outcome is Outcome.CONNECTION_ERROR
    assert quickbooks.opened == ["", r"C:\QB\Other.QBW"]
    assert result.methods[-3:] == ["connectionError", "connectionError", "closeConnection"]


def test_negative_progress_asks_for_the_last_error() -> None:
    wc, _ = _run(_script(receiveResponseXML=lambda p: -101))
    result = wc.run_session()
    assert result.outcome is Outcome.ERROR
    assert result.last_error == "some error"
    assert result.progress == (-101,)


def test_a_soap_fault_ends_the_session_like_qbwc() -> None:
    def fault(_: Mapping[str, Value]) -> Answer:
        raise SoapFault("soap:Server", "boom")

    quickbooks = EchoQuickBooks()
    wc, _ = _run(_script(sendRequestXML=fault), quickbooks)
    result = wc.run_session()
    assert result.outcome is Outcome.ERROR
    assert "boom" in (result.last_error or "")
    assert quickbooks.closed == 1  # QuickBooks is released even so


def test_malformed_authenticate_is_an_error() -> None:
    wc, _ = _run(_script(authenticate=lambda p: ["only-a-ticket"]))
    assert wc.run_session().outcome is Outcome.ERROR


def test_verbose_rendering_hides_the_ticket_and_password() -> None:
    wc, _ = _run(_script(authenticate=lambda p: ["SECRET-TICKET", ""]))
    wc.run_session()
    text = wc.transcript.render()
    assert "SECRET-TICKET" not in text
    assert "SECR..." in text
    assert f"strPassword={REDACTED!r}" in text
