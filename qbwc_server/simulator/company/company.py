"""The simulated QuickBooks company: the :class:`~qbwc_server.simulator.interface.QuickBooks`
seam, message processing, HCP answers, persistence.

``process`` behaves like QuickBooks' request processor:

* A message declaring a qbXML version above the company's, one that does not parse, one the
  13.0 XSD rejects (order, names, lengths), or one with an element or attribute newer than the
  version it declares (``iterator`` under 4.1) fails as a whole with HRESULT 0x80040400
  "QuickBooks found an error when parsing the provided XML text stream." (``qbwc-protocol.md``
  3.5, 7).
* Each request gets an Rs echoing its requestID. With ``onError="stopOnError"`` processing
  stops after the first error (statusCode >= 1000) and the requests after it get no Rs: the SDK
  documents "Stop processing when an error occurs ... An error is returned for the operation
  that caused the error condition"; ``continueOnError`` goes on. ``rollbackOnError`` is treated
  as stopOnError (QuickBooks Desktop does not roll back).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from lxml import etree

from qbwc_server.simulator.company import hcp, queries, removal, seed, state, writes, writes_money
from qbwc_server.simulator.company.accountant import Accountant
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.errors import StatusError
from qbwc_server.simulator.company.rs import NO_MATCH, Context, IteratorState, error_rs, rs
from qbwc_server.simulator.company.spec_version import newer_than
from qbwc_server.simulator.company.xsd import schema_errors
from qbwc_server.simulator.interface import QuickBooksError, QuickBooksUnavailable
from qbxml.errors import QbxmlParseError
from qbxml.numbers import whole_number
from qbxml.parsing import parse_xml
from qbxml.versions import Version

__all__ = ["PARSE_ERROR", "SimulatedCompany"]

PARSE_ERROR = ("0x80040400", "QuickBooks found an error when parsing the provided XML text stream.")
CANNOT_START = ("0x80040408", "Could not start QuickBooks.")
DEFAULT_ZONE = timezone(timedelta(hours=-5))
DEFAULT_FILE = r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Simulated Company.QBW"
_VERSION_PI = re.compile(r"<\?qbxml\s+version\s*=\s*[\"']([^\"']+)[\"']\s*\?>")

Handler = Callable[[Context, etree._Element], etree._Element]
HANDLERS: dict[str, Handler] = {
    "HostQueryRq": hcp.host_query,
    "CompanyQueryRq": hcp.company_query,
    "PreferencesQueryRq": hcp.preferences_query,
    "CustomerAddRq": writes.customer_add,
    "CustomerModRq": writes.customer_mod,
    "InvoiceAddRq": writes.sales_add,
    "CreditMemoAddRq": writes.sales_add,
    "EstimateAddRq": writes.sales_add,
    "InvoiceModRq": writes.invoice_mod,
    "ReceivePaymentAddRq": writes_money.payment_add,
    "DepositAddRq": writes_money.deposit_add,
    "TxnDelRq": writes_money.txn_del,
    "ListDelRq": writes_money.list_del,
    "TxnVoidRq": writes_money.txn_void,
    "DataExtDefAddRq": writes_money.data_ext_def_add,
    "DataExtAddRq": writes_money.data_ext_add,
    "TxnDeletedQueryRq": queries.deleted_query,
    "ListDeletedQueryRq": queries.deleted_query,
    **dict.fromkeys(queries.QUERY_KINDS, queries.query),
}


def _parse_version(text: str) -> tuple[int, int] | None:
    match = _VERSION_PI.search(text[:500])
    if match is None:
        return None
    major_text, _, minor_text = match.group(1).strip().partition(".")
    major = whole_number(major_text, maximum=99)
    minor = whole_number(minor_text or "0", maximum=99)
    if major is None or minor is None:
        return None
    return major, minor


class SimulatedCompany(Accountant):
    """A QuickBooks Desktop company file that answers qbXML like QuickBooks does."""

    def __init__(self, *, qbxml_version: tuple[int, int] = (13, 0), country: str = "US",
                 product_name: str | None = None, company_name: str = "Simulated Company",
                 clock: Callable[[], datetime] | None = None, zone: tzinfo = DEFAULT_ZONE,
                 company_file: str = DEFAULT_FILE, cannot_open: bool = False,
                 seed_chart: bool = True, dst_error: bool = False) -> None:
        """A new company with the standard chart of accounts and items.

        Args:
            qbxml_version: highest qbXML version the request processor speaks ((8, 0) plays an
                old QuickBooks 2009, (4, 1) a QuickBooks 2005 that knows no iterators).
            country: qbXMLCountry / HostRet Country ("US", "CA", "UK").
            product_name: HostRet ProductName (default "QuickBooks Pro <year>").
            company_name: CompanyRet CompanyName.
            clock: "now" as an aware datetime (default: real UTC time).
            zone: the company's local time zone for TimeCreated/TimeModified.
            company_file: the path ``open("")`` reports.
            cannot_open: ``open`` fails with 0x80040408 "Could not start QuickBooks.".
            seed_chart: create the standard chart of accounts, items and lists.
            dst_error: play QuickBooks' daylight-saving behaviour (give ``zone`` a real zone,
                e.g. ``ZoneInfo("America/New_York")``): TimeModified carries the standard-time
                offset all year, an hour off in summer, and date-time filters are read on the
                wall clock, offsets ignored.
        """
        self.books = Books(clock=clock, zone=zone, dst_error=dst_error)
        self.hcp_info = hcp.HcpInfo(qbxml_version=qbxml_version, country=country,
                                    product_name=product_name, company_name=company_name)
        self.company_file = company_file
        self.cannot_open = cannot_open
        self.is_open = False
        self.iterators: dict[str, IteratorState] = {}
        self.new_guid: Callable[[], str] = lambda: "{" + str(uuid.uuid4()) + "}"
        if seed_chart:
            seed.seed_chart(self.books)

    # ------------------------------------------------------------------ QuickBooks protocol
    @property
    def country(self) -> str:
        return self.hcp_info.country

    @property
    def qbxml_version(self) -> tuple[int, int]:
        return self.hcp_info.qbxml_version

    def open(self, company_file: str) -> str:
        """Open the company file ("" = this one). Iterators of an earlier session are gone."""
        if self.cannot_open:
            raise QuickBooksUnavailable(*CANNOT_START)
        self.is_open = True
        self.iterators.clear()
        return company_file or self.company_file

    def close(self) -> None:
        self.is_open = False
        self.iterators.clear()

    def _context(self) -> Context:
        return Context(books=self.books, iterators=self.iterators, new_guid=self.new_guid,
                       hcp=self.hcp_info)

    def hcp_response(self) -> str:
        """HostQueryRs, CompanyQueryRs and PreferencesQueryRs with requestIDs 0, 1 and 2."""
        ctx = self._context()
        answers = []
        for request_id, tag in enumerate(("HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq")):
            rq = etree.Element(tag, requestID=str(request_id))
            if tag == "CompanyQueryRq":
                answers.append(hcp.company_query(ctx, rq, all_owners=True))
            else:
                answers.append(HANDLERS[tag](ctx, rq))
        return _message(answers)

    def process(self, request_xml: str) -> str:
        """Run one qbXML request message; see the module docstring for the rules."""
        version = _parse_version(request_xml)
        if version is None or version > self.qbxml_version:
            raise QuickBooksError(*PARSE_ERROR)
        try:
            root = parse_xml(request_xml)
        except QbxmlParseError as exc:
            raise QuickBooksError(*PARSE_ERROR) from exc
        if root.tag != "QBXML" or schema_errors(root):
            raise QuickBooksError(*PARSE_ERROR)
        messages = root.find("QBXMLMsgsRq")
        if messages is None or newer_than(messages, Version(*version)) is not None:
            raise QuickBooksError(*PARSE_ERROR)
        stop = messages.get("onError") != "continueOnError"
        include_data = messages.get("responseData") != "includeNone"
        ctx = self._context()
        answers = []
        for rq in messages:  # the hardened parser drops comments and PIs
            answer = self._answer(ctx, rq)
            if not include_data:
                for child in list(answer):
                    answer.remove(child)
            answers.append(answer)
            if stop and int(answer.get("statusCode", "0")) >= 1000:
                break
        return _message(answers)

    def _answer(self, ctx: Context, rq: etree._Element) -> etree._Element:
        handler = HANDLERS.get(str(rq.tag))
        if handler is None:
            if str(rq.tag).endswith("QueryRq"):  # a list this company has nothing in
                return rs(rq, 1, "Info", NO_MATCH)
            return rs(rq, 1030, "Error", "This request is not supported by this implementation.")
        try:
            return handler(ctx, rq)
        except StatusError as error:
            return error_rs(rq, error)

    # ------------------------------------------------------------------ Web Connector stamps
    def stamp_file_id(self, owner_id: str, file_id: str) -> None:
        """Record the FileID DataExt QBWC stamps under the app's OwnerID on first connect."""
        removal.set_company_data_ext(self.books, owner_id, "FileID", file_id)

    # ------------------------------------------------------------------ persistence
    def summary(self) -> dict[str, int]:
        """How many objects of each type the company holds."""
        books = self.books
        counts = {"Account": len(books.accounts), "Item": len(books.items),
                  "Customer": sum(1 for c in books.customers.values() if not c.parent_id),
                  "Job": sum(1 for c in books.customers.values() if c.parent_id),
                  "Invoice": 0, "CreditMemo": 0, "Estimate": 0,
                  "ReceivePayment": len(books.payments), "Deposit": len(books.deposits)}
        for sale in books.sales.values():
            counts[sale.kind] += 1
        counts["Deleted"] = len(books.deleted)
        return counts

    def save(self, path: str | Path) -> None:
        """Write the whole company to a JSON state file."""
        data = state.dump_books(self.books)
        info = self.hcp_info
        data["settings"] = {"qbxml_version": list(info.qbxml_version), "country": info.country,
                            "product_name": info.product_name,
                            "company_name": info.company_name,
                            "company_file": self.company_file,
                            "zone_minutes": _zone_minutes(self.books.zone)}
        state.write_json(path, data)

    @classmethod
    def load(cls, path: str | Path, *, clock: Callable[[], datetime] | None = None,
             **options: Any) -> SimulatedCompany:
        """A company from a state file written by :meth:`save`."""
        data = state.read_json(path)
        settings = data.get("settings", {})
        company = cls(
            qbxml_version=tuple(options.pop("qbxml_version", settings["qbxml_version"])),
            country=options.pop("country", settings["country"]),
            product_name=options.pop("product_name", settings.get("product_name")),
            company_name=options.pop("company_name", settings["company_name"]),
            company_file=options.pop("company_file", settings["company_file"]),
            zone=timezone(timedelta(minutes=settings.get("zone_minutes", -300))),
            clock=clock, seed_chart=False, **options)
        state.load_books(company.books, data)
        return company

    @classmethod
    def from_fixture(cls, path: str | Path, **options: Any) -> SimulatedCompany:
        """A company described by a JSON fixture (see :mod:`.fixtures`)."""
        from qbwc_server.simulator.company.fixtures import build_from_fixture

        built: SimulatedCompany = build_from_fixture(cls, state.read_json(path), **options)
        return built

    @classmethod
    def generate(cls, *, customers: int = 2000, invoices: int = 20000, years: int = 3,
                 seed: int = 1, today: Any = None, **options: Any) -> SimulatedCompany:
        """A realistic company, identical for the same arguments (see :mod:`.generate`)."""
        from qbwc_server.simulator.company.generate import generate_company

        built: SimulatedCompany = generate_company(
            cls, customers=customers, invoices=invoices, years=years, seed=seed, today=today,
            **options)
        return built


def _zone_minutes(zone: tzinfo | None) -> int:
    offset = zone.utcoffset(None) if zone is not None else None
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _message(answers: list[etree._Element]) -> str:
    """A response message as QuickBooks writes it (``<?xml version="1.0" ?>`` first)."""
    root = etree.Element("QBXML")
    messages = etree.SubElement(root, "QBXMLMsgsRs")
    for answer in answers:
        messages.append(answer)
    return '<?xml version="1.0" ?>\n' + etree.tostring(root, encoding="unicode")
