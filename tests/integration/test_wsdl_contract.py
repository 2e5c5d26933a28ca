"""Our WSDL and SOAP edge match Intuit's contract: operations, messages, parts, elements."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from qbwc_server.app import Services
from qbwc_server.operations import OPERATIONS
from qbwc_server.soap import spyne_operations
from tests.paths import WSDL

W = "http://schemas.xmlsoap.org/wsdl/"
S = "http://www.w3.org/2001/XMLSchema"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"


def _describe(root: etree._Element) -> dict[str, Any]:
    """Operation -> its messages, parts, request/response elements and SOAPAction."""
    schema_elements = {
        el.get("name"): [
            (child.get("name"), (child.get("type") or "").split(":")[-1],
             child.get("minOccurs"))
            for child in el.iter(f"{{{S}}}element") if child is not el
        ]
        for el in root.find(f"{{{W}}}types/{{{S}}}schema").findall(f"{{{S}}}element")
    }
    messages = {
        m.get("name"): [(p.get("name"), p.get("element").split(":")[-1])
                        for p in m.findall(f"{{{W}}}part")]
        for m in root.findall(f"{{{W}}}message")
    }
    actions = {
        op.get("name"): op.find(f"{{{SOAP}}}operation").get("soapAction")
        for op in root.find(f"{{{W}}}binding").findall(f"{{{W}}}operation")
    }
    described = {}
    for op in root.find(f"{{{W}}}portType").findall(f"{{{W}}}operation"):
        name = op.get("name")
        io = {}
        for direction in ("input", "output"):
            message = op.find(f"{{{W}}}{direction}").get("message").split(":")[-1]
            parts = messages[message]
            io[direction] = (message, parts, [schema_elements[el] for _, el in parts])
        described[name] = {**io, "action": actions[name]}
    return described


@pytest.fixture
def ours(client: Any) -> dict[str, Any]:
    response = client.get("/qbwc?wsdl")
    assert response.status_code == 200
    return _describe(etree.fromstring(response.data))


@pytest.mark.parametrize(
    "intuit_file",
    [
        # Intuit's own ASP.NET troubleshooting service: 8 operations, no-arg serverVersion
        "TroubleshootWebServiceFS.intuit.wsdl",
        # Intuit's original 6-operation WSDL
        "QBWebConnectorSvc.intuit-original-6ops.wsdl",
    ],
)
def test_every_intuit_operation_matches_ours(ours: dict[str, Any], intuit_file: str) -> None:
    intuit = _describe(etree.parse(str(WSDL / intuit_file)).getroot())
    for name, expected in intuit.items():
        assert ours[name] == expected, name


def test_interactive_operations_are_declared_too(ours: dict[str, Any]) -> None:
    assert {"getInteractiveURL", "interactiveDone", "interactiveRejected"} <= set(ours)
    assert ours["getInteractiveURL"]["input"][2] == [[("wcTicket", "string", "0"),
                                                       ("sessionID", "string", "0")]]


def test_wsdl_names_this_server_as_the_address(client: Any, services: Services) -> None:
    root = etree.fromstring(client.get("/qbwc?wsdl").data)
    address = root.find(f".//{{{SOAP}}}address")
    assert address.get("location") == services.settings.public_base_url + "/qbwc"


def test_spyne_decodes_exactly_the_parameters_the_wsdl_declares(services: Services) -> None:
    decoded = spyne_operations(services.soap.spyne_app)
    assert decoded == {op.name: tuple(n for n, _ in op.params) for op in OPERATIONS}
