"""Read ``strHCPResponse``: the Host/Company/Preferences answers QBWC sends on the first
``sendRequestXML`` of a session (requestIDs 0, 1 and 2; ``qbwc-protocol.md`` section 8)."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from qbxml.responses.host import CompanyRet, HostRet, PreferencesRet
from qbxml.responses.reader import ResponseMessage, Source, parse_response

__all__ = ["HostCompanyPreferences", "parse_hcp_response"]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, kw_only=True)
class HostCompanyPreferences:
    """What QuickBooks said about itself and the open company file."""

    host: HostRet | None = None
    company: CompanyRet | None = None
    preferences: PreferencesRet | None = None
    message: ResponseMessage = dataclasses.field(default_factory=ResponseMessage)

    @property
    def supported_qbxml_versions(self) -> tuple[str, ...]:
        """qbXML versions QuickBooks accepts, as sent (``"13.0"``...)."""
        return self.host.supported_qbxml_versions if self.host else ()

    @property
    def country(self) -> str | None:
        """QuickBooks edition country (US, CA, UK, AU)."""
        return self.host.country if self.host else None

    @property
    def product_name(self) -> str | None:
        """E.g. ``QuickBooks Pro 2006``."""
        return self.host.product_name if self.host else None

    @property
    def company_name(self) -> str | None:
        """The company name of the open file."""
        return self.company.company_name if self.company else None

    @property
    def file_id(self) -> str | None:
        """The company file GUID QBWC stamps in the ``FileID`` DataExt."""
        return self.company.file_id if self.company else None


def parse_hcp_response(source: Source) -> HostCompanyPreferences:
    """Parse the unescaped ``strHCPResponse`` text (an empty string is not a response).

    Rs that failed (a non-zero status without a Ret) simply leave their part ``None``; the
    statuses stay readable in :attr:`HostCompanyPreferences.message`.

    Raises:
        QbxmlParseError: malformed or hostile XML.
    """
    message = parse_response(source)
    return HostCompanyPreferences(
        host=_first(message, HostRet),
        company=_first(message, CompanyRet),
        preferences=_first(message, PreferencesRet),
        message=message,
    )


def _first(message: ResponseMessage, kind: type[T]) -> T | None:
    """The first record of type ``kind`` in the message."""
    for rs in message.responses:
        for record in rs.records:
            if isinstance(record, kind):
                return record
    return None
