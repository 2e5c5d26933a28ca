"""The hardened pre-parse every SOAP request goes through before spyne sees anything.

The body is read a chunk at a time into a streaming parser (no DTD, no entities, no network)
that stops at the first thing a Web Connector never sends, so a hostile request costs at most
a few kilobytes of parsing:

- the charset: UTF-8, or UTF-16 with a byte-order mark, and the Content-Type must agree with
  the body (a mismatch once made spyne log whole bodies, passwords included);
- the shape: Envelope > Body > one known method > its own parameters, as text, each once;
  bounded depth, element, attribute and namespace-declaration counts; ``xsi:type`` only as
  text (spyne answers anything else with a traceback in the log);
- the size: every call fits in :data:`UNVERIFIED_BYTES` until it has named a live ticket.
  Only ``sendRequestXML`` and ``receiveResponseXML`` carry more (QuickBooks' answers, tens of
  MB for a large page); they name their ticket first, and a ticket that is not live ends the
  reading there: the service gives its usual wrong-ticket answer without the rest.

The result is a :class:`SoapCall`: the method and its parameters as text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

import attrs
from lxml import etree

from qbwc_server.operations import BY_NAME, NAMESPACE, SOAP_ENV, Operation

UNVERIFIED_BYTES = 16 * 1024
"""What any call may cost before it names a live ticket (a real one is under 1 KB)."""
HCP_BYTES = 4 * 1024 * 1024
"""sendRequestXML's limit once its ticket is live: QuickBooks' host, company and preferences."""
TICKETED = {"sendRequestXML": "ticket", "receiveResponseXML": "ticket"}
"""The calls that may grow past :data:`UNVERIFIED_BYTES`, and the parameter naming the ticket."""

CHUNK_BYTES = 8 * 1024
SLICE_BYTES = 512
MAX_DEPTH = 4  # Envelope > Body > method > parameter
MAX_ELEMENTS = 24  # the longest call has six parameters
MAX_ATTRIBUTES = 4
MAX_NAMESPACES = 16
MAX_SHOWN = 64  # characters of a client's name quoted back in a fault or a log line

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XSI_TYPE = f"{{{XSI}}}type"
_XSI_NIL = f"{{{XSI}}}nil"
_ENVELOPE, _HEADER, _BODY = (f"{{{SOAP_ENV}}}{name}" for name in ("Envelope", "Header", "Body"))

# Charset names as a client may spell them -> the encoding family we parse them as.
_CHARSETS = {"utf8": "UTF-8", "usascii": "UTF-8", "ascii": "UTF-8",
             "utf16": "UTF-16", "utf16le": "UTF-16", "utf16be": "UTF-16"}
_DECLARED = re.compile(rb"""\s*<\?xml\s[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


class SoapRejected(Exception):
    """A request refused before it reached the service; carries the SOAP fault to send."""

    def __init__(self, code: str, text: str, http_status: int = 500) -> None:
        super().__init__(text)
        self.code = code
        self.text = text
        self.http_status = http_status


def _client(text: str) -> SoapRejected:
    return SoapRejected("Client", text)


def too_large(limit: int) -> SoapRejected:
    """The fault for a body over ``QBWC_MAX_BODY_BYTES`` (HTTP 413)."""
    return SoapRejected("Client", f"The request is larger than the configured limit of "
                                  f"{limit} bytes", 413)


def fault_envelope(code: str, text: str) -> bytes:
    """A SOAP 1.1 fault with our own text and no internals."""
    env = etree.Element(_ENVELOPE, nsmap={"soap": SOAP_ENV})
    fault = etree.SubElement(etree.SubElement(env, _BODY), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap:{code}"
    etree.SubElement(fault, "faultstring").text = text
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def shown(name: str) -> str:
    """A client-chosen name, quoted and cut short, safe to put in a fault or a log line."""
    return repr(name if len(name) <= MAX_SHOWN else name[:MAX_SHOWN] + "...")


@attrs.frozen
class SoapCall:
    """One Web Connector call as read from the wire.

    Attributes:
        method: the operation's name.
        params: parameter name -> text; a parameter sent as ``xsi:nil`` is None, one not sent
            is absent.
    """

    method: str
    params: dict[str, str | None]


def read_call(
    stream: BinaryIO,
    *,
    content_type: str | None,
    max_body_bytes: int,
    ticket_is_live: Callable[[str], bool],
) -> SoapCall:
    """Read and check one SOAP request body from ``stream``.

    Args:
        stream: the request body, read at most ``max_body_bytes + 1`` bytes far.
        content_type: the request's Content-Type header, if any.
        max_body_bytes: ``QBWC_MAX_BODY_BYTES``.
        ticket_is_live: whether a ticket belongs to an open session (asked once, before a
            call is allowed past :data:`UNVERIFIED_BYTES`).

    Raises:
        SoapRejected: anything a Web Connector would not send, with the fault to answer.
    """
    head = stream.read(CHUNK_BYTES)
    _check_charset(head, content_type)
    reader = _CallReader(ticket_is_live, max_body_bytes)
    chunk = head
    while chunk and not reader.finished:
        if reader.fed < UNVERIFIED_BYTES:
            # Until a call has proved itself, libxml2 gets a slice at a time, so a hostile
            # body (thousands of nested elements, say) costs one slice past its first
            # broken rule, not a whole chunk of tree building.
            for start in range(0, len(chunk), SLICE_BYTES):
                reader.feed(chunk[start:start + SLICE_BYTES])
                if reader.finished:
                    break
        else:
            reader.feed(chunk)
        chunk = stream.read(CHUNK_BYTES)
    if not reader.finished:
        reader.close()
    return reader.call()


def _check_charset(head: bytes, content_type: str | None) -> None:
    """Refuse an encoding we do not parse, or a Content-Type that contradicts the body."""
    body = _body_encoding(head)
    said = _content_type_charset(content_type or "")
    if said is None:
        return
    family = _CHARSETS.get(re.sub(r"[-_\s]", "", said.lower()))
    if family is None:
        raise _client(f"The charset {shown(said)} is not accepted: send UTF-8 (or UTF-16 "
                      "with a byte-order mark), as the Web Connector does")
    if family != body:
        raise _client(f"The Content-Type says charset={shown(said)} but the body is {body}")


def _body_encoding(head: bytes) -> str:
    """The body's encoding family, from its byte-order mark or XML declaration."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or head[:4] in (
        b"\x00\x00\x00<", b"<\x00\x00\x00"
    ):
        raise _client("UTF-32 is not accepted: send UTF-8 (or UTF-16 with a byte-order mark)")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        family, text = "UTF-16", head[:400].decode("utf-16", "replace").encode("ascii", "replace")
    elif head[:2] in (b"<\x00", b"\x00<"):
        raise _client("A UTF-16 body needs a byte-order mark")
    else:
        family, text = "UTF-8", head.removeprefix(codecs.BOM_UTF8)
    match = _DECLARED.match(text)
    if match is None:
        return family
    declared = match.group(1).decode("ascii")
    if _CHARSETS.get(re.sub(r"[-_]", "", declared.lower())) != family:
        raise _client(f"The XML declaration's encoding {shown(declared)} is not accepted "
                      f"for this {family} body: send UTF-8, as the Web Connector does")
    return family


def _content_type_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return None


class _CallReader:
    """Feeds a pull parser and checks each event as it comes; stops at the first violation."""

    def __init__(self, ticket_is_live: Callable[[str], bool], max_body_bytes: int) -> None:
        self._parser = etree.XMLPullParser(
            events=("start", "end", "start-ns", "comment", "pi"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            # Depth and sizes are bounded here; a QuickBooks answer's text can pass 10 MB.
            huge_tree=True,
        )
        self._ticket_is_live = ticket_is_live
        self._max_body_bytes = max_body_bytes
        self._budget = UNVERIFIED_BYTES
        self._fed = 0
        self._depth = 0
        self._elements = 0
        self._namespaces = 0
        # lxml hands out the same proxy for a node while one is held, so `is` finds them again.
        self._envelope: etree._Element | None = None
        self._body: etree._Element | None = None
        self._method: etree._Element | None = None
        self._operation: Operation | None = None
        self._params: dict[str, str | None] = {}
        self.finished = False

    @property
    def fed(self) -> int:
        return self._fed

    def feed(self, chunk: bytes) -> None:
        with _not_well_formed():
            self._feed(chunk)

    def _feed(self, chunk: bytes) -> None:
        self._fed += len(chunk)
        if self._fed > self._max_body_bytes:
            raise too_large(self._max_body_bytes)
        if self._fed > self._budget:
            raise self._over_budget()
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError:
            self._read_events()  # what came before the error may break a rule of ours first
            raise
        self._read_events()

    def close(self) -> None:
        with _not_well_formed():
            self._parser.close()
        self._read_events()

    def call(self) -> SoapCall:
        if self._operation is None:
            raise _client("The SOAP body must hold exactly one method call")
        return SoapCall(self._operation.name, self._params)

    def _over_budget(self) -> SoapRejected:
        if self._operation is None:
            return _client(f"The SOAP envelope names no method in its first "
                           f"{UNVERIFIED_BYTES} bytes")
        name = self._operation.name
        if name in TICKETED:
            return _client(f"A {name} call longer than {self._budget} bytes must start with "
                           "the ticket of an open session")
        return _client(f"The {name} call may not be longer than {self._budget} bytes")

    def _read_events(self) -> None:
        with _not_well_formed():
            for event, item in self._parser.read_events():
                if self.finished:
                    return
                if event == "start":
                    self._start(item)  # type: ignore[arg-type]
                elif event == "end":
                    self._end(item)  # type: ignore[arg-type]
                elif event == "start-ns":
                    self._namespaces += 1
                    if self._namespaces > MAX_NAMESPACES:
                        raise _client("The request declares too many XML namespaces")
                else:  # a comment or processing instruction: counted like an element
                    self._count()

    def _count(self) -> None:
        self._elements += 1
        if self._elements > MAX_ELEMENTS:
            raise _client("The request has too many elements for a Web Connector call")

    def _start(self, element: etree._Element) -> None:
        self._depth += 1
        self._count()
        if self._depth > MAX_DEPTH:
            raise _client("The request is nested too deeply for a Web Connector call")
        if len(element.attrib) > MAX_ATTRIBUTES:
            raise _client(f"The element <{shown(etree.QName(element).localname)}> has too "
                          "many attributes")
        parent = element.getparent()
        if parent is None:
            self._root(element)
        elif parent is self._envelope:
            self._envelope_child(element)
        elif parent is self._body:
            self._method_start(element)
        elif parent is self._method:
            assert self._operation is not None  # set with the method element
            self._parameter_start(element, self._operation)
        # else: inside a Header entry, which we read past

    def _root(self, element: etree._Element) -> None:
        # A DOCTYPE comes before the root, so it is known when the root starts.
        if element.getroottree().docinfo.doctype:  # type: ignore[attr-defined]
            raise _client("DTDs and entity declarations are not accepted")
        if element.tag != _ENVELOPE:
            raise _client("The request is not a SOAP 1.1 envelope")
        self._envelope = element

    def _envelope_child(self, element: etree._Element) -> None:
        if element.tag == _BODY and self._body is None:
            self._body = element
        elif element.tag != _HEADER:
            raise _client("The SOAP envelope may hold one Header and one Body only")

    def _method_start(self, element: etree._Element) -> None:
        if self._operation is not None:
            raise _client("The SOAP body must hold exactly one method call")
        qname = etree.QName(element)
        operation = BY_NAME.get(qname.localname) if qname.namespace == NAMESPACE else None
        if operation is None:
            raise _client(f"Unknown method {shown(qname.localname)} in namespace "
                          f"{shown(qname.namespace or '')}")
        self._method, self._operation = element, operation

    def _parameter_start(self, element: etree._Element, operation: Operation) -> None:
        qname = etree.QName(element)
        types = dict(operation.params)
        name = qname.localname
        if qname.namespace not in (NAMESPACE, None) or name not in types:
            raise _client(f"{operation.name} has no parameter {shown(name)}")
        if name in self._params:
            raise _client(f"The parameter {name} is sent twice")
        sent_as = element.get(_XSI_TYPE)
        if sent_as is not None and sent_as.rpartition(":")[2] not in ("string", types[name]):
            raise _client(f"The parameter {name} is sent as xsi:type {shown(sent_as)}; "
                          f"the Web Connector sends it as text (xsd:{types[name]})")
        self._params[name] = ""  # taken: a second one is refused while this one is read

    def _end(self, element: etree._Element) -> None:
        self._depth -= 1
        if element is self._body and self._operation is None:
            raise _client("The SOAP body must hold exactly one method call")
        method = self._method
        if method is None or element.getparent() is not method:
            return
        name = etree.QName(element).localname
        nil = element.get(_XSI_NIL) in ("true", "1")
        self._params[name] = None if nil else (element.text or "")
        # Out of the tree: the only copy of a large answer is now the one in params.
        method.remove(element)
        assert self._operation is not None  # set with the method element
        if TICKETED.get(self._operation.name) == name:
            self._verify(self._operation.name, self._params[name] or "")

    def _verify(self, method: str, ticket: str) -> None:
        if not self._ticket_is_live(ticket):
            self.finished = True  # the wrong-ticket answer needs nothing more
            return
        self._budget = (self._max_body_bytes if method == "receiveResponseXML"
                        else min(HCP_BYTES, self._max_body_bytes))


@contextmanager
def _not_well_formed() -> Iterator[None]:
    """Turn lxml's syntax errors into the client fault, with libxml2's message cut short."""
    try:
        yield
    except etree.XMLSyntaxError as exc:
        raise _client(f"The request is not well-formed XML: {(exc.msg or '')[:200]}") from exc
