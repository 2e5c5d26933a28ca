"""Read qbXML responses into frozen, typed records (see :mod:`qbxml.responses.reader`).

Eager: :func:`parse_response` and :func:`parse_hcp_response`. Streaming, memory flat in the
number of records: :func:`iter_responses` (each Rs with a lazy ``records`` iterator) and
:func:`iter_records` (``(header, record)`` pairs).
"""

from __future__ import annotations

from qbxml.responses.answers import check_answer
from qbxml.responses.base import QbDateTime, RawPair, RawValue, Record
from qbxml.responses.common import (
    Address,
    DataExtRet,
    ErrorRecovery,
    LinkedTxn,
    ListDelResult,
    Ref,
    TxnDelResult,
)
from qbxml.responses.generic import GenericRet
from qbxml.responses.hcp import HostCompanyPreferences, parse_hcp_response
from qbxml.responses.host import FILE_ID_DATA_EXT, CompanyRet, HostRet, PreferencesRet
from qbxml.responses.kinds import Item
from qbxml.responses.lists import (
    AccountRet,
    CustomerRet,
    DataExtDefRet,
    ItemGroupLine,
    ItemKind,
    ItemRet,
    ListDeletedRet,
    SalesAndPurchase,
    SalesOrPurchase,
)
from qbxml.responses.reader import (
    ResponseMessage,
    Rs,
    RsHeader,
    Source,
    StreamedRs,
    iter_records,
    iter_responses,
    parse_response,
)
from qbxml.responses.txns import (
    AppliedToTxnRet,
    CreditMemoLineGroupRet,
    CreditMemoLineRet,
    CreditMemoRet,
    DepositLineRet,
    DepositRet,
    EstimateLineGroupRet,
    EstimateLineRet,
    EstimateRet,
    InvoiceLineGroupRet,
    InvoiceLineRet,
    InvoiceRet,
    ReceivePaymentRet,
    TxnDeletedRet,
)

__all__ = [
    "FILE_ID_DATA_EXT",
    "AccountRet",
    "Address",
    "AppliedToTxnRet",
    "CompanyRet",
    "CreditMemoLineGroupRet",
    "CreditMemoLineRet",
    "CreditMemoRet",
    "CustomerRet",
    "DataExtDefRet",
    "DataExtRet",
    "DepositLineRet",
    "DepositRet",
    "ErrorRecovery",
    "EstimateLineGroupRet",
    "EstimateLineRet",
    "EstimateRet",
    "GenericRet",
    "HostCompanyPreferences",
    "HostRet",
    "InvoiceLineGroupRet",
    "InvoiceLineRet",
    "InvoiceRet",
    "Item",
    "ItemGroupLine",
    "ItemKind",
    "ItemRet",
    "LinkedTxn",
    "ListDelResult",
    "ListDeletedRet",
    "PreferencesRet",
    "QbDateTime",
    "RawPair",
    "RawValue",
    "ReceivePaymentRet",
    "Record",
    "Ref",
    "ResponseMessage",
    "Rs",
    "RsHeader",
    "SalesAndPurchase",
    "SalesOrPurchase",
    "Source",
    "StreamedRs",
    "TxnDelResult",
    "TxnDeletedRet",
    "check_answer",
    "iter_records",
    "iter_responses",
    "parse_hcp_response",
    "parse_response",
]
