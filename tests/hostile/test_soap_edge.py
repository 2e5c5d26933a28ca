"""Hostile SOAP at the edge, over real HTTP: each request gets a clean answer (a SOAP client
fault, the documented 413 fault, or the Web Connector's usual answer), costs a bounded amount
of parsing, logs no traceback and nothing of the body, and leaves the store as it was."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import pytest

from qbwc_server.serving import FRAMING_ROOM
from qbwc_server.soap_guard import UNVERIFIED_BYTES
from tests.hostile.conftest import LIMIT, Served
from tests.soap_client import NS, SOAP_ENV, envelope, fault_string, headers, result_element

SECRET = "hunter2-Secret-Password"


def _call(method: str, inner: str, *, envelope_attrs: str = "", prolog: str = "") -> bytes:
    """An envelope written by hand, for shapes the builder in tests.soap_client refuses."""
    return (f'{prolog}<soap:Envelope xmlns:soap="{SOAP_ENV}"{envelope_attrs}><soap:Body>'
            f'<{method} xmlns="{NS}">{inner}</{method}></soap:Body></soap:Envelope>').encode()


def _attributes(count: int) -> str:
    return " " + " ".join(f'a{i}="x"' for i in range(count))


def _utf16(body: bytes) -> bytes:
    text = body.decode().replace("encoding='utf-8'", "encoding='utf-16'")
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


TOO_LARGE = f"The request is larger than the configured limit of {LIMIT} bytes"
TOO_LONG = f"may not be longer than {UNVERIFIED_BYTES} bytes"

# (body, Content-Type charset or None for the header as QBWC sends it, expected fault text)
FAULTS = {
    # 100,000 attributes on one parameter (1.1 MB): once 13-66 s of CPU in spyne
    "attributes-bomb-on-a-parameter": (
        _call("clientVersion", f"<strVersion{_attributes(100_000)}>2.1</strVersion>"),
        None, f"The clientVersion call {TOO_LONG}"),
    # the same on the envelope, before any method is named
    "attributes-bomb-on-the-envelope": (
        _call("serverVersion", "", envelope_attrs=_attributes(100_000)),
        None, f"names no method in its first {UNVERIFIED_BYTES} bytes"),
    # a few too many attributes, well inside the size budget
    "too-many-attributes": (
        _call("clientVersion", f"<strVersion{_attributes(5)}>2.1</strVersion>"),
        None, "The element <'strVersion'> has too many attributes"),
    # namespace declarations are not attributes to lxml, so they are counted apart
    "namespace-declarations": (
        _call("serverVersion", "", envelope_attrs="".join(
            f' xmlns:p{i}="urn:p{i}"' for i in range(40))),
        None, "too many XML namespaces"),
    # nesting inside a parameter
    "deep-nesting": (
        _call("clientVersion", "<strVersion>" + "<a>" * 5000 + "</a>" * 5000 + "</strVersion>"),
        None, "nested too deeply"),
    # many Header entries
    "many-elements": (
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Header>{"<h/>" * 100}</soap:Header>'
        f'<soap:Body><serverVersion xmlns="{NS}"/></soap:Body></soap:Envelope>'.encode(),
        None, "too many elements"),
    # a megabyte of text in a method that carries a few words
    "huge-text-in-a-small-method": (
        envelope("authenticate", strUserName="x" * 1_000_000, strPassword=SECRET),
        None, f"The authenticate call {TOO_LONG}"),
    # QuickBooks' answer before the ticket: no live ticket, so no room
    "large-answer-without-a-ticket-first": (
        _call("receiveResponseXML", f"<response>{'x' * 100_000}</response><ticket>t</ticket>"),
        None, "must start with the ticket of an open session"),
    # a parameter the method does not have, and one sent twice
    "unknown-parameter": (
        _call("clientVersion", "<strPassword>x</strPassword>"),
        None, "clientVersion has no parameter 'strPassword'"),
    "parameter-twice": (
        _call("clientVersion", "<strVersion>1</strVersion><strVersion>2</strVersion>"),
        None, "The parameter strVersion is sent twice"),
    # a type spyne would refuse with a traceback in the log
    "wrong-xsi-type": (
        _call("clientVersion", '<strVersion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                               ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
                               ' xsi:type="xsd:dateTime">2.1</strVersion>'),
        None, "sent as xsi:type 'xsd:dateTime'"),
    # the body says UTF-8, the header UTF-16: spyne logged the decoded body, password included
    "charset-mismatch": (
        envelope("authenticate", strUserName="admin", strPassword=SECRET),
        "utf-16", "says charset='utf-16' but the body is UTF-8"),
    # the other way round
    "utf16-body-said-to-be-utf8": (
        _utf16(envelope("authenticate", strUserName="admin", strPassword=SECRET)),
        "utf-8", "says charset='utf-8' but the body is UTF-16"),
    "unknown-charset": (
        envelope("serverVersion"), "x-klingon", "The charset 'x-klingon' is not accepted"),
    "declared-latin-1": (
        envelope("serverVersion").replace(b"encoding='utf-8'", b"encoding='ISO-8859-1'"),
        None, "The XML declaration's encoding 'ISO-8859-1' is not accepted"),
    "utf16-without-a-bom": (
        envelope("serverVersion").decode().encode("utf-16-le"),
        "utf-16", "A UTF-16 body needs a byte-order mark"),
    # an entity bomb
    "dtd": (
        _call("clientVersion", "<strVersion>&a;</strVersion>",
              prolog='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'),
        None, "DTDs and entity declarations are not accepted"),
}


@pytest.fixture
def quiet_store(unchanged_store: None, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every case: the store unchanged, no traceback and no secret in the log."""
    yield
    assert SECRET not in caplog.text


