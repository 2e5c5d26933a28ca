"""Envelopes byte-for-byte like QBWC's; answers read strictly and safely."""

from __future__ import annotations

import pytest

from qbwc_server.simulator.envelope import build_request, parse_answer, request_headers
from qbwc_server.simulator.errors import MalformedAnswer, SoapFault
from tests.paths import CAPTURE

TICKET = "ea0bf596246b623664adb465cc8662a2"


@pytest.mark.parametrize(
    ("capture", "method", "params"),
    [
        ("01-serverVersion", "serverVersion", {}),  # no children: self-closing method element
        ("02-clientVersion", "clientVersion", {"strVersion": "2.0.0.116"}),
        ("03-authenticate", "authenticate", {"strUserName": "api", "strPassword": "password"}),
        # empty strHCPResponse is written <strHCPResponse />, as QBWC does
        ("06-sendRequestXML", "sendRequestXML", {
            "ticket": TICKET, "strHCPResponse": "",
            "strCompanyFileName": r"C:\KPALMER\QBW\Test Company.QBW", "qbXMLCountry": "US",
            "qbXMLMajorVers": 5, "qbXMLMinorVers": 0,
        }),
        ("07-getLastError", "getLastError", {"ticket": TICKET}),
        ("08-closeConnection", "closeConnection", {"ticket": TICKET}),
    ],
)
def test_requests_match_the_real_capture_byte_for_byte(
    capture: str, method: str, params: dict[str, str | int]
) -> None:
    expected = (CAPTURE / f"{capture}-request.xml").read_bytes().strip()
    assert build_request(method, params) == expected


def test_parameters_follow_wsdl_order_whatever_order_they_are_given_in() -> None:
    body = build_request("receiveResponseXML", {
        "message": "m", "hresult": "0x80040400", "response": "", "ticket": "t",
    })
    assert b"<ticket>t</ticket><response /><hresult>0x80040400</hresult><message>m</message>" \
        in body


def test_qbxml_travels_escaped_and_carriage_returns_survive() -> None:
    body = build_request("receiveResponseXML", {
        "ticket": "t", "response": '<QBXML a="1">&\r\n</QBXML>', "hresult": "", "message": "",
    })
    assert b"&lt;QBXML a=&quot;1&quot;&gt;&amp;&#13;\n&lt;/QBXML&gt;" in body


def test_unknown_parameters_are_refused() -> None:
    with pytest.raises(KeyError, match="strVersion"):
        build_request("serverVersion", {"strVersion": "1"})


def test_headers_carry_a_quoted_soap_action() -> None:
    headers = request_headers("authenticate", b"12345")
    assert headers["SOAPAction"] == '"http://developer.intuit.com/authenticate"'
    assert headers["Content-Type"] == "text/xml; charset=utf-8"
    assert headers["Content-Length"] == "5"


@pytest.mark.parametrize(
    ("capture", "method", "expected"),
    [
        ("01-serverVersion", "serverVersion",
         "PHP QuickBooks SOAP Server v1.5.0 at /~kpalmer/QuickBooks/server_api.php"),
        ("02-clientVersion", "clientVersion", ""),  # empty result element
        ("03-authenticate", "authenticate", [TICKET, ""]),  # the empty <string> is kept
        ("05-receiveResponseXML", "receiveResponseXML", 0),
        ("06-sendRequestXML", "sendRequestXML", ""),
        ("08-closeConnection", "closeConnection", "Complete!"),
    ],
)
def test_answers_from_the_real_capture_decode(capture: str, method: str, expected: object) -> None:
    body = (CAPTURE / f"{capture}-response.xml").read_bytes()
    assert parse_answer(method, body) == expected


def test_the_captured_request_xml_answer_is_unescaped() -> None:
    body = (CAPTURE / "04-sendRequestXML-response.xml").read_bytes()
    answer = parse_answer("sendRequestXML", body)
    assert isinstance(answer, str)
    assert '<CustomerAddRq requestID="Q3VzdG9tZXJBZGR8MTU=" >' in answer


_ENV = (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:i="http://developer.intuit.com/"><soap:Body>{}</soap:Body></soap:Envelope>'
)


def test_a_fault_is_raised_with_its_text() -> None:
    body = _ENV.format(
        "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>nope</faultstring>"
        "</soap:Fault>"
    ).encode()
    with pytest.raises(SoapFault, match="nope") as caught:
        parse_answer("authenticate", body)
    assert caught.value.code == "soap:Client"


@pytest.mark.parametrize(
    ("method", "body", "message"),
    [
        ("serverVersion", b"<html>502 Bad Gateway", "not well-formed"),
        ("serverVersion", b"<Envelope/>", "not a SOAP 1.1 envelope"),
        ("authenticate", _ENV.format("<i:other/>").encode(), "no authenticateResult"),
        ("receiveResponseXML", _ENV.format(
            "<i:receiveResponseXMLResponse><i:receiveResponseXMLResult>lots"
            "</i:receiveResponseXMLResult></i:receiveResponseXMLResponse>").encode(),
         "not an integer"),
        # an entity bomb is refused before parsing
        ("serverVersion", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "DTD"),
    ],
)
def test_malformed_answers_are_refused(method: str, body: bytes, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        parse_answer(method, body)


def test_a_missing_string_result_reads_as_empty() -> None:
    body = _ENV.format("<i:getLastErrorResponse/>").encode()
    assert parse_answer("getLastError", body) == ""
