"""A QuickBooks 2005 (qbXML 4.1): no iterators, and pages that follow the filter's order."""

from __future__ import annotations

from datetime import date

import pytest

from qbwc_server.simulator.company.company import PARSE_ERROR
from qbwc_server.simulator.interface import QuickBooksError
from tests.unit.simco import answers, company, msg, status

QUERY = "<CustomerQueryRq{attrs}><MaxReturned>2</MaxReturned>{extra}</CustomerQueryRq>"


def test_host_query_lists_versions_up_to_4_1() -> None:
    co = company(qbxml_version=(4, 1))
    host = answers(co.hcp_response())[0].find("HostRet")
    versions = [v.text for v in host.findall("SupportedQBXMLVersion")]
    assert versions[-2:] == ["4.0", "4.1"]
    assert host.findtext("ProductName") == "QuickBooks Pro 2005"


@pytest.mark.parametrize(("request_xml", "version"), [
    # iterators came with 5.0
    (QUERY.format(attrs=' iterator="Start"', extra=""), "4.1"),
    (QUERY.format(attrs=' iterator="Continue" iteratorID="{A}"', extra=""), "4.1"),
    # metaData came with 4.0
    (QUERY.format(attrs=' metaData="MetaDataOnly"', extra=""), "3.0"),
    # an element newer than the message: CurrencyFilter is 8.0
    (QUERY.format(attrs="", extra="<CurrencyFilter><FullName>USD</FullName></CurrencyFilter>"),
     "4.1"),
])
def test_anything_newer_than_the_message_fails_it_whole(request_xml: str, version: str) -> None:
    co = company(qbxml_version=(4, 1))
    with pytest.raises(QuickBooksError) as caught:
        co.process(msg(request_xml, version=version))
    assert (caught.value.hresult, caught.value.message) == PARSE_ERROR


def test_the_same_query_without_an_iterator_is_answered() -> None:
    co = company(qbxml_version=(4, 1))
    co.add_customer("Ada")
    (rs,) = answers(co.process(msg(QUERY.format(attrs="", extra=""), version="4.1")))
    assert status(rs) == 0
    assert rs.get("iteratorID") is None


def test_max_returned_takes_the_oldest_modified_when_filtered_by_modified_date() -> None:
    co = company()
    for name in ("Zed", "Amy", "Max"):  # modified one minute apart, not in name order
        co.add_customer(name)
    since = "<FromModifiedDate>2026-01-01T00:00:00</FromModifiedDate>"
    (rs,) = answers(co.process(msg(QUERY.format(attrs="", extra=since))))
    assert [ret.findtext("Name") for ret in rs.findall("CustomerRet")] == ["Zed", "Amy"]
    (by_name,) = answers(co.process(msg(QUERY.format(attrs="", extra=""))))
    assert [ret.findtext("Name") for ret in by_name.findall("CustomerRet")] == ["Amy", "Max"]


def test_max_returned_takes_the_earliest_dates_when_filtered_by_transaction_date() -> None:
    co = company()
    co.add_customer("Ada")
    for ref, day in (("3", 20), ("1", 5), ("2", 12)):  # entered out of date order
        co.add_invoice("Ada", [("Consulting", 1, "10")], ref_number=ref,
                       txn_date=date(2025, 12, day))
    window = ("<InvoiceQueryRq><MaxReturned>2</MaxReturned><TxnDateRangeFilter>"
              "<FromTxnDate>2025-12-01</FromTxnDate></TxnDateRangeFilter></InvoiceQueryRq>")
    (rs,) = answers(co.process(msg(window)))
    assert [ret.findtext("RefNumber") for ret in rs.findall("InvoiceRet")] == ["1", "2"]
