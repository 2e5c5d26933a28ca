"""Typed qbXML request objects; :func:`qbxml.envelope.build_message` writes them."""

from __future__ import annotations

from qbxml.requests.base import IteratorQuery, Query, Request
from qbxml.requests.common import (
    AdditionalContactRef,
    AdditionalNote,
    Address,
    CashBackInfo,
    DataExt,
    LinkToTxn,
    Ref,
    SetCredit,
    ShipToAddress,
)
from qbxml.requests.company import (
    CompanyQuery,
    DataExtAdd,
    DataExtDefAdd,
    HostQuery,
    PreferencesQuery,
)
from qbxml.requests.deletes import ListDel, ListDeletedQuery, TxnDel, TxnDeletedQuery, TxnVoid
from qbxml.requests.filters import (
    DeletedDateRangeFilter,
    ListFilter,
    ModifiedDateRangeFilter,
    NameFilter,
    NameRangeFilter,
    RefNumberFilter,
    RefNumberRangeFilter,
    TxnDateRangeFilter,
)
from qbxml.requests.lists import AccountQuery, CustomerAdd, CustomerMod, CustomerQuery, ItemQuery
from qbxml.requests.payments import (
    AppliedToTxnAdd,
    DepositAdd,
    DepositLineAdd,
    ReceivePaymentAdd,
    ReceivePaymentQuery,
)
from qbxml.requests.policy import BuildPolicy, BuildWarning
from qbxml.requests.sales import (
    CreditMemoAdd,
    CreditMemoLineAdd,
    EstimateAdd,
    EstimateLineAdd,
    InvoiceAdd,
    InvoiceLineAdd,
    InvoiceLineMod,
    InvoiceMod,
    InvoiceQuery,
)

__all__ = [
    "AccountQuery",
    "AdditionalContactRef",
    "AdditionalNote",
    "Address",
    "AppliedToTxnAdd",
    "BuildPolicy",
    "BuildWarning",
    "CashBackInfo",
    "CompanyQuery",
    "CreditMemoAdd",
    "CreditMemoLineAdd",
    "CustomerAdd",
    "CustomerMod",
    "CustomerQuery",
    "DataExt",
    "DataExtAdd",
    "DataExtDefAdd",
    "DeletedDateRangeFilter",
    "DepositAdd",
    "DepositLineAdd",
    "EstimateAdd",
    "EstimateLineAdd",
    "HostQuery",
    "InvoiceAdd",
    "InvoiceLineAdd",
    "InvoiceLineMod",
    "InvoiceMod",
    "InvoiceQuery",
    "ItemQuery",
    "IteratorQuery",
    "LinkToTxn",
    "ListDel",
    "ListDeletedQuery",
    "ListFilter",
    "ModifiedDateRangeFilter",
    "NameFilter",
    "NameRangeFilter",
    "PreferencesQuery",
    "Query",
    "ReceivePaymentAdd",
    "ReceivePaymentQuery",
    "Ref",
    "RefNumberFilter",
    "RefNumberRangeFilter",
    "Request",
    "SetCredit",
    "ShipToAddress",
    "TxnDateRangeFilter",
    "TxnDel",
    "TxnDeletedQuery",
    "TxnVoid",
]
