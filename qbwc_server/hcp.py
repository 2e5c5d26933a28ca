"""Reads the Host/Company/Preferences responses QBWC sends with the first sendRequestXML."""

from __future__ import annotations

from qbwc_server.webconnector import HostReport
from qbxml import QbxmlError, parse_hcp_response


def read_host_report(hcp_response: str) -> HostReport:
    """Turn the HCP responses into a :class:`HostReport`.

    Raises:
        ValueError: when the text is not a readable qbXML response.
    """
    try:
        hcp = parse_hcp_response(hcp_response)
    except QbxmlError as exc:
        raise ValueError(str(exc)) from exc
    return HostReport(
        product_name=hcp.product_name,
        country=hcp.country,
        supported_versions=tuple(str(v) for v in hcp.supported_qbxml_versions),
        company_name=hcp.company_name,
        file_id=hcp.file_id,
    )
