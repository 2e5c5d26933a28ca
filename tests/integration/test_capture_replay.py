"""Replays the real QBWC 2.0 capture and checks our answers have the shape QBWC accepted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from qbwc_server.app import Services
from tests.integration.conftest import queue_only, set_password
from tests.paths import CAPTURE
from tests.qbxml_schema import assert_valid_qbxml
from tests.soap_client import NS, SOAP_ENV, WebConnectorClient

CAPTURED_TICKET = "ea0bf596246b623664adb465cc8662a2"


def _shape(body: bytes) -> list[tuple[str, ...]]:
    """Element names and namespaces of a SOAP answer, ignoring prefixes and text."""
    root = etree.fromstring(body)
    names = [(etree.QName(el).namespace or "", etree.QName(el).localname)
             for el in root.iter() if isinstance(el.tag, str)]
    # authenticate may carry 2 to 4 <string> items (postpone, minimum interval); one is enough
    # to compare the shape.
    return [n for i, n in enumerate(names) if not (n[1] == "string" and names[i - 1] == n)]


def _post(client: Any, path: Path, ticket: str) -> Any:
    data = path.read_bytes().replace(CAPTURED_TICKET.encode(), ticket.encode())
    method = path.name.split("-")[1]
    return client.post("/qbwc", data=data, headers={
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"http://developer.intuit.com/{method}"',
        "Expect": "100-continue",
    })


def test_every_captured_request_gets_an_answer_shaped_like_the_accepted_one(
    client: Any, services: Services
) -> None:
    view, _ = services.companies.add("Capture Co")
    queue_only(services, "Capture Co")
    # The capture signs in as api/password and answers the CustomerAdd it was sent.
    with services.db.transaction() as session:
        from sqlalchemy import update

        from qbwc_server.store.models import Company
        session.execute(update(Company).where(Company.id == view.id).values(username="api"))
    set_password(services.db, "api", "password")
    customer_add = re.search(
        r"<ns1:sendRequestXMLResult>(.*)</ns1:sendRequestXMLResult>",
        (CAPTURE / "04-sendRequestXML-response.xml").read_text(),
        re.S,
    )
    assert customer_add is not None
    request_xml = etree.fromstring(
        f"<x>{customer_add.group(1)}</x>".encode()
    ).text or ""
    services.companies.enqueue("Capture Co", purpose="customer add", request_xml=request_xml,
                               is_write=True)

    ticket = CAPTURED_TICKET
    answers = {}
    for request_path in sorted(CAPTURE.glob("0*-request.xml")):
        response = _post(client, request_path, ticket)
        assert response.status_code == 200, response.data
        method = request_path.name.split("-")[1]
        answers[method] = response.data
        expected = (CAPTURE / request_path.name.replace("request", "response")).read_bytes()
        assert _shape(response.data) == _shape(expected), method
        if method == "authenticate":
            items = etree.fromstring(response.data).findall(f".//{{{NS}}}string")
            ticket = items[0].text or ""
            assert len(ticket) == 32
            # Explicit empty item for "use the open company file" (quickbooks-js PR #28).
            assert items[1].text is None
            assert b"<tns:string></tns:string>" in response.data or b"<tns:string/>" in \
                response.data

    sent = etree.fromstring(answers["sendRequestXML"]).findtext(f".//{{{NS}}}sendRequestXMLResult")
    # The first sendRequestXML hands out the queued request; after the last one nothing is left.
    assert sent == ""  # answers[] keeps the second (06) call, which found the queue empty
    progress = etree.fromstring(answers["receiveResponseXML"]).findtext(
        f".//{{{NS}}}receiveResponseXMLResult")
    assert progress == "100"
    last_error = etree.fromstring(answers["getLastError"]).findtext(
        f".//{{{NS}}}getLastErrorResult")
    assert last_error
    assert "Nothing more to send" in last_error
    close = etree.fromstring(answers["closeConnection"]).findtext(
        f".//{{{NS}}}closeConnectionResult")
    assert close
    assert close.startswith("OK")
    item = services.companies.items("Capture Co")[0]
    assert item.state == "done"
    assert "Shannon 171 Daniels" in (item.response_xml or "")


def test_answers_are_soap_11_in_the_intuit_namespace(client: Any) -> None:
    response = _post(client, CAPTURE / "01-serverVersion-request.xml", "")
    root = etree.fromstring(response.data)
    assert root.tag == f"{{{SOAP_ENV}}}Envelope"
    result = root.find(f".//{{{NS}}}serverVersionResponse/{{{NS}}}serverVersionResult")
    assert result is not None
    assert (result.text or "").startswith("qbwc-server ")
    assert response.headers["Content-Type"].startswith("text/xml")


def test_what_quickbooks_says_about_itself_is_kept_and_used(
    client: Any, services: Services
) -> None:
    view, password = services.companies.add("Old QB Co")
    queue_only(services, "Old QB Co")
    first = services.companies.ping("Old QB Co")
    assert '<?qbxml version="13.0"?>' in first.request_xml
    assert_valid_qbxml(first.request_xml)
    wc = WebConnectorClient(client)
    ticket = wc.authenticate(view.username, password)[0]
    hcp = etree.parse(str(CAPTURE / "04-sendRequestXML-request.xml")).getroot().findtext(
        f".//{{{NS}}}strHCPResponse") or ""
    wc.send(ticket, hcp=hcp, major=5, minor=0)
    known = services.companies.get("Old QB Co")
    assert known.qb_product_name == "QuickBooks Pro 2006"
    assert known.qb_company_name == "Test Company"
    assert known.qb_versions[-1] == "5.0"
    # The next request is written in a version this QuickBooks understands.
    assert '<?qbxml version="5.0"?>' in services.companies.ping("Old QB Co").request_xml
