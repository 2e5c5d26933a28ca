"""The SOAP edge: the only module that imports spyne.

Each request is first read by our own hardened pre-parse (:mod:`qbwc_server.soap_guard`:
size, charset, shape, no DTD or entities), which yields the method and its parameters as text.
spyne then gets a clean UTF-8 envelope rebuilt from those, decodes it, calls
:class:`~qbwc_server.webconnector.WebConnectorService` and encodes the answer in the
``http://developer.intuit.com/`` namespace the Web Connector expects. QuickBooks' answer in
``receiveResponseXML`` (tens of MB for a large page) goes round spyne, in the WSGI environ, so
it is never copied through a second XML parse.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from io import BytesIO
from typing import Any, BinaryIO

import spyne.const
from lxml import etree
from spyne import Application, Array, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from qbwc_server.operations import NAMESPACE, SOAP_ENV
from qbwc_server.soap_guard import SoapRejected, fault_envelope, read_call, too_large
from qbwc_server.webconnector import WebConnectorService
from qbxml.numbers import whole_number

log = logging.getLogger(__name__)

# spyne runs a full gc.collect() after a request whenever a second has passed since the last
# one (spyne/context.py); in a server holding many companies' sessions that is a stop of tens
# of milliseconds on most Web Connector calls. Python's own generational collector is enough.
spyne.const.MIN_GC_INTERVAL = 300.0

# spyne logs whole request documents when it cannot decode them (a charset mismatch once put
# 15 MB and a password in the log) and client faults with a traceback. It only ever sees our
# rebuilt envelopes now; these loggers stay quiet all the same, and we log one line per refusal.
for _name in ("spyne.protocol", "spyne.model", "spyne.application.client"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)

_MAX_VERSION = 999  # qbXML versions are 1.0 to 16.0 so far

_RESPONSE_KEY = "qbwc.receiveResponseXML.response"
"""Where receiveResponseXML's ``response`` waits for the service, in the WSGI environ."""


def _version_number(value: str | None) -> int | None:
    return whole_number(value or "", maximum=_MAX_VERSION)


def build_spyne_app(service: WebConnectorService, max_body_bytes: int) -> WsgiApplication:
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
            return service.authenticate(strUserName, strPassword,
                                        client=ctx.transport.req_env.get("REMOTE_ADDR"))

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
                _version_number(qbXMLMajorVers),
                _version_number(qbXMLMinorVers),
            )

        @rpc(Unicode, Unicode, Unicode, Unicode, _returns=Integer)  # type: ignore[misc]
        def receiveResponseXML(ctx, ticket, response, hresult, message):  # noqa: N802, N805
            # The envelope spyne read carried no ``response``: it waits in the environ.
            response = ctx.transport.req_env.get(_RESPONSE_KEY)
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
        in_protocol=Soap11(),
        out_protocol=Soap11(),
    )
    # spyne's own default cap is 2 MiB; the rebuilt envelopes it reads are small, but a
    # sendRequestXML with a large HCP answer must not meet a second, lower limit.
    return WsgiApplication(application, max_content_length=max_body_bytes)


def spyne_operations(app: WsgiApplication) -> dict[str, tuple[str, ...]]:
    """Method name -> parameter names, as spyne will decode them (for the contract test)."""
    found: dict[str, tuple[str, ...]] = {}
    for descriptor in app.app.interface.service_method_map.values():
        method = descriptor[0]
        fields = method.in_message._type_info
        found[method.name] = tuple(fields.keys())
    return found


class SoapEndpoint:
    """Runs one SOAP POST: read and check it, then let spyne dispatch it to the service."""

    def __init__(self, service: WebConnectorService, max_body_bytes: int) -> None:
        self._service = service
        self._spyne = build_spyne_app(service, max_body_bytes)
        self._max_body_bytes = max_body_bytes

    @property
    def spyne_app(self) -> WsgiApplication:
        return self._spyne

    @property
    def max_body_bytes(self) -> int:
        return self._max_body_bytes

    def handle(self, environ: dict[str, Any], stream: BinaryIO
               ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Return (status, headers, body) for the envelope POSTed on ``stream``."""
        try:
            call = read_call(stream, content_type=environ.get("CONTENT_TYPE"),
                             max_body_bytes=self._max_body_bytes,
                             ticket_is_live=self._service.ticket_is_live)
        except SoapRejected as rejected:
            log.info("SOAP request refused: %s", rejected.text)
            return fault(rejected)
        params = dict(call.params)
        inner = {key: value for key, value in environ.items() if not key.startswith("wsgi.")}
        inner[_RESPONSE_KEY] = params.pop("response", None)
        envelope = _rebuilt(call.method, params)
        inner.update({
            "wsgi.input": BytesIO(envelope), "wsgi.errors": environ.get("wsgi.errors"),
            "wsgi.url_scheme": environ.get("wsgi.url_scheme", "http"),
            "CONTENT_LENGTH": str(len(envelope)), "CONTENT_TYPE": "text/xml; charset=utf-8",
            "REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "",
        })
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers

        chunks: Iterable[bytes] = self._spyne(inner, start_response)
        payload = b"".join(chunks)
        log.debug("SOAP %s answered with HTTP %s", call.method, captured.get("status"))
        headers = [(k, v) for k, v in captured.get("headers", []) if k.lower() == "content-type"]
        return captured.get("status", 500), headers, payload

    def too_large(self) -> tuple[int, list[tuple[str, str]], bytes]:
        log.info("SOAP request refused: over %s bytes", self._max_body_bytes)
        return fault(too_large(self._max_body_bytes))


def _rebuilt(method: str, params: dict[str, str | None]) -> bytes:
    """The call as a plain UTF-8 envelope: only what the pre-parse read, nothing of the client's
    own markup (attributes, namespaces, charset) reaches spyne."""
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    element = etree.SubElement(body, f"{{{NAMESPACE}}}{method}", nsmap={None: NAMESPACE})
    for name, value in params.items():
        if value is not None:  # sent as xsi:nil: left out, which spyne reads as None
            etree.SubElement(element, f"{{{NAMESPACE}}}{name}").text = value
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def fault(rejected: SoapRejected) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of the SOAP fault for a refused request."""
    return (
        rejected.http_status,
        [("Content-Type", "text/xml; charset=utf-8")],
        fault_envelope(rejected.code, rejected.text),
    )
