"""A tiny QuickBooks for simulated Web Connector tests: answers every request with status OK."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from qbwc_server.app import Services
from qbwc_server.simulator.faults import Fault
from qbwc_server.simulator.interface import QuickBooks, QuickBooksError, QuickBooksUnavailable
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import SimulatedWebConnector, WebConnectorSettings

PARSE_ERROR = ("0x80040400", "QuickBooks found an error when parsing the provided XML text stream.")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

HCP_RESPONSE = (
    '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>'
    '<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">'
    "<HostRet><ProductName>QuickBooks Pro 2018</ProductName><MajorVersion>28</MajorVersion>"
    "<MinorVersion>0</MinorVersion><Country>US</Country>"
    "<SupportedQBXMLVersion>12.0</SupportedQBXMLVersion>"
    "<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>"
    "<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode></HostRet>"
    "</HostQueryRs>"
    '<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">'
    "<CompanyRet><IsSampleCompany>false</IsSampleCompany><CompanyName>Echo Co</CompanyName>"
    "</CompanyRet></CompanyQueryRs>"
    '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" '
    'statusMessage="Status OK"><PreferencesRet/></PreferencesQueryRs>'
    "</QBXMLMsgsRs></QBXML>"
)


class EchoQuickBooks:
    """Answers each ``*Rq`` with its ``*Rs`` (status 0); CustomerAdd names are kept as state.

    Args:
        company_file: the file that is "open".
        unavailable: when set, ``open`` fails with this (hresult, message).
    """

    def __init__(
        self,
        company_file: str = r"C:\QB\Echo Co.QBW",
        *,
        unavailable: tuple[str, str] | None = None,
    ) -> None:
        self.company_file = company_file
        self.unavailable = unavailable
        self.opened: list[str] = []
        self.processed: list[str] = []
        self.customers: list[str] = []
        self.closed = 0

    @property
    def country(self) -> str:
        return "US"

    @property
    def qbxml_version(self) -> tuple[int, int]:
        return (13, 0)

    def open(self, company_file: str) -> str:
        self.opened.append(company_file)
        if self.unavailable is not None:
            raise QuickBooksUnavailable(*self.unavailable)
        return company_file or self.company_file

    def hcp_response(self) -> str:
        return HCP_RESPONSE

    def process(self, request_xml: str) -> str:
        try:
            root = etree.fromstring(request_xml.encode("utf-8"), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise QuickBooksError(*PARSE_ERROR) from exc
        self.processed.append(request_xml)
        answers = []
        for rq in root.iterfind("QBXMLMsgsRq/*"):
            name = re.sub(r"Rq$", "", rq.tag)
            body = ""
            if name == "CompanyQuery":
                body = "<CompanyRet><CompanyName>Echo Co</CompanyName></CompanyRet>"
            elif name == "CustomerAdd":
                customer = rq.findtext("CustomerAdd/Name") or ""
                self.customers.append(customer)
                body = f"<CustomerRet><Name>{escape(customer)}</Name></CustomerRet>"
            request_id = rq.get("requestID")
            rid = f" requestID={quoteattr(request_id)}" if request_id else ""
            answers.append(
                f'<{name}Rs{rid} statusCode="0" statusSeverity="Info" '
                f'statusMessage="Status OK">{body}</{name}Rs>'
            )
        return (
            '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>' + "".join(answers)
            + "</QBXMLMsgsRs></QBXML>"
        )

    def close(self) -> None:
        self.closed += 1


def add_queue_only_company(services: Services, name: str) -> dict[str, str]:
    """A company whose sessions carry only what tests queue: the sync engine's pulls are off.

    The conversation and fault tests count round trips and queue states exactly; the
    engine's own plan is exercised by the tests that leave the defaults on.
    """
    from qbwc_server.sync.profile import KINDS

    view, password = services.companies.add(name)
    services.sync.configure(name, directions=dict.fromkeys(KINDS, "off"))
    return {"name": view.name, "username": view.username, "password": password}


class FakeSleep:
    """Records the waits instead of waiting; can move a fake clock along."""

    def __init__(self, on_sleep: Callable[[float], Any] | None = None) -> None:
        self.calls: list[float] = []
        self._on_sleep = on_sleep

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self._on_sleep is not None:
            self._on_sleep(seconds)


def connector(
    app: Any,
    company: dict[str, str],
    quickbooks: QuickBooks | None = None,
    *,
    faults: Sequence[str] = (),
    sleep: Callable[[float], None] | None = None,
    password: str | None = None,
    **settings: Any,
) -> SimulatedWebConnector:
    """A simulated Web Connector for ``company`` calling ``app`` in-process."""
    return SimulatedWebConnector.over(
        WsgiTransport(app),
        quickbooks if quickbooks is not None else EchoQuickBooks(),
        WebConnectorSettings(
            username=company["username"],
            password=password if password is not None else company["password"],
            **settings,
        ),
        faults=[Fault.parse(text) for text in faults],
        sleep=sleep if sleep is not None else FakeSleep(),
    )
