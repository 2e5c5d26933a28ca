"""The simulated Web Connector: plays QBWC's side of an update session against any server.

The conversation is the one QBWC 2.x has (protocol §2): serverVersion,
clientVersion, authenticate, then sendRequestXML/receiveResponseXML pairs and
closeConnection, with getLastError and connectionError where QBWC calls them.
QuickBooks is whatever object implements
:class:`~qbwc_server.simulator.interface.QuickBooks`. Every loop is bounded by
``max_calls`` so a misbehaving server cannot keep a session going forever.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from qbwc_server.simulator.channel import Channel, SoapChannel
from qbwc_server.simulator.envelope import Answer, Value
from qbwc_server.simulator.errors import MalformedAnswer, SimulatedCrash, SimulatorError
from qbwc_server.simulator.interface import QuickBooks, QuickBooksError, QuickBooksUnavailable
from qbwc_server.simulator.transcript import Exchange, Transcript
from qbwc_server.simulator.transport import Transport

if TYPE_CHECKING:
    from qbwc_server.simulator.faults import Fault

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]


class Outcome(enum.StrEnum):
    """How a session ended, as a Web Connector user would see it."""

    OK = "ok"  # receiveResponseXML said 100, closeConnection called
    NVU = "nvu"  # authenticate: invalid user
    NONE = "none"  # authenticate: nothing to do
    BUSY = "busy"  # authenticate: the server is busy (another session holds the company)
    ERROR = "error"  # the server reported an error, or a call failed
    CONNECTION_ERROR = "connection_error"  # QuickBooks could not be opened
    CRASHED = "crashed"  # the Web Connector stopped mid-session (a fault)


@attrs.frozen(kw_only=True)
class WebConnectorSettings:
    """How the simulated Web Connector identifies itself and how patient it is.

    Args:
        username: the .qwc ``UserName``.
        password: the password typed into QBWC.
        client_version: sent with clientVersion (QBWC 2.3's build by default).
        noop_wait_seconds: pause after getLastError answers ``NoOp`` (QBWC waits 5 s).
        max_noop_waits: how many NoOp pauses one session tolerates.
        max_calls: hard limit on SOAP calls per session.
    """

    username: str
    password: str = attrs.field(repr=False)
    client_version: str = "2.3.0.215"
    noop_wait_seconds: float = 5.0
    max_noop_waits: int = 12
    max_calls: int = 1000


@attrs.frozen(kw_only=True)
class SessionResult:
    """What one update session did."""

    outcome: Outcome
    close_status: str | None = None  # what closeConnection answered
    last_error: str | None = None  # getLastError / connectionError / failure text
    server_version: str | None = None
    messages: tuple[str, ...] = ()  # clientVersion warnings shown to the user
    progress: tuple[int, ...] = ()  # every receiveResponseXML answer
    round_trips: int = 0  # sendRequestXML/receiveResponseXML pairs
    requests_processed: int = 0  # qbXML messages QuickBooks processed
    postpone_seconds: int | None = None  # authenticate [2]
    min_interval_seconds: int | None = None  # authenticate [3]
    calls: int = 0
    transcript: tuple[Exchange, ...] = ()

    @property
    def methods(self) -> list[str]:
        return [exchange.method for exchange in self.transcript]

    @property
    def faults_fired(self) -> tuple[str, ...]:
        """The injected faults that struck this session, in order (a name per strike)."""
        return tuple(fault for exchange in self.transcript for fault in exchange.faults)


class _BudgetExhausted(Exception):
    pass


class SimulatedWebConnector:
    """Runs update sessions for one company, like one QBWC entry on one machine.

    Args:
        channel: the SOAP client (possibly wrapped by faults).
        quickbooks: plays QuickBooks (possibly wrapped by faults).
        settings: credentials and limits.
        sleep: how to wait after ``NoOp`` (tests pass a fake).
    """

    def __init__(
        self,
        channel: Channel,
        quickbooks: QuickBooks,
        settings: WebConnectorSettings,
        *,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._channel = channel
        self._quickbooks = quickbooks
        self._settings = settings
        self._sleep = sleep

    @classmethod
    def over(
        cls,
        transport: Transport,
        quickbooks: QuickBooks,
        settings: WebConnectorSettings,
        *,
        faults: Sequence[Fault] = (),
        sleep: Sleep = time.sleep,
    ) -> SimulatedWebConnector:
        """A Web Connector on ``transport``, ``faults`` wrapped around channel and QuickBooks."""
        from qbwc_server.simulator.faults import FaultContext, apply_faults

        channel: Channel = SoapChannel(transport)
        channel, quickbooks = apply_faults(
            faults, channel, quickbooks, FaultContext(transcript=channel.transcript, sleep=sleep)
        )
        return cls(channel, quickbooks, settings, sleep=sleep)

    @property
    def transcript(self) -> Transcript:
        """Every call of every session so far."""
        return self._channel.transcript

    def run_session(self) -> SessionResult:
        """Play one update session from serverVersion to closeConnection (or wherever it ends)."""
        return _Session(self._channel, self._quickbooks, self._settings, self._sleep).play()

    def run_sessions(self, count: int) -> list[SessionResult]:
        return [self.run_session() for _ in range(count)]


@attrs.define
class _Session:
    channel: Channel
    quickbooks: QuickBooks
    settings: WebConnectorSettings
    sleep: Sleep
    calls: int = 0
    ticket: str | None = None
    auth_status: str = ""
    opened: bool = False
    server_version: str | None = None
    messages: list[str] = attrs.field(factory=list)
    progress: list[int] = attrs.field(factory=list)
    round_trips: int = 0
    requests_processed: int = 0
    postpone: int | None = None
    min_interval: int | None = None
    close_status: str | None = None
    last_error: str | None = None

    def play(self) -> SessionResult:
        first_exchange = len(self.channel.transcript.exchanges)
        try:
            outcome = self._converse()
        except SimulatedCrash as exc:
            outcome, self.last_error = Outcome.CRASHED, str(exc)
        except _BudgetExhausted:
            outcome = Outcome.ERROR
            self.last_error = f"Gave up after {self.settings.max_calls} calls in one session."
            self._close_quietly()
        except SimulatorError as exc:
            # QBWC shows the failure (QBWC1012, QBWC1041-1045) and ends the update.
            outcome, self.last_error = Outcome.ERROR, str(exc)
        finally:
            if self.opened:
                self.quickbooks.close()
        log.info("simulated session ended: %s", outcome)
        return SessionResult(
            outcome=outcome,
            close_status=self.close_status,
            last_error=self.last_error,
            server_version=self.server_version,
            messages=tuple(self.messages),
            progress=tuple(self.progress),
            round_trips=self.round_trips,
            requests_processed=self.requests_processed,
            postpone_seconds=self.postpone,
            min_interval_seconds=self.min_interval,
            calls=self.calls,
            transcript=tuple(self.channel.transcript.exchanges[first_exchange:]),
        )

    # -- the conversation ----------------------------------------------------

    def _converse(self) -> Outcome:
        self.server_version = self._text("serverVersion")
        answer = self._text("clientVersion", strVersion=self.settings.client_version)
        if answer.startswith("W:"):
            self.messages.append(answer[2:])  # the user clicks "continue"
        elif answer.startswith(("E:", "O:")):
            self.last_error = answer[2:]
            return Outcome.ERROR
        status = self._authenticate()
        if status == "nvu":
            return Outcome.NVU
        if status == "none":
            self._close()
            return Outcome.NONE
        if status == "busy":
            return Outcome.BUSY
        company_file = self._open(self.auth_status)
        if company_file is None:
            return Outcome.CONNECTION_ERROR
        return self._exchange(company_file)

    def _authenticate(self) -> str:
        answer = self._call(
            "authenticate",
            strUserName=self.settings.username,
            strPassword=self.settings.password,
        )
        if not isinstance(answer, list) or len(answer) < 2:
            raise MalformedAnswer(f"authenticate answered {answer!r}; QBWC needs 2-4 strings")
        self.ticket, self.auth_status = answer[0], answer[1]
        self.postpone = _seconds(answer, 2)
        self.min_interval = _seconds(answer, 3)
        lowered = self.auth_status.strip().lower()
        return lowered if lowered in ("nvu", "none", "busy") else "open"

    def _open(self, company_file: str) -> str | None:
        """Open QuickBooks; on failure ask connectionError (retry a new path once)."""
        for attempt in range(2):
            try:
                opened = self.quickbooks.open(company_file)
            except QuickBooksUnavailable as exc:
                answer = self._text(
                    "connectionError", ticket=self._ticket, hresult=exc.hresult,
                    message=exc.message,
                )
                self.last_error = f"{exc.hresult}: {exc.message}"
                if answer.strip().lower() == "done" or attempt == 1:
                    self._close()
                    return None
                company_file = answer
                continue
            self.opened = True
            return opened
        raise AssertionError("unreachable")

    def _exchange(self, company_file: str) -> Outcome:
        hcp_response = self.quickbooks.hcp_response()
        major, minor = self.quickbooks.qbxml_version
        noop_waits = 0
        while True:
            request = self._text(
                "sendRequestXML",
                ticket=self._ticket,
                strHCPResponse=hcp_response,
                strCompanyFileName=company_file,
                qbXMLCountry=self.quickbooks.country,
                qbXMLMajorVers=major,
                qbXMLMinorVers=minor,
            )
            hcp_response = ""  # only the first sendRequestXML carries it
            if not request:
                text = self._text("getLastError", ticket=self._ticket)
                if text.strip().lower() == "noop" and noop_waits < self.settings.max_noop_waits:
                    noop_waits += 1
                    self.sleep(self.settings.noop_wait_seconds)
                    continue
                self.last_error = text
                self._close()
                return Outcome.ERROR
            progress = self._answer(request)
            if progress >= 100:
                self._close()
                return Outcome.OK
            if progress < 0:
                self.last_error = self._text("getLastError", ticket=self._ticket)
                self._close()
                return Outcome.ERROR

    def _answer(self, request: str) -> int:
        """Let QuickBooks process the request and hand its answer (or HRESULT) back."""
        try:
            response, hresult, message = self.quickbooks.process(request), "", ""
            self.requests_processed += 1
        except SimulatedCrash:
            self.requests_processed += 1  # QuickBooks applied it; QBWC died afterwards
            raise
        except QuickBooksError as exc:
            response, hresult, message = "", exc.hresult, exc.message
        answer = self._call(
            "receiveResponseXML", ticket=self._ticket, response=response,
            hresult=hresult, message=message,
        )
        self.round_trips += 1
        if not isinstance(answer, int):
            raise MalformedAnswer(f"receiveResponseXML answered {answer!r}")
        self.progress.append(answer)
        return answer

    # -- calls ---------------------------------------------------------------

    @property
    def _ticket(self) -> str:
        return self.ticket or ""

    def _call(self, method: str, **params: Value) -> Answer:
        if self.calls >= self.settings.max_calls:
            raise _BudgetExhausted
        self.calls += 1
        return self.channel.call(method, params)

    def _text(self, method: str, **params: Value) -> str:
        answer = self._call(method, **params)
        if not isinstance(answer, str):
            raise MalformedAnswer(f"{method} answered {answer!r}; expected a string")
        return answer

    def _close(self) -> None:
        self.close_status = self._text("closeConnection", ticket=self._ticket)

    def _close_quietly(self) -> None:
        """One last closeConnection beyond the budget, so the server is not left busy."""
        if self.ticket is None:
            return
        try:
            answer = self.channel.call("closeConnection", {"ticket": self.ticket})
        except SimulatorError:
            return
        self.calls += 1
        self.close_status = answer if isinstance(answer, str) else None


def _seconds(answer: list[str], index: int) -> int | None:
    if len(answer) <= index or not answer[index].strip():
        return None
    try:
        return int(answer[index].strip())
    except ValueError:
        return None
