"""HostQuery, CompanyQuery and PreferencesQuery answers (what QBWC sends as strHCPResponse).

Shapes follow the real QBWC 2.0 capture (``soap-session-qbwc2.0/04-sendRequestXML-request.xml``):
HostRet lists every SupportedQBXMLVersion up to the company's, CompanyRet carries the DataExtRet
(FileID, AppLock) QBWC stamped under its OwnerID, PreferencesRet the usual preferences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from lxml import etree

from qbwc_server.simulator.company import xmlin
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.render import build, data_ext_values, ref
from qbwc_server.simulator.company.rs import Context, rs

__all__ = ["ALL_VERSIONS", "HcpInfo", "company_query", "host_query", "preferences_query"]

#: qbXML versions in release order (QuickBooks 2002 = 1.0 ... QuickBooks 2014 = 13.0).
ALL_VERSIONS = ("1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0",
                "9.0", "10.0", "11.0", "12.0", "13.0")
#: The QuickBooks release year of each major qbXML version (13.0 -> 2014), for ProductName.
RELEASE_YEAR = {1: 2002, 2: 2003, 3: 2004, 4: 2005, 5: 2006, 6: 2007, 7: 2008, 8: 2009,
                9: 2010, 10: 2011, 11: 2012, 12: 2013, 13: 2014}


@dataclasses.dataclass(kw_only=True)
class HcpInfo:
    """What the host and company answers say about this QuickBooks."""

    qbxml_version: tuple[int, int]
    country: str = "US"
    product_name: str | None = None
    company_name: str = "Simulated Company"

    def supported_versions(self) -> list[str]:
        major, minor = self.qbxml_version
        return [v for v in ALL_VERSIONS
                if tuple(int(p) for p in v.split(".")) <= (major, minor)]

    def year(self) -> int:
        return RELEASE_YEAR.get(self.qbxml_version[0], 2014)

    def product(self) -> str:
        return self.product_name or f"QuickBooks Pro {self.year()}"


def host_query(ctx: Context, rq: etree._Element) -> etree._Element:
    info: HcpInfo = ctx.hcp
    answer = rs(rq)
    answer.append(build("HostRet", "HostRet", {
        "ProductName": info.product(), "MajorVersion": str(info.year() - 1990),
        "MinorVersion": "0", "Country": info.country,
        "SupportedQBXMLVersion": info.supported_versions(), "IsAutomaticLogin": False,
        "QBFileMode": "SingleUser",
    }))
    return answer


def company_values(books: Books, info: HcpInfo, owners: Collection[str] | None
                   ) -> dict[str, object]:
    exts = [data_ext_values(e) for e in books.data_exts if e.object_id == "Company"
            and (owners is None or e.owner_id in owners)]
    return {
        "IsSampleCompany": False, "CompanyName": info.company_name,
        "LegalCompanyName": info.company_name,
        "Address": {"Addr1": "1 Main Street", "City": "Springfield", "State": "IL",
                    "PostalCode": "62701", "Country": info.country},
        "FirstMonthFiscalYear": "January", "FirstMonthIncomeTaxYear": "January",
        "CompanyType": "Service Business", "TaxForm": "OtherOrNone", "DataExtRet": exts,
    }


def company_query(ctx: Context, rq: etree._Element, all_owners: bool = False) -> etree._Element:
    owners = None if all_owners else xmlin.texts(rq, "OwnerID")
    answer = rs(rq)
    answer.append(build("CompanyRet", "CompanyRet", company_values(ctx.books, ctx.hcp, owners),
                        only=xmlin.texts(rq, "IncludeRetElement") or None))
    return answer


def preferences_query(ctx: Context, rq: etree._Element) -> etree._Element:
    books = ctx.books
    tax = books.id_by_name("SalesTaxCode", "Tax")
    non = books.id_by_name("SalesTaxCode", "Non")
    answer = rs(rq)
    answer.append(build("PreferencesRet", "PreferencesRet", {
        "AccountingPreferences": {
            "IsUsingAccountNumbers": False, "IsRequiringAccounts": True,
            "IsUsingClassTracking": False, "IsUsingAuditTrail": True,
            "IsAssigningJournalEntryNumbers": True},
        "FinanceChargePreferences": {
            "AnnualInterestRate": "0.00", "MinFinanceCharge": "0.00", "GracePeriod": "0",
            "IsAssessingForOverdueCharges": False, "CalculateChargesFrom": "DueDate",
            "IsMarkedToBePrinted": False},
        "JobsAndEstimatesPreferences": {
            "IsUsingEstimates": True, "IsUsingProgressInvoicing": False,
            "IsPrintingItemsWithZeroAmounts": False},
        "PurchasesAndVendorsPreferences": {
            "IsUsingInventory": False, "DaysBillsAreDue": "10",
            "IsAutomaticallyUsingDiscounts": False},
        "ReportsPreferences": {"AgingReportBasis": "AgeFromDueDate",
                               "SummaryReportBasis": "Accrual"},
        "SalesAndCustomersPreferences": {
            "IsTrackingReimbursedExpensesAsIncome": False, "IsAutoApplyingPayments": True,
            "PriceLevels": {"IsUsingPriceLevels": False}},
        "SalesTaxPreferences": {
            "DefaultItemSalesTaxRef": ref(books, books.id_by_name("Item", "Out of State")),
            "PaySalesTax": "Monthly",
            "DefaultTaxableSalesTaxCodeRef": ref(books, tax),
            "DefaultNonTaxableSalesTaxCodeRef": ref(books, non)},
        "TimeTrackingPreferences": {"FirstDayOfWeek": "Monday"},
        "CurrentAppAccessRights": {"IsAutomaticLoginAllowed": False,
                                   "IsPersonalDataAccessAllowed": False},
    }))
    return answer
