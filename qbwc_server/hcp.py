"""Reads the Host/Company/Preferences responses QBWC sends with the first sendRequestXML."""

from __future__ import annotations

from qbwc_server.webconnector import HostReport


def read_host_report(hcp_response: str) -> HostReport:
    """Turn the HCP responses into a :class:`HostReport`.

    Raises:
        ValueError: when the text is not a readable qbXML response.
    """
    import qbxml

    try:
        hcp = qbxml.parse_hcp_response(hcp_response)
    except qbxml.QbxmlError as exc:
        raise ValueError(str(exc)) from exc
    return HostReport(
        product_name=hcp.host.product_name if hcp.host else None,
        country=hcp.host.country if hcp.host else None,
        supported_versions=tuple(hcp.host.supported_qbxml_versions) if hcp.host else (),
        company_name=hcp.company.company_name if hcp.company else None,
        file_id=hcp.file_id,
    )
