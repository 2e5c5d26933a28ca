"""A simulated QuickBooks that refuses chosen messages with a status, and notes when it did.

QuickBooks answers a message it could not lock, or did not process, with one Rs per request
carrying the status and nothing applied. The named faults of the simulator strike by message
number; these tests need to strike one kind of message (``InvoiceAddRq``) wherever it falls
in the session, and to see when each such message arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree

from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import LOCK_MESSAGES

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def refusal(request_xml: str, code: int, message: str) -> str:
    """QuickBooks' answer to ``request_xml`` when every request in it got ``code``."""
    root = etree.fromstring(request_xml.encode("utf-8"), _PARSER)
    answer = etree.Element("QBXML")
    answers = etree.SubElement(answer, "QBXMLMsgsRs")
    for rq in root.iterfind("QBXMLMsgsRq/*"):
        rs = etree.SubElement(answers, str(rq.tag).removesuffix("Rq") + "Rs")
        if rq.get("requestID"):
            rs.set("requestID", rq.get("requestID") or "")
        rs.set("statusCode", str(code))
        rs.set("statusSeverity", "Error")
        rs.set("statusMessage", message)
    return '<?xml version="1.0" ?>' + etree.tostring(answer, encoding="unicode")


def lock_message(code: int, what: str = "list") -> str:
    return LOCK_MESSAGES[code].format(obj=what)


class Refusing:
    """Wraps a simulated company; messages containing ``tag`` are refused ``times`` times
    (0: always) with ``code`` and ``message``. ``seen`` holds when each such message came."""

    def __init__(self, inner: SimulatedCompany, now: Callable[[], datetime], *, tag: str,
                 code: int, message: str, times: int = 1) -> None:
        self._inner, self._now = inner, now
        self._tag, self._code, self._message, self._times = tag, code, message, times
        self.seen: list[datetime] = []
        self.refused = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def process(self, request_xml: str) -> str:
        if self._tag not in request_xml:
            return self._inner.process(request_xml)
        self.seen.append(self._now())
        if self._times and self.refused >= self._times:
            return self._inner.process(request_xml)
        self.refused += 1
        return refusal(request_xml, self._code, self._message)
