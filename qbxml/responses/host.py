"""Host, company and preferences records: what QBWC reports in the first ``strHCPResponse``."""

from __future__ import annotations

import dataclasses

from qbxml.responses.base import RawPair, Record, many, one, to_bool, xml_record
from qbxml.responses.common import Address, DataExtRet

__all__ = ["FILE_ID_DATA_EXT", "CompanyRet", "HostRet", "PreferencesRet"]

FILE_ID_DATA_EXT = "FileID"
"""Name of the company ``DataExtRet`` in which QBWC stamps the company file's GUID."""


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class HostRet(Record):
    """The QuickBooks product answering, and the qbXML versions it accepts."""

    _XML = {
        "ProductName": one("product_name"),
        "MajorVersion": one("major_version"),
        "MinorVersion": one("minor_version"),
        "Country": one("country"),
        "SupportedQBXMLVersion": many("supported_qbxml_versions"),
        "IsAutomaticLogin": one("is_automatic_login", to_bool),
        "QBFileMode": one("qb_file_mode"),
    }

    product_name: str | None = None
    major_version: str | None = None
    minor_version: str | None = None
    country: str | None = None
    supported_qbxml_versions: tuple[str, ...] = ()
    is_automatic_login: bool | None = None
    qb_file_mode: str | None = None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class CompanyRet(Record):
    """The open company file: names, addresses and application custom fields."""

    _XML = {
        "IsSampleCompany": one("is_sample_company", to_bool),
        "CompanyName": one("company_name"),
        "LegalCompanyName": one("legal_company_name"),
        "Address": one("address", Address),
        "AddressBlock": one("address_block", Address),
        "LegalAddress": one("legal_address", Address),
        "Phone": one("phone"),
        "Fax": one("fax"),
        "Email": one("email"),
        "CompanyWebSite": one("company_web_site"),
        "FirstMonthFiscalYear": one("first_month_fiscal_year"),
        "FirstMonthIncomeTaxYear": one("first_month_income_tax_year"),
        "CompanyType": one("company_type"),
        "EIN": one("ein"),
        "TaxForm": one("tax_form"),
        "DataExtRet": many("data_ext", DataExtRet),
    }

    is_sample_company: bool | None = None
    company_name: str | None = None
    legal_company_name: str | None = None
    address: Address | None = None
    address_block: Address | None = None
    legal_address: Address | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    company_web_site: str | None = None
    first_month_fiscal_year: str | None = None
    first_month_income_tax_year: str | None = None
    company_type: str | None = None
    ein: str | None = None
    tax_form: str | None = None
    data_ext: tuple[DataExtRet, ...] = ()

    @property
    def file_id(self) -> str | None:
        """The company file GUID QBWC keeps in the ``FileID`` DataExt, if present."""
        for data_ext in self.data_ext:
            if data_ext.data_ext_name == FILE_ID_DATA_EXT:
                return data_ext.data_ext_value
        return None


@xml_record
@dataclasses.dataclass(frozen=True, kw_only=True)
class PreferencesRet(Record):
    """Company preferences, kept raw: each section is a ``(name, value)`` pair in ``extra``."""

    def section(self, name: str) -> RawPair | None:
        """The preferences section called ``name`` (``AccountingPreferences``...), if sent."""
        for pair in self.extra:
            if pair[0] == name:
                return pair
        return None
