"""Which element becomes which record: the registry the streaming reader dispatches on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeAlias

from lxml import etree

from qbxml.responses.base import Record, builder
from qbxml.responses.common import DataExtRet, ListDelResult, TxnDelResult
from qbxml.responses.generic import GenericRet
from qbxml.responses.host import CompanyRet, HostRet, PreferencesRet
from qbxml.responses.lists import (
    AccountRet,
    CustomerRet,
    DataExtDefRet,
    ItemKind,
    ItemRet,
    ListDeletedRet,
)
from qbxml.responses.txns import (
    CreditMemoRet,
    DepositRet,
    EstimateRet,
    InvoiceRet,
    ReceivePaymentRet,
    TxnDeletedRet,
)

__all__ = ["BODY_BUILDERS", "QBXML_RET_TAGS", "RECORD_BUILDERS", "Item"]

Item: TypeAlias = Record | GenericRet
"""Anything an Rs yields: a typed record, an ErrorRecovery/Del body, or a generic record."""

RECORD_BUILDERS: dict[str, Callable[[etree._Element], Record]] = {
    "AccountRet": builder(AccountRet),
    "CompanyRet": builder(CompanyRet),
    "CreditMemoRet": builder(CreditMemoRet),
    "CustomerRet": builder(CustomerRet),
    "DataExtDefRet": builder(DataExtDefRet),
    "DataExtRet": builder(DataExtRet),
    "DepositRet": builder(DepositRet),
    "EstimateRet": builder(EstimateRet),
    "HostRet": builder(HostRet),
    "InvoiceRet": builder(InvoiceRet),
    "ListDeletedRet": builder(ListDeletedRet),
    "PreferencesRet": builder(PreferencesRet),
    "ReceivePaymentRet": builder(ReceivePaymentRet),
    "TxnDeletedRet": builder(TxnDeletedRet),
    **{kind.tag: builder(ItemRet) for kind in ItemKind},
}
"""Typed Ret kinds. Anything else under an Rs becomes a :class:`GenericRet`."""

BODY_BUILDERS: dict[str, Callable[[Iterable[etree._Element]], Record]] = {
    "TxnDelRs": TxnDelResult.from_children,
    "ListDelRs": ListDelResult.from_children,
}
"""Rs kinds whose answer is loose children of the Rs itself rather than a Ret element."""

# Every top-level Ret element of qbXML 13.0 (qbxmlops130.xml, QBXMLMsgsRs children's children).
# Those without a typed class still come as records (GenericRet), even when empty.
QBXML_RET_TAGS = frozenset(
    """
    ARRefundCreditCardRet AccountRet AccountTaxLineInfoRet BarCodeRet BillPaymentCheckRet
    BillPaymentCreditCardRet BillRet BillToPayRet BillingRateRet BuildAssemblyRet ChargeRet
    CheckRet ClassRet CompanyActivityRet CompanyRet CreditCardChargeRet CreditCardCreditRet
    CreditMemoRet CurrencyRet CustomerMsgRet CustomerRet CustomerTypeRet
    DataEventRecoveryInfoRet DataExtDefDelRet DataExtDefRet DataExtDelRet DataExtRet
    DateDrivenTermsRet DepositRet EmployeeRet EstimateRet Form1099CategoryAccountMappingRet
    HostRet InventoryAdjustmentRet InventorySiteRet InvoiceRet ItemAssembliesCanBuildRet
    ItemDiscountRet ItemFixedAssetRet ItemGroupRet ItemInventoryAssemblyRet ItemInventoryRet
    ItemNonInventoryRet ItemOtherChargeRet ItemPaymentRet ItemReceiptRet ItemSalesTaxGroupRet
    ItemSalesTaxRet ItemServiceRet ItemSitesRet ItemSubtotalRet JobTypeRet JournalEntryRet
    LeadRet ListDeletedRet OtherNameRet PaymentMethodRet PayrollItemNonWageRet
    PayrollItemWageRet PayrollLastPeriodRet PreferencesRet PriceLevelRet PurchaseOrderRet
    ReceivePaymentRet ReceivePaymentToDepositRet ReportRet SalesOrderRet SalesReceiptRet
    SalesRepRet SalesTaxCodeRet SalesTaxPayableRet SalesTaxPaymentCheckRet
    SalesTaxReturnLineRet SalesTaxReturnRet ShipMethodRet StandardTermsRet TemplateRet
    TimeTrackingRet ToDoRet TransactionRet TransferInventoryRet TransferRet TxnDeletedRet
    UnitOfMeasureSetRet VehicleMileageRet VehicleRet VendorCreditRet VendorRet VendorTypeRet
    WorkersCompCodeRet
    """.split()
)
