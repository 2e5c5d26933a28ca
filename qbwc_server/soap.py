"""The SOAP edge: the only module that imports spyne.

Each request is first read by our own hardened check (size limit, no DTD or
entities, a SOAP 1.1 envelope whose body names a known Web Connector method)
and only then handed to spyne, which decodes the parameters, calls
:class:`~qbwc_server.webconnector.WebConnectorService` and encodes the answer
in the ``http://developer.intuit.com/`` namespace the Web Connector expects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

import spyne.const
from lxml import etree
from spyne import Application, Array, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from qbwc_server.operations import BY_NAME, NAMESPACE, SOAP_ENV
from qbwc_server.webconnector import WebConnectorService

log = logging.getLogger(__name__)

# spyne runs a full gc.collect() after a request whenever a second has passed since the last
# one (spyne/context.py); in a server holding many companies' sessions that is a stop of tens
# of milliseconds on most Web Connector calls. Python's own generational collector is enough.
spyne.const.MIN_GC_INTERVAL = 300.0

StartResponse = Callable[..., Any]


class SoapRejected(Exception):
    """A request refused before it reached the service; carries the SOAP fault to send."""

    def __init__(self, code: str, text: str, http_status: int = 500) -> None:
        super().__init__(text)
        self.code = code
        self.text = text
        self.http_status = http_status


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    # Safe because any DOCTYPE is refused below; real responses can exceed lxml's 10 MB text cap.
    huge_tree=True,
)


def check_envelope(body: bytes) -> str:
    """Return the method named by a well-formed, DTD-free SOAP 1.1 envelope.

    Raises:
        SoapRejected: for anything else.
    """
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise SoapRejected("Client", "DTDs and entity declarations are not accepted")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapRejected("Client", f"The request is not well-formed XML: {exc.msg}") from exc
    if root.getroottree().docinfo.doctype:
        raise SoapRejected("Client", "DTDs and entity declarations are not accepted")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapRejected("Client", "The request is not a SOAP 1.1 envelope")
    bodies = root.findall(f"{{{SOAP_ENV}}}Body")
    children = [child for child in bodies[0] if isinstance(child.tag, str)] if bodies else []
    if len(bodies) != 1 or len(children) != 1:
        raise SoapRejected("Client", "The SOAP body must hold exactly one method call")
    qname = etree.QName(children[0])
    if qname.namespace != NAMESPACE or qname.localname not in BY_NAME:
        raise SoapRejected(
            "Client", f"Unknown method {qname.localname!r} in namespace {qname.namespace!r}"
        )
    return qname.localname


def fault_envelope(code: str, text: str) -> bytes:
    """A SOAP 1.1 fault with our own text and no internals."""
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    fault = etree.SubElement(etree.SubElement(env, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap:{code}"
    etree.SubElement(fault, "faultstring").text = text
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def build_spyne_app(service: WebConnectorService) -> WsgiApplication:
    """A spyne WSGI app whose methods delegate to ``service``.

    The version numbers arrive as text and are read leniently: a missing or odd
    ``qbXMLMajorVers`` must not turn a whole session into a fault.
    """

    class QBWebConnectorSvc(ServiceBase):  # type: ignore[misc]
        @rpc(_returns=Unicode)  # type: ignore[misc]
        def serverVersion(ctx):  # noqa: N802, N805
            return service.server_version()

        @rpc(Unicode, _returns=Unicode)  # type: ignore[misc]
        def clientVersion(ctx, strVersion):  # noqa: N802, N803, N805
            return service.client_version(strVersion)

        @rpc(Unicode, Unicode, _returns=Array(Unicode))  # type: ignore[misc]
        def authenticate(ctx, strUserName, strPassword):  # noqa: N803, N805
            return service.authenticate(strUserName, strPassword)

        @rpc(Unicode, Unicode, Unicode, _returns=Unicode)  # type: ignore[misc]
        def connectionError(ctx, ticket, hresult, message):  # noqa: N802, N805
            return service.connection_error(ticket, hresult, message)

        @rpc(Unicode, Unicode, Unicode, Unicode, Unicode, Unicode,  # type: ignore[misc]
             _returns=Unicode)
        def sendRequestXML(  # noqa: N802
            ctx,  # noqa: N805
            ticket,
            strHCPResponse,  # noqa: N803
            strCompanyFileName,  # noqa: N803
            qbXMLCountry,  # noqa: N803
            qbXMLMajorVers,  # noqa: N803
            qbXMLMinorVers,  # noqa: N803
        ):
            return service.send_request_xml(
                ticket,
                strHCPResponse,
                strCompanyFileName,
                qbXMLCountry,
                _int_or_none(qbXMLMajorVers),
                _int_or_none(qbXMLMinorVers),
            )

        @rpc(Unicode, Unicode, Unicode, Unicode, _returns=Integer)  # type: ignore[misc]
        def receiveResponseXML(ctx, ticket, response, hresult, message):  # noqa: N802, N805
            return service.receive_response_xml(ticket, response, hresult, message)

        @rpc(Unicode, _returns=Unicode)  # type: ignore[misc]
        def getLastError(ctx, ticket):  # noqa: N802, N805
            return service.get_last_error(ticket)

        @rpc(Unicode, _returns=Unicode)  # type: ignore[misc]
        def closeConnection(ctx, ticket):  # noqa: N802, N805
            return service.close_connection(ticket)

        @rpc(Unicode, Unicode, _returns=Unicode)  # type: ignore[misc]
        def getInteractiveURL(ctx, wcTicket, sessionID):  # noqa: N802, N803, N805
            return service.get_interactive_url(wcTicket, sessionID)

        @rpc(Unicode, _returns=Unicode)  # type: ignore[misc]
        def interactiveDone(ctx, wcTicket):  # noqa: N802, N803, N805
            return service.interactive_done(wcTicket)

        @rpc(Unicode, Unicode, _returns=Unicode)  # type: ignore[misc]
        def interactiveRejected(ctx, wcTicket, reason):  # noqa: N802, N803, N805
            return service.interactive_rejected(wcTicket, reason)

    application = Application(
        [QBWebConnectorSvc],
        tns=NAMESPACE,
        name="QBWebConnectorSvc",
        in_protocol=Soap11(huge_tree=True),
        out_protocol=Soap11(),
    )
    return WsgiApplication(application)


def spyne_operations(app: WsgiApplication) -> dict[str, tuple[str, ...]]:
    """Method name -> parameter names, as spyne will decode them (for the contract test)."""
    found: dict[str, tuple[str, ...]] = {}
    for descriptor in app.app.interface.service_method_map.values():
        method = descriptor[0]
        fields = method.in_message._type_info
        found[method.name] = tuple(fields.keys())
    return found


class SoapEndpoint:
    """Runs one SOAP POST: check it, then let spyne dispatch it to the service."""

    def __init__(self, service: WebConnectorService, max_body_bytes: int) -> None:
        self._spyne = build_spyne_app(service)
        self._max_body_bytes = max_body_bytes

    @property
    def spyne_app(self) -> WsgiApplication:
        return self._spyne

    def handle(self, environ: dict[str, Any], body: bytes) -> tuple[int, list[tuple[str, str]],
                                                                     bytes]:
        """Return (status, headers, body) for a POSTed envelope already read into ``body``."""
        try:
            method = check_envelope(body)
        except SoapRejected as rejected:
            log.info("SOAP request refused: %s", rejected.text)
            return _fault(rejected)
        inner = dict(environ)
        inner["wsgi.input"] = BytesIO(body)
        inner["CONTENT_LENGTH"] = str(len(body))
        inner["REQUEST_METHOD"] = "POST"
        inner["PATH_INFO"] = "/"
        inner["QUERY_STRING"] = ""
        inner.setdefault("CONTENT_TYPE", "text/xml; charset=utf-8")
        if not inner["CONTENT_TYPE"]:
            inner["CONTENT_TYPE"] = "text/xml; charset=utf-8"
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers

        chunks: Iterable[bytes] = self._spyne(inner, start_response)
        payload = b"".join(chunks)
        log.debug("SOAP %s answered with HTTP %s", method, captured.get("status"))
        headers = [(k, v) for k, v in captured.get("headers", []) if k.lower() == "content-type"]
        return captured.get("status", 500), headers, payload

    def too_large(self) -> tuple[int, list[tuple[str, str]], bytes]:
        return _fault(SoapRejected(
            "Client",
            f"The request is larger than the configured limit of {self._max_body_bytes} bytes",
            413,
        ))

    @property
    def max_body_bytes(self) -> int:
        return self._max_body_bytes


def _fault(rejected: SoapRejected) -> tuple[int, list[tuple[str, str]], bytes]:
    return (
        rejected.http_status,
        [("Content-Type", "text/xml; charset=utf-8")],
        fault_envelope(rejected.code, rejected.text),
    )
