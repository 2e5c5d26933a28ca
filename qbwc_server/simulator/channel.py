"""The SOAP client of the simulated Web Connector: one method call in, one decoded answer out.

A :class:`Channel` is what the conversation player talks to. :class:`SoapChannel` is
the real one (envelope -> transport -> decoded answer, each call recorded in the
transcript); faults wrap it to lose, repeat or inject calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Protocol

from qbwc_server.simulator.envelope import (
    Answer,
    Value,
    build_request,
    parse_answer,
    request_headers,
)
from qbwc_server.simulator.errors import SimulatorError, TransportError
from qbwc_server.simulator.transcript import Exchange, Transcript, redact
from qbwc_server.simulator.transport import HttpAnswer, Transport


class Channel(Protocol):
    """Makes one Web Connector call and returns its decoded result."""

    @property
    def transcript(self) -> Transcript: ...

    def call(self, method: str, params: Mapping[str, Value]) -> Answer: ...


class SoapChannel:
    """Calls a server over a :class:`Transport` and records every exchange.

    Args:
        transport: where the envelopes go.
        transcript: where exchanges are recorded (a new one by default).
        timer: monotonic seconds, for the elapsed time of each call.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        transcript: Transcript | None = None,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._transport = transport
        self._transcript = transcript if transcript is not None else Transcript()
        self._timer = timer

    @property
    def transcript(self) -> Transcript:
        return self._transcript

    def call(self, method: str, params: Mapping[str, Value]) -> Answer:
        """Send ``method`` with ``params`` and return its result.

        Raises:
            TransportError: no usable HTTP answer.
            SoapFault: the server answered with a fault.
            MalformedAnswer: the answer is not the expected envelope.
        """
        body = build_request(method, params)
        started = self._timer()
        http: HttpAnswer | None = None
        try:
            http = self._transport.post(body, request_headers(method, body))
            if http.status not in (200, 500):  # SOAP 1.1 faults travel as HTTP 500
                raise TransportError(f"{method}: HTTP {http.status} from the server")
            answer = parse_answer(method, http.body)
        except SimulatorError as exc:
            self._record(method, params, None, http, started, error=str(exc))
            raise
        self._record(method, params, answer, http, started)
        return answer

    def _record(
        self,
        method: str,
        params: Mapping[str, Value],
        answer: Answer | None,
        http: HttpAnswer | None,
        started: float,
        *,
        error: str | None = None,
    ) -> None:
        self._transcript.add(
            Exchange(
                method=method,
                params=redact(params),
                answer=answer,
                http_status=http.status if http is not None else None,
                elapsed=self._timer() - started,
                error=error,
            )
        )
