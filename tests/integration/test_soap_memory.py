"""A large receiveResponseXML passes the SOAP edge with one copy of QuickBooks' answer in
Python memory: the body is read a chunk at a time, and the answer goes round spyne's decode.

tracemalloc sees Python's allocations only (libxml2's text node, freed as the parameter is
taken, is not counted); the old path (the body as bytes, spyne's joined copy, its tree's text
as str) held more than twice the body."""

from __future__ import annotations

import io
import tracemalloc

from qbwc_server.soap import SoapEndpoint
from tests.soap_client import envelope

INVOICE = "<InvoiceRet><TxnID>1-1</TxnID><Memo>Parts &amp; labour</Memo></InvoiceRet>"


class _Service:
    """Only what receiveResponseXML needs of the Web Connector service."""

    received = 0

    def ticket_is_live(self, ticket: str) -> bool:
        return True

    def receive_response_xml(self, ticket: str, response: str, hresult: str,
                             message: str) -> int:
        self.received = len(response)
        return 100


def test_a_large_answer_is_held_once() -> None:
    answer = "<QBXML><QBXMLMsgsRs>" + INVOICE * 100_000 + "</QBXMLMsgsRs></QBXML>"
    body = envelope("receiveResponseXML", ticket="t" * 32, response=answer, hresult="",
                    message="")
    service = _Service()
    endpoint = SoapEndpoint(service, max_body_bytes=64 * 1024 * 1024)  # type: ignore[arg-type]
    stream = io.BytesIO(body)
    tracemalloc.start()
    try:
        status, _headers, _payload = endpoint.handle(
            {"CONTENT_TYPE": "text/xml; charset=utf-8", "wsgi.url_scheme": "http",
             "SERVER_NAME": "localhost", "SERVER_PORT": "80"}, stream)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 200
    assert service.received == len(answer)
    assert peak < len(body)  # the answer once (smaller than the escaped body), no body copy