def _headers(method: str, charset: str | None) -> dict[str, str]:
    found = headers(method)
    if charset is not None:
        found["Content-Type"] = f"text/xml; charset={charset}"
    return found


@pytest.mark.usefixtures("quiet_store")
@pytest.mark.parametrize("case", list(FAULTS))
def test_hostile_calls_get_a_client_fault(served: Served, caplog: pytest.LogCaptureFixture,
                                          case: str) -> None:
    body, charset, text = FAULTS[case]
    status, answer = served.post(body, _headers("authenticate", charset))
    assert status == 500  # SOAP 1.1 sends faults with 500 (WS-I BP R1126)
    assert text in fault_string(answer)
    assert b"Client" in answer
    refusals = [r for r in caplog.records if r.getMessage().startswith("SOAP request refused")]
    assert len(refusals) == 1  # one line, and nothing of the body
    assert len(caplog.text) < 2000


@pytest.mark.usefixtures("quiet_store")
def test_a_large_answer_on_a_ticket_that_is_not_live_is_not_read(served: Served) -> None:
    # The ticket comes first, as from the Web Connector; the attack follows it.
    body = _call("receiveResponseXML",
                 f"<ticket>{'0' * 32}</ticket><response{_attributes(100_000)}>x</response>")
    status, answer = served.post(body, headers("receiveResponseXML"))
    assert status == 200
    assert result_element(answer, "receiveResponseXML").text == "-1"


@pytest.mark.usefixtures("quiet_store")
def test_real_utf16_with_a_bom_is_answered(served: Served) -> None:
    status, answer = served.post(_utf16(envelope("serverVersion")),
                                 _headers("serverVersion", "utf-16"))
    assert status == 200
    assert (result_element(answer, "serverVersion").text or "").startswith("qbwc-server")


@pytest.mark.usefixtures("quiet_store")
@pytest.mark.parametrize(
    "version",
    ["²", "9" * 5000, "٣.0", "１.0"],  # superscript, past int()'s digit limit, non-ASCII digits
)
def test_odd_digits_in_client_version_are_answered(served: Served, version: str) -> None:
    status, answer = served.post(envelope("clientVersion", strVersion=version),
                                 headers("clientVersion"))
    assert status == 200
    assert result_element(answer, "clientVersion").text in (None, "")


@pytest.mark.usefixtures("quiet_store")
@pytest.mark.parametrize("length", [LIMIT + 1, LIMIT * 4])
def test_a_content_length_over_the_limit_gets_the_413_fault_before_the_body(
        served: Served, length: int) -> None:
    # Refused from the headers alone: nothing of the body is read, the app never runs.
    status, answer = served.post_unfinished(
        {**headers("receiveResponseXML"), "Content-Length": str(length)}, b"")
    assert status == 413
    assert TOO_LARGE in fault_string(answer)


@pytest.mark.usefixtures("quiet_store")
def test_a_chunked_body_just_over_the_limit_gets_the_413_fault(served: Served) -> None:
    # No Content-Length: waitress de-chunks it, then the app refuses it by its length.
    head = envelope("receiveResponseXML", ticket="t", response="")
    body = head + b" " * (LIMIT + 1 - len(head))
    pieces = [body[i:i + 65536] for i in range(0, len(body), 65536)]
    status, answer = served.post(pieces, headers("receiveResponseXML"), chunked=True)
    assert status == 413
    assert TOO_LARGE in fault_string(answer)


@pytest.mark.usefixtures("quiet_store")
def test_a_chunked_body_far_over_the_limit_gets_the_413_fault(served: Served) -> None:
    # waitress stops reading once the raw body reaches its bound; we send exactly that much.
    waitress_bound = LIMIT + FRAMING_ROOM + 1
    frame = b"%x\r\n" % (LIMIT * 4)
    status, answer = served.post_unfinished(
        {**headers("receiveResponseXML"), "Transfer-Encoding": "chunked"},
        frame + b" " * (waitress_bound - len(frame)))
    assert status == 413
    assert TOO_LARGE in fault_string(answer)
