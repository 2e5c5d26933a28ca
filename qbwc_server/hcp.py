"""Reads the Host/Company/Preferences responses QBWC sends with the first sendRequestXML."""

from __future__ import annotations

from sqlalchemy import String

from qbwc_server.store.models import Company
from qbwc_server.webconnector import HostReport
from qbxml import QbxmlError, parse_hcp_response


def _kept_length(field: str) -> int:
    """How long a value of the report its company column keeps (``qb_<field>``)."""
    column_type = Company.__table__.c[f"qb_{field}"].type
    assert isinstance(column_type, String)
    assert column_type.length is not None
    return column_type.length


# A value longer than the column that keeps it is no answer QuickBooks writes.
_LIMITS = {field: _kept_length(field)
           for field in ("product_name", "country", "company_name", "file_id")}
_VERSIONS_LIMIT = _kept_length("versions")  # kept joined by commas


def read_host_report(hcp_response: str) -> HostReport:
    """Turn the HCP responses into a :class:`HostReport`.

    Raises:
        ValueError: when the text is not a readable qbXML response, or a value in it is
            longer than any QuickBooks writes.
    """
    try:
        hcp = parse_hcp_response(hcp_response)
    except QbxmlError as exc:
        raise ValueError(str(exc)) from exc
    report = HostReport(
        product_name=hcp.product_name,
        country=hcp.country,
        supported_versions=tuple(str(v) for v in hcp.supported_qbxml_versions),
        company_name=hcp.company_name,
        file_id=hcp.file_id,
    )
    for field, limit in _LIMITS.items():
        value = getattr(report, field)
        if value is not None and len(value) > limit:
            raise ValueError(f"its {field.replace('_', ' ')} is {len(value)} characters long; "
                             f"at most {limit} are kept")
    # Cut short, a list would lose its newest versions and the sync would speak an old one.
    listed = len(",".join(report.supported_versions))
    if listed > _VERSIONS_LIMIT:
        raise ValueError(f"it lists {len(report.supported_versions)} supported qbXML versions "
                         f"({listed} characters); at most {_VERSIONS_LIMIT} are kept")
    return report
