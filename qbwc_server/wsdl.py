"""The WSDL served at ``GET /qbwc?wsdl``, rendered from :data:`operations.OPERATIONS`.

It follows the shape of Intuit's ASP.NET WSDL (messages ``<op>SoapIn`` /
``<op>SoapOut`` with one ``parameters`` part, document/literal, quoted
SOAPAction), because that is what .NET clients and QBWC were built against.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from qbwc_server.operations import NAMESPACE, OPERATIONS

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XS = "http://www.w3.org/2001/XMLSchema"
SERVICE = "QBWebConnectorSvc"


def _el(parent: etree._Element, ns: str, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)


@cache
def _template() -> bytes:
    nsmap = {"wsdl": WSDL, "soap": SOAP, "s": XS, "tns": NAMESPACE}
    root = etree.Element(f"{{{WSDL}}}definitions", nsmap=nsmap, targetNamespace=NAMESPACE)
    types = _el(root, WSDL, "types")
    schema = _el(types, XS, "schema", elementFormDefault="qualified", targetNamespace=NAMESPACE)
    for op in OPERATIONS:
        request = _el(_el(schema, XS, "element", name=op.name), XS, "complexType")
        if op.params:
            seq = _el(request, XS, "sequence")
            for name, kind in op.params:
                occurs = "1" if kind == "int" else "0"
                _el(seq, XS, "element", minOccurs=occurs, maxOccurs="1", name=name,
                    type=f"s:{kind}")
        response = _el(_el(schema, XS, "element", name=op.name + "Response"), XS, "complexType")
        kind = "tns:ArrayOfString" if op.result_type == "ArrayOfString" else f"s:{op.result_type}"
        _el(_el(response, XS, "sequence"), XS, "element",
            minOccurs="1" if op.result_type == "int" else "0", maxOccurs="1",
            name=op.result_name, type=kind)
    array = _el(schema, XS, "complexType", name="ArrayOfString")
    _el(_el(array, XS, "sequence"), XS, "element", minOccurs="0", maxOccurs="unbounded",
        name="string", nillable="true", type="s:string")
    for op in OPERATIONS:
        for suffix, element in (("SoapIn", op.name), ("SoapOut", op.name + "Response")):
            message = _el(root, WSDL, "message", name=op.name + suffix)
            _el(message, WSDL, "part", name="parameters", element=f"tns:{element}")
    port_type = _el(root, WSDL, "portType", name=SERVICE + "Soap")
    for op in OPERATIONS:
        operation = _el(port_type, WSDL, "operation", name=op.name)
        _el(operation, WSDL, "input", message=f"tns:{op.name}SoapIn")
        _el(operation, WSDL, "output", message=f"tns:{op.name}SoapOut")
    binding = _el(root, WSDL, "binding", name=SERVICE + "Soap", type=f"tns:{SERVICE}Soap")
    _el(binding, SOAP, "binding", transport="http://schemas.xmlsoap.org/soap/http")
    for op in OPERATIONS:
        operation = _el(binding, WSDL, "operation", name=op.name)
        _el(operation, SOAP, "operation", soapAction=op.soap_action, style="document")
        for direction in ("input", "output"):
            _el(_el(operation, WSDL, direction), SOAP, "body", use="literal")
    service = _el(root, WSDL, "service", name=SERVICE)
    port = _el(service, WSDL, "port", name=SERVICE + "Soap", binding=f"tns:{SERVICE}Soap")
    _el(port, SOAP, "address", location="__LOCATION__")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def render_wsdl(location: str) -> bytes:
    """The WSDL with ``location`` as the service address."""
    escaped = location.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return _template().replace(b"__LOCATION__", escaped.encode("utf-8"))
