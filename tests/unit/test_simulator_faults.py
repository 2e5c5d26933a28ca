"""Fault names and parameters, and the generic lock answer."""

from __future__ import annotations

import pytest
from lxml import etree

from qbwc_server.simulator.faults import FAULTS, Fault, FaultName, locked_response
from qbwc_server.simulator.interface import QuickBooksError


def test_every_name_is_registered_with_a_summary() -> None:
    assert set(FAULTS) == set(FaultName)
    assert all(kind.summary for kind in FAULTS.values())


@pytest.mark.parametrize(("text", "name", "params"), [
    ("drop-answer", FaultName.DROP_ANSWER, {}),
    ("drop-answer:method=sendRequestXML, nth=2", FaultName.DROP_ANSWER,
     {"method": "sendRequestXML", "nth": "2"}),
    ("locked:code=3170", FaultName.LOCKED, {"code": "3170"}),
    ("hresult:message=a b c", FaultName.HRESULT, {"message": "a b c"}),
])
def test_faults_parse(text: str, name: FaultName, params: dict[str, str]) -> None:
    fault = Fault.parse(text)
    assert fault.name is name
    assert dict(fault.params) == params


@pytest.mark.parametrize(("text", "message"), [
    ("explode", "unknown fault 'explode'"),
    ("drop-answer:when=later", "has no parameter"),
    ("drop-answer:nth", "not key=value"),
    ("locked:code=lots", "whole number"),
    ("slow-quickbooks:seconds=soon", "number of seconds"),
])
def test_bad_faults_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault.parse(text)


def test_locked_answers_each_request_with_its_own_rs_and_request_id() -> None:
    request = (
        '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
        '<QBXMLMsgsRq onError="continueOnError">'
        '<CustomerAddRq requestID="1"><CustomerAdd><Name>A</Name></CustomerAdd></CustomerAddRq>'
        '<InvoiceModRq requestID="x&amp;2"><InvoiceMod/></InvoiceModRq>'
        "<CompanyQueryRq/>"
        "</QBXMLMsgsRq></QBXML>"
    )
    root = etree.fromstring(locked_response(request, 3176).encode())
    answers = [(rs.tag, rs.get("requestID"), rs.get("statusCode"), rs.get("statusSeverity"))
               for rs in root.iterfind("QBXMLMsgsRs/*")]
    assert answers == [
        ("CustomerAddRs", "1", "3176", "Error"),
        ("InvoiceModRs", "x&2", "3176", "Error"),
        ("CompanyQueryRs", None, "3176", "Error"),
    ]
    first = root.find("QBXMLMsgsRs/CustomerAddRs")
    assert first is not None
    assert "Customer" in (first.get("statusMessage") or "")
    assert len(first) == 0  # no Ret


def test_locked_on_garbage_is_a_parse_hresult() -> None:
    with pytest.raises(QuickBooksError) as caught:
        locked_response("<QBXML><unclosed>", 3175)
    assert caught.value.hresult == "0x80040400"


@pytest.mark.parametrize(("text", "message"), [
    ("locked:code=3180", "3170"),  # 3180 is "in use", not a lock
    ("out-of-order:variant=sideways", "receive-first"),
])
def test_bad_values_are_refused_when_parsed(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault.parse(text)
