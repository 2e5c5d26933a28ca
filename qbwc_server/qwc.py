"""Render a company's ``.qwc`` file from the template in :mod:`qwc_templates`.

Field meanings and rules are the Programmer's Guide's (ch. 4, Table 4-1, App. A):
AppURL and AppSupport on the same https host (http only for localhost), never an
IP address; OwnerID one per installation; FileID one per company.
"""

from __future__ import annotations

from string import Template
from urllib.parse import quote
from xml.sax.saxutils import escape

import qwc_templates
from qbwc_server.config import check_public_base_url
from qbwc_server.store.companies import CompanyView

SOAP_PATH = "/qbwc"
SUPPORT_PATH = "/support"


def app_name(prefix: str, company_name: str) -> str:
    """The name the Web Connector lists; unique per company within an installation."""
    return f"{prefix} - {company_name}"


def render_qwc(
    company: CompanyView,
    *,
    public_base_url: str,
    owner_id: str,
    app_name_prefix: str,
    template: str | None = None,
) -> str:
    """The ``.qwc`` XML for ``company``; every value is XML-escaped."""
    check_public_base_url(public_base_url)
    base = public_base_url.rstrip("/")
    values = {
        "app_name": app_name(app_name_prefix, company.name),
        "app_url": base + SOAP_PATH,
        "app_description": f"Sync {company.name} with qbwc-server"[:80],
        "app_support": base + SUPPORT_PATH,
        "username": company.username,
        "owner_id": owner_id,
        "file_id": company.file_id,
        "run_every_n_minutes": str(company.cadence_minutes),
    }
    escaped = {key: escape(value, {'"': "&quot;"}) for key, value in values.items()}
    return Template(template or qwc_templates.load()).substitute(escaped)


def qwc_filename(company_name: str, *, ascii_only: bool = False) -> str:
    """``Acme-Corp.qwc``: letters and digits of the name, anything else a dash."""
    safe = "".join(ch if (ch.isalnum() and (ch.isascii() or not ascii_only)) or ch in "-_"
                   else "-" for ch in company_name)
    return f"{safe.strip('-') or 'company'}.qwc"


def qwc_download_header(company_name: str) -> str:
    """``Content-Disposition`` of a ``.qwc`` download, for any company name.

    HTTP headers carry only Latin-1, so a name like 日本 goes in RFC 6266's ``filename*``
    (UTF-8, percent-encoded), after an ASCII ``filename`` for clients that lack it.
    """
    fallback = qwc_filename(company_name, ascii_only=True)
    encoded = quote(qwc_filename(company_name), safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
