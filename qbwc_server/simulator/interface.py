"""The seam between the simulated Web Connector and whatever plays QuickBooks.

The real Web Connector drives QuickBooks through the SDK's request processor:
open the company file (or fail with an HRESULT, then QBWC calls connectionError),
read the Host/Company/Preferences answers it sends with the first sendRequestXML,
run each qbXML request message (or fail with an HRESULT, then QBWC passes it to
receiveResponseXML), and close. Anything with these methods can play QuickBooks.
"""

from __future__ import annotations

from typing import Protocol


class QuickBooksError(Exception):
    """QuickBooks' request processor failed with an HRESULT instead of a qbXML answer."""

    def __init__(self, hresult: str, message: str) -> None:
        super().__init__(f"{hresult}: {message}")
        self.hresult = hresult
        self.message = message


class QuickBooksUnavailable(QuickBooksError):
    """The company file could not be opened (QBWC then calls connectionError)."""


class QuickBooks(Protocol):
    """What the simulated Web Connector needs from QuickBooks."""

    @property
    def country(self) -> str:
        """qbXMLCountry: "US", "CA", "UK"."""
        ...

    @property
    def qbxml_version(self) -> tuple[int, int]:
        """The highest qbXML version the request processor supports (qbXMLMajorVers/MinorVers)."""
        ...

    def open(self, company_file: str) -> str:
        """Open the company file ("" = the one already open); return its path.

        Raises:
            QuickBooksUnavailable: when it cannot be opened.
        """
        ...

    def hcp_response(self) -> str:
        """HostQueryRs, CompanyQueryRs and PreferencesQueryRs (requestIDs 0, 1, 2) as qbXML."""
        ...

    def process(self, request_xml: str) -> str:
        """Run one qbXML request message and return the response message.

        Raises:
            QuickBooksError: when the request processor fails (e.g. 0x80040400 for a
                message that does not parse or validate).
        """
        ...

    def close(self) -> None:
        """End the QuickBooks session."""
        ...
