"""SOAP 1.1 envelopes written the way QBWC writes them, and answers read with a hardened parser.

The request shape follows the real QBWC 2.0 capture (protocol §1, LOG08): an XML
declaration, ``soap``/``xsi``/``xsd`` prefixes on the envelope, the method element
in the default namespace ``http://developer.intuit.com/``, parameters in WSDL order
and empty strings as self-closing elements (``<strHCPResponse />``).

This module deliberately keeps its own copy of the operation table instead of
importing the server's: the simulator talks to any QBWC server, ours included,
only through SOAP.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from lxml import etree

from qbwc_server.simulator.errors import MalformedAnswer, SoapFault

NAMESPACE = "http://developer.intuit.com/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
CLIENT_USER_AGENT = (
    "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 2.0.50727.1433)"
)

Value = str | int
Answer = str | int | list[str]

# method -> (parameter names in WSDL order, result type); QBWebConnectorSvc.wsdl, protocol §3.
OPERATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "serverVersion": ((), "string"),
    "clientVersion": (("strVersion",), "string"),
    "authenticate": (("strUserName", "strPassword"), "ArrayOfString"),
    "sendRequestXML": (
        (
            "ticket",
            "strHCPResponse",
            "strCompanyFileName",
            "qbXMLCountry",
            "qbXMLMajorVers",
            "qbXMLMinorVers",
        ),
        "string",
    ),
    "receiveResponseXML": (("ticket", "response", "hresult", "message"), "int"),
    "connectionError": (("ticket", "hresult", "message"), "string"),
    "getLastError": (("ticket",), "string"),
    "closeConnection": (("ticket",), "string"),
}

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=True,  # safe: any DOCTYPE is refused before parsing
)
_DECLARATION = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<soap:Envelope xmlns:soap="{SOAP_ENV}" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
)


def build_request(method: str, params: Mapping[str, Value]) -> bytes:
    """The request envelope for ``method``; parameters missing from ``params`` are left out.

    Raises:
        KeyError: for a method or parameter the Web Connector does not have.
    """
    names, _ = OPERATIONS[method]
    unknown = set(params) - set(names)
    if unknown:
        raise KeyError(f"{method} has no parameter(s) {sorted(unknown)}")
    parts = [_DECLARATION]
    children = [_element(name, params[name]) for name in names if name in params]
    if children:
        parts.append(f'<{method} xmlns="{NAMESPACE}">{"".join(children)}</{method}>')
    else:
        parts.append(f'<{method} xmlns="{NAMESPACE}" />')
    parts.append("</soap:Body></soap:Envelope>")
    return "".join(parts).encode("utf-8")


def _element(name: str, value: Value) -> str:
    text = escape(str(value), {'"': "&quot;", "\r": "&#13;"})
    return f"<{name}>{text}</{name}>" if text else f"<{name} />"


def request_headers(method: str, body: bytes) -> dict[str, str]:
    """The HTTP headers QBWC sends (the SOAPAction is quoted)."""
    return {
        "User-Agent": CLIENT_USER_AGENT,
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"{NAMESPACE}{method}"',
        "Content-Length": str(len(body)),
    }


def parse_answer(method: str, body: bytes) -> Answer:
    """Read the result of ``method`` from a response envelope.

    Returns:
        ``str`` for string results, ``int`` for receiveResponseXML and ``list[str]``
        for authenticate.

    Raises:
        SoapFault: the envelope carries a SOAP fault.
        MalformedAnswer: anything else that is not the expected result.
    """
    root = _parse(body)
    body_el = root.find(f"{{{SOAP_ENV}}}Body")
    if root.tag != f"{{{SOAP_ENV}}}Envelope" or body_el is None:
        raise MalformedAnswer(f"{method}: the answer is not a SOAP 1.1 envelope")
    fault = body_el.find(f"{{{SOAP_ENV}}}Fault")
    if fault is not None:
        raise SoapFault(fault.findtext("faultcode") or "", fault.findtext("faultstring") or "")
    result = body_el.find(f"{{{NAMESPACE}}}{method}Response/{{{NAMESPACE}}}{method}Result")
    _, kind = OPERATIONS[method]
    if result is None:
        if kind == "string":
            # An absent (nil) string result reads as "" (WSDL: minOccurs=0).
            if body_el.find(f"{{{NAMESPACE}}}{method}Response") is not None:
                return ""
        raise MalformedAnswer(f"{method}: no {method}Result in the answer")
    if kind == "ArrayOfString":
        return [item.text or "" for item in result.findall(f"{{{NAMESPACE}}}string")]
    text = result.text or ""
    if kind == "int":
        try:
            return int(text.strip())
        except ValueError as exc:
            raise MalformedAnswer(f"{method}: result {text!r} is not an integer") from exc
    return text


def _parse(body: bytes) -> etree._Element:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise MalformedAnswer("the answer declares a DTD or entities; refused")
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedAnswer(f"the answer is not well-formed XML: {exc.msg}") from exc
