"""Hostile or broken SOAP gets a SOAP fault, never a traceback, and changes nothing."""

from __future__ import annotations

import http.client
from typing import Any

import attrs
import pytest
from flask import Flask
from sqlalchemy import func, select

from qbwc_server.app import Services, create_app
from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.serving import BackgroundServer
from qbwc_server.store.database import Database
from qbwc_server.store.models import LoginThrottle, QueuedRequest, WebConnectorSession
from tests.soap_client import envelope, fault_string, headers

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<authenticate xmlns="http://developer.intuit.com/"><strUserName>&lol3;</strUserName>
<strPassword>x</strPassword></authenticate></soap:Body></soap:Envelope>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<clientVersion xmlns="http://developer.intuit.com/"><strVersion>&secret;</strVersion>
</clientVersion></soap:Body></soap:Envelope>"""
UTF16_DTD = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
             '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
             '<soap:Body><serverVersion xmlns="http://developer.intuit.com/"/></soap:Body>'
             "</soap:Envelope>").encode("utf-16")


def _counts(db: Database) -> tuple[int, int, int]:
    with db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(WebConnectorSession)) or 0,
            session.scalar(select(func.count()).select_from(QueuedRequest)) or 0,
            session.scalar(select(func.count()).select_from(LoginThrottle)) or 0,
        )


@pytest.mark.parametrize(
    ("body", "fault_text"),
    [
        # not XML at all
        (b"this is not xml", "not well-formed"),
        # truncated envelope
        (envelope("authenticate", strUserName="a", strPassword="b")[:-20], "not well-formed"),
        # XML, but not a SOAP envelope
        (b"<authenticate xmlns='http://developer.intuit.com/'/>", "not a SOAP 1.1 envelope"),
        # a method the Web Connector does not have
        (envelope("dropAllTables"), "Unknown method 'dropAllTables'"),
        # the right method name in the wrong namespace
        (envelope("authenticate").replace(b"developer.intuit.com", b"example.com"),
         "Unknown method"),
        # an empty body
        (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
         b"<soap:Body/></soap:Envelope>", "exactly one method"),
        # entity expansion bomb
        (BILLION_LAUGHS, "DTDs and entity declarations are not accepted"),
        # external entity reading a local file
        (XXE, "DTDs and entity declarations are not accepted"),
    ],
)
def test_bad_envelopes_get_a_soap_fault_and_change_nothing(
    client: Any, db: Database, body: bytes, fault_text: str
) -> None:
    before = _counts(db)
    response = client.post("/qbwc", data=body, headers=headers("authenticate"))
    assert response.status_code == 500  # SOAP 1.1 sends faults with 500 (WS-I BP R1126)
    assert fault_text in fault_string(response.data)
    assert b"Traceback" not in response.data
    assert b"File \"" not in response.data
    assert _counts(db) == before


def test_a_dtd_hidden_behind_another_encoding_is_refused(client: Any, db: Database) -> None:
    before = _counts(db)
    response = client.post("/qbwc", data=UTF16_DTD, headers={
        **headers("serverVersion"), "Content-Type": "text/xml; charset=utf-16"})
    assert response.status_code == 500
    assert "DTDs and entity declarations are not accepted" in fault_string(response.data)
    assert _counts(db) == before


def test_body_over_the_limit_is_refused_with_413(
    settings: Settings, clock: FakeClock, db: Database
) -> None:
    small: Flask = create_app(
        attrs.evolve(settings, max_body_bytes=2048), clock=clock, db=db
    )
    client = small.test_client()
    big = envelope("receiveResponseXML", ticket="t", response="x" * 4096, hresult="", message="")
    response = client.post("/qbwc", data=big, headers=headers("receiveResponseXML"))
    assert response.status_code == 413
    assert "larger than the configured limit of 2048 bytes" in fault_string(response.data)


def test_chunked_body_over_the_limit_is_refused_by_the_real_server(
    settings: Settings, clock: FakeClock, db: Database
) -> None:
    small = create_app(attrs.evolve(settings, max_body_bytes=2048), clock=clock, db=db)
    with BackgroundServer(small, threads=1) as server:
        big = envelope("receiveResponseXML", ticket="t", response="x" * 4096)
        conn = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]),
                                          timeout=10)
        # No Content-Length: the body arrives in chunks.
        conn.request("POST", "/qbwc", body=iter([big[:1000], big[1000:]]),
                     headers=headers("receiveResponseXML"), encode_chunked=True)
        assert conn.getresponse().status == 413
        conn.close()


def test_self_closing_elements_read_as_empty_values(client: Any, services: Services) -> None:
    # Real QBWC sends <strHCPResponse /> and <hresult /> (protocol pitfall P4).
    body = (b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
            b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            b'<clientVersion xmlns="http://developer.intuit.com/"><strVersion /></clientVersion>'
            b"</soap:Body></soap:Envelope>")
    response = client.post("/qbwc", data=body, headers=headers("clientVersion"))
    assert response.status_code == 200
    assert b"clientVersionResult" in response.data


def test_odd_version_numbers_do_not_break_send_request_xml(client: Any) -> None:
    body = envelope("sendRequestXML", ticket="x" * 32, strHCPResponse="",
                    strCompanyFileName="", qbXMLCountry="US", qbXMLMajorVers="thirteen",
                    qbXMLMinorVers="")
    response = client.post("/qbwc", data=body, headers=headers("sendRequestXML"))
    assert response.status_code == 200
