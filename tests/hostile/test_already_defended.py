"""Attacks the edge already stopped before this corpus existed, kept here so they stay stopped:
external entities and DTD tricks in every shape, and tickets that were forged, guessed, empty
or absurd (a ticket dead after closeConnection and connectionError is proved in
``tests/integration/test_webconnector_tickets.py``). Each case: the documented answer, no
traceback in the log, and the store as it was. (CSRF and tenancy are proved route by route,
from the route tables, in ``tests/integration/test_csrf_guard.py`` and
``tests/api/test_key_scope.py``.)"""

from __future__ import annotations

import pytest

from qbwc_server.webconnector import INVALID_TICKET_TEXT
from tests.hostile.conftest import Served
from tests.soap_client import NS, SOAP_ENV, envelope, fault_string, headers, result_element


def _with_prolog(prolog: str, method: str = "serverVersion", inner: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<soap:Envelope '
            f'xmlns:soap="{SOAP_ENV}"><soap:Body><{method} xmlns="{NS}">{inner}</{method}>'
            "</soap:Body></soap:Envelope>").encode()


XXE = {
    # the classic: an external entity naming a local file, used in a parameter
    "external-entity-file": _with_prolog(
        '<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "clientVersion",
        "<strVersion>&x;</strVersion>"),
    # an external entity fetched over the network (the edge must not even try)
    "external-entity-http": _with_prolog(
        '<!DOCTYPE e [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>', "clientVersion",
        "<strVersion>&x;</strVersion>"),
    # a parameter entity pulling an external DTD
    "parameter-entity": _with_prolog(
        '<!DOCTYPE e [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>'),
    # an external DTD by PUBLIC identifier
    "external-dtd": _with_prolog(
        '<!DOCTYPE e PUBLIC "-//X//Y" "http://127.0.0.1:9/x.dtd">'),
    # an empty internal subset is still a DTD
    "empty-internal-subset": _with_prolog("<!DOCTYPE e []>"),
    # XInclude inside a parameter
    "xinclude": _with_prolog(
        "", "clientVersion",
        '<strVersion><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        'href="file:///etc/passwd" parse="text"/></strVersion>'),
}


@pytest.mark.usefixtures("unchanged_store")
@pytest.mark.parametrize("case", list(XXE))
def test_entities_dtds_and_includes_are_refused(served: Served, case: str,
                                               caplog: pytest.LogCaptureFixture) -> None:
    status, answer = served.post(XXE[case], headers("clientVersion"))
    assert "root:" not in caplog.text  # nothing of /etc/passwd reached a log line
    assert status == 500  # a SOAP 1.1 fault
    assert b"Client" in answer
    text = fault_string(answer)
    assert "root:" not in text
    assert "/etc" not in text
    if case != "xinclude":
        assert "DTD" in text or "entit" in text, text


TICKETS = {
    "forged": "f" * 32,
    "empty": "",
    "guessable": "1",
    "overlong": "a" * 5000,
    "not-hex": "<script>",
}

# method -> (its other parameters, what a dead ticket gets)
TICKETED = {
    "sendRequestXML": ({"strHCPResponse": "", "strCompanyFileName": "", "qbXMLCountry": "US",
                        "qbXMLMajorVers": "13", "qbXMLMinorVers": "0"}, ""),
    "receiveResponseXML": ({"response": "<QBXML/>", "hresult": "", "message": ""}, "-1"),
    "getLastError": ({}, INVALID_TICKET_TEXT),
    "connectionError": ({"hresult": "0x80040408", "message": "x"}, "done"),
    "closeConnection": ({}, "OK"),
}


@pytest.mark.usefixtures("unchanged_store")
@pytest.mark.parametrize("method", list(TICKETED))
@pytest.mark.parametrize("ticket", list(TICKETS))
def test_a_dead_ticket_opens_nothing(served: Served, method: str, ticket: str) -> None:
    params, expected = TICKETED[method]
    status, answer = served.post(envelope(method, ticket=TICKETS[ticket], **params),
                                 headers(method))
    assert status == 200, answer
    assert (result_element(answer, method).text or "") == expected
