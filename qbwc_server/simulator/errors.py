"""What can go wrong between the simulated Web Connector and a server.

::

    SimulatorError
    ├── TransportError          the HTTP exchange failed (connection refused, timeout, bad status)
    │   └── AnswerLost          the server answered but the answer never reached us (a fault)
    ├── SoapFault               the server answered with a SOAP fault
    ├── MalformedAnswer         the answer is not the envelope the method calls for
    └── SimulatedCrash          the Web Connector "crashed" (a fault): the session just stops

QuickBooks' own failures are :class:`~qbwc_server.simulator.interface.QuickBooksError`
and :class:`~qbwc_server.simulator.interface.QuickBooksUnavailable`.
"""

from __future__ import annotations


class SimulatorError(Exception):
    """The simulated Web Connector could not complete a call."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class TransportError(SimulatorError):
    """The HTTP exchange with the server failed."""


class AnswerLost(TransportError):
    """The server answered, but the answer was lost on the way back."""


class SoapFault(SimulatorError):
    """The server answered with a SOAP fault."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"SOAP fault {code}: {text}")
        self.code = code
        self.text = text


class MalformedAnswer(SimulatorError):
    """The server's answer is not the SOAP envelope the method calls for."""


class SimulatedCrash(SimulatorError):
    """The Web Connector crashed in the middle of the session."""
