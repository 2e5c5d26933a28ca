"""The Web Connector's SOAP operations: names, parameters and results, in Intuit's order.

One table feeds the WSDL we serve and the checks on the SOAP edge, so the two
cannot drift apart. Names and order are Intuit's (QBWebConnectorSvc.wsdl,
TroubleshootWebServiceFS.wsdl; the interactive trio from the Programmer's Guide
ch. 10, which no Intuit WSDL carries).
"""

from __future__ import annotations

import attrs

NAMESPACE = "http://developer.intuit.com/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@attrs.frozen
class Operation:
    name: str
    params: tuple[tuple[str, str], ...]  # (element name, xsd type)
    result_type: str  # "string", "int" or "ArrayOfString"

    @property
    def result_name(self) -> str:
        return f"{self.name}Result"

    @property
    def soap_action(self) -> str:
        return NAMESPACE + self.name


_S = "string"
OPERATIONS: tuple[Operation, ...] = (
    Operation("serverVersion", (), _S),
    Operation("clientVersion", (("strVersion", _S),), _S),
    Operation("authenticate", (("strUserName", _S), ("strPassword", _S)), "ArrayOfString"),
    Operation("connectionError", (("ticket", _S), ("hresult", _S), ("message", _S)), _S),
    Operation(
        "sendRequestXML",
        (
            ("ticket", _S),
            ("strHCPResponse", _S),
            ("strCompanyFileName", _S),
            ("qbXMLCountry", _S),
            ("qbXMLMajorVers", "int"),
            ("qbXMLMinorVers", "int"),
        ),
        _S,
    ),
    Operation(
        "receiveResponseXML",
        (("ticket", _S), ("response", _S), ("hresult", _S), ("message", _S)),
        "int",
    ),
    Operation("getLastError", (("ticket", _S),), _S),
    Operation("closeConnection", (("ticket", _S),), _S),
    Operation("getInteractiveURL", (("wcTicket", _S), ("sessionID", _S)), _S),
    Operation("interactiveDone", (("wcTicket", _S),), _S),
    Operation("interactiveRejected", (("wcTicket", _S), ("reason", _S)), _S),
)
BY_NAME = {op.name: op for op in OPERATIONS}
