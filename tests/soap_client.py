"""Build SOAP envelopes the way the Web Connector does, and read the answers."""

from __future__ import annotations

from typing import Any

from lxml import etree

NS = "http://developer.intuit.com/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def envelope(method: str, **params: Any) -> bytes:
    """A request envelope with parameters in the given order; None leaves one out."""
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    call = etree.SubElement(body, f"{{{NS}}}{method}", nsmap={None: NS})
    for name, value in params.items():
        if value is None:
            continue
        etree.SubElement(call, f"{{{NS}}}{name}").text = str(value)
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def headers(method: str) -> dict[str, str]:
    return {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"{NS}{method}"',
        "User-Agent": "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol)",
    }


def result_element(body: bytes, method: str) -> etree._Element:
    root = etree.fromstring(body)
    found = root.find(f".//{{{NS}}}{method}Response/{{{NS}}}{method}Result")
    assert found is not None, body.decode()
    return found


def fault_string(body: bytes) -> str:
    root = etree.fromstring(body)
    fault = root.find(f".//{{{SOAP_ENV}}}Fault")
    assert fault is not None, body.decode()
    return fault.findtext("faultstring") or ""


class WebConnectorClient:
    """Calls the SOAP endpoint of a Flask test client like QBWC does."""

    def __init__(self, client: Any, path: str = "/qbwc") -> None:
        self.client = client
        self.path = path

    def call(self, method: str, **params: Any) -> etree._Element:
        response = self.client.post(self.path, data=envelope(method, **params),
                                    headers=headers(method))
        assert response.status_code == 200, response.data.decode()
        return result_element(response.data, method)

    def text(self, method: str, **params: Any) -> str:
        return self.call(method, **params).text or ""

    def authenticate(self, username: str, password: str) -> list[str]:
        result = self.call("authenticate", strUserName=username, strPassword=password)
        return [item.text or "" for item in result.findall(f"{{{NS}}}string")]

    def send(self, ticket: str, hcp: str = "", company_file: str = r"C:\QB\Demo.QBW",
             country: str = "US", major: int = 13, minor: int = 0) -> str:
        return self.text("sendRequestXML", ticket=ticket, strHCPResponse=hcp,
                         strCompanyFileName=company_file, qbXMLCountry=country,
                         qbXMLMajorVers=major, qbXMLMinorVers=minor)

    def receive(self, ticket: str, response: str, hresult: str = "", message: str = "") -> int:
        return int(self.text("receiveResponseXML", ticket=ticket, response=response,
                             hresult=hresult, message=message))
