"""The generated schema table: reproducible from Intuit's reference, and what it says."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from qbxml.schema import ChoiceGroup, Schema, load_schema
from qbxml.versions import Version
from tests.paths import QBXML_OPS, REPO

TABLE = REPO / "qbxml" / "data" / "schema130.json"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_qbxml_schema", REPO / "tools" /
                                                  "gen_qbxml_schema.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_qbxml_schema", module)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def test_committed_table_is_what_the_generator_writes(tmp_path: Path) -> None:
    output = tmp_path / "schema130.json"
    assert GEN.main(["--ops", str(QBXML_OPS), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == TABLE.read_text(encoding="utf-8")


def test_table_is_small() -> None:
    assert TABLE.stat().st_size < 1_000_000


def test_generator_refuses_a_reference_without_a_request(tmp_path: Path) -> None:
    ops = tmp_path / "ops.xml"
    ops.write_text("<QBXML><QBXMLMsgsRq/><QBXMLMsgsRs/></QBXML>", encoding="utf-8")
    with pytest.raises(ValueError, match="has no HostQueryRq"):
        GEN.generate(ops)


def test_generator_refuses_a_reference_without_messages(tmp_path: Path) -> None:
    ops = tmp_path / "ops.xml"
    ops.write_text("<QBXML/>", encoding="utf-8")
    with pytest.raises(ValueError, match="has no QBXMLMsgsRq/QBXMLMsgsRs"):
        GEN.generate(ops)


SCHEMA = load_schema()

# The orders Intuit's reference (tests/fixtures/qbxmlops/) gives; the table must agree.
ORDERS = [
    ("CustomerAdd", ["Name", "IsActive", "ClassRef", "ParentRef", "CompanyName", "Salutation",
                     "FirstName", "MiddleName", "LastName", "JobTitle", "BillAddress",
                     "ShipAddress", "ShipToAddress", "Phone", "AltPhone", "Fax", "Email", "Cc",
                     "Contact", "AltContact"]),
    ("CustomerMod", ["ListID", "EditSequence", "Name", "IsActive"]),
    ("InvoiceAdd", ["CustomerRef", "ClassRef", "ARAccountRef", "TemplateRef", "TxnDate",
                    "RefNumber", "BillAddress", "ShipAddress", "IsPending", "IsFinanceCharge",
                    "PONumber", "TermsRef", "DueDate", "SalesRepRef", "FOB", "ShipDate",
                    "ShipMethodRef", "ItemSalesTaxRef", "Memo", "CustomerMsgRef",
                    "IsToBePrinted", "IsToBeEmailed", "CustomerSalesTaxCodeRef", "Other",
                    "ExchangeRate", "ExternalGUID", "LinkToTxnID", "SetCredit", "InvoiceLineAdd",
                    "InvoiceLineGroupAdd"]),
    ("ReceivePaymentAdd", ["CustomerRef", "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount",
                           "ExchangeRate", "PaymentMethodRef", "Memo", "DepositToAccountRef",
                           "CreditCardTxnInfo", "ExternalGUID", "IsAutoApply",
                           "AppliedToTxnAdd"]),
    ("DepositAdd", ["TxnDate", "DepositToAccountRef", "Memo", "CashBackInfoAdd", "CurrencyRef",
                    "ExchangeRate", "ExternalGUID", "DepositLineAdd"]),
    ("TxnDelRq", ["TxnDelType", "TxnID"]),
    ("TxnDeletedRet", ["TxnDelType", "TxnID", "TimeCreated", "TimeDeleted", "RefNumber"]),
    ("ListDeletedRet", ["ListDelType", "ListID", "TimeCreated", "TimeDeleted", "FullName"]),
    ("CustomerRet", ["ListID", "TimeCreated", "TimeModified", "EditSequence", "Name",
                     "FullName", "IsActive"]),
]


@pytest.mark.parametrize(("path", "prefix"), ORDERS)
def test_child_order(path: str, prefix: list[str]) -> None:
    assert list(SCHEMA.children(path)[: len(prefix)]) == prefix


# QuickBooks Desktop's max lengths, from the same reference.
MAX_LENGTHS = [
    ("CustomerAdd/Name", 41),
    ("CustomerAdd/CompanyName", 41),
    ("CustomerAdd/FirstName", 25),
    ("CustomerAdd/MiddleName", 5),  # QBOE allows 25; the QBD column wins
    ("CustomerAdd/BillAddress/Addr1", 41),
    ("CustomerAdd/BillAddress/City", 31),
    ("CustomerAdd/BillAddress/State", 21),
    ("CustomerAdd/BillAddress/PostalCode", 13),
    ("CustomerAdd/Email", 1023),
    ("CustomerAdd/ResaleNumber", 15),  # QBD 15, other editions 21/16
    ("CustomerAdd/AccountNumber", 99),
    ("CustomerAdd/Notes", 4095),
    ("CustomerMod/EditSequence", 16),
    ("InvoiceAdd/RefNumber", 11),
    ("InvoiceAdd/CustomerRef/FullName", 209),
    ("InvoiceAdd/PONumber", 25),
    ("InvoiceAdd/FOB", 13),
    ("InvoiceAdd/Other", 29),
    ("InvoiceAdd/InvoiceLineAdd/Desc", 4095),
    ("ReceivePaymentAdd/RefNumber", 20),
    ("DepositAdd/DepositLineAdd/CheckNumber", 11),
    ("DataExtDefAdd/DataExtName", 31),
    ("CustomerQueryRq/IncludeRetElement", 50),
    ("InvoiceAdd/TxnDate", None),  # dates have no length
    ("TxnDelRq/TxnID", 36),  # IDTYPE limit from qbxmltypes130.xsd
]


@pytest.mark.parametrize(("path", "max_length"), MAX_LENGTHS)
def test_max_length(path: str, max_length: int | None) -> None:
    assert SCHEMA.field(path).max_length == max_length


# When fields appeared (the reference's vX.Y notes); unstated versions inherit the parent's.
VERSIONS = [
    ("CustomerAdd/ExternalGUID", Version(8, 0)),
    ("InvoiceAdd/ExternalGUID", Version(9, 0)),
    ("InvoiceAdd/LinkToTxnID", Version(6, 0)),
    ("InvoiceAdd/SetCredit", Version(10, 0)),
    ("InvoiceAdd/SetCredit/CreditTxnID", Version(10, 0)),  # inherited from SetCredit
    ("InvoiceModRq", Version(2, 1)),
    ("DepositAddRq", Version(2, 0)),
    ("CustomerAdd/Name", Version(1, 0)),
    ("InvoiceAdd/InvoiceLineAdd/SerialNumber", Version(11, 0)),  # from the "v11.0, BEGIN OR"
    ("ErrorRecovery", Version(11, 0)),
]


@pytest.mark.parametrize(("path", "version"), VERSIONS)
def test_version_introduced(path: str, version: Version) -> None:
    assert SCHEMA.field(path).version == version


def test_field_details() -> None:
    name = SCHEMA.field("CustomerAdd/Name")
    assert (name.type, name.required, name.repeatable, name.path) == (
        "string", True, False, "CustomerAdd/Name")
    month = SCHEMA.field("CustomerAdd/CreditCardInfo/ExpirationMonth")
    assert (month.type, month.min_value, month.max_value) == ("int", 1, 12)
    status = SCHEMA.field("CustomerQueryRq/ActiveStatus")
    assert (status.values, status.default) == (("ActiveOnly", "InactiveOnly", "All"),
                                               "ActiveOnly")
    assert SCHEMA.field("InvoiceAdd/InvoiceLineAdd").repeatable


def test_choices() -> None:
    payment = SCHEMA.field("ReceivePaymentAdd")
    assert payment.groups == (ChoiceGroup(id=0, required=True),)
    assert SCHEMA.field("ReceivePaymentAdd/IsAutoApply").choice == ((0, 0),)
    assert SCHEMA.field("ReceivePaymentAdd/AppliedToTxnAdd").choice == ((0, 1),)
    query = SCHEMA.field("InvoiceQueryRq")
    assert query.groups[1] == ChoiceGroup(id=1, parent=((0, 3),))
    assert SCHEMA.field("InvoiceQueryRq/TxnDateRangeFilter").choice == ((0, 3), (1, 1))
    assert SCHEMA.field("InvoiceAdd").groups == (ChoiceGroup(id=0, repeat=True),)


def test_attributes() -> None:
    query = SCHEMA.field("CustomerQueryRq")
    iterator = query.attribute("iterator")
    assert iterator is not None
    assert iterator.values == ("Start", "Continue", "Stop")
    assert SCHEMA.field("AccountQueryRq").attribute("iterator") is None
    on_error = SCHEMA.field("QBXMLMsgsRq").attribute("onError")
    assert on_error is not None
    assert on_error.required
    status = SCHEMA.field("CustomerQueryRs").attribute("statusCode")
    assert status is not None
    assert status.required


def test_paths_through_bodies_and_response_references() -> None:
    assert SCHEMA.field("CustomerAddRq/CustomerAdd/Name") == SCHEMA.field("CustomerAdd/Name")
    assert SCHEMA.field("CustomerQueryRs/CustomerRet/Name") == SCHEMA.field("CustomerRet/Name")
    assert SCHEMA.field("CustomerQueryRs/CustomerRet") == SCHEMA.field("CustomerRet")
    assert SCHEMA.field("CustomerQueryRs").children == ("CustomerRet",)
    assert SCHEMA.children("CustomerAddRq") == ("CustomerAdd", "IncludeRetElement")


def test_unknown_paths() -> None:
    with pytest.raises(KeyError):
        SCHEMA.field("CustomerAdd/Colour")
    assert "CustomerAdd/Name" in SCHEMA
    assert "CustomerAdd/Colour" not in SCHEMA
    assert 42 not in SCHEMA


RETS = ["HostRet", "CompanyRet", "PreferencesRet", "AccountRet", "CustomerRet", "InvoiceRet",
        "ReceivePaymentRet", "DepositRet", "EstimateRet", "CreditMemoRet", "TxnDeletedRet",
        "ListDeletedRet", "DataExtRet", "DataExtDefRet", "ItemServiceRet", "ItemInventoryRet",
        "ItemNonInventoryRet", "ItemOtherChargeRet", "ItemDiscountRet", "ItemPaymentRet",
        "ItemSalesTaxRet", "ItemSubtotalRet", "ItemGroupRet", "ErrorRecovery"]


def test_every_in_scope_response_aggregate_is_a_root() -> None:
    roots = SCHEMA.roots()
    assert [name for name in RETS if name not in roots] == []
    assert all(SCHEMA.children(name) for name in RETS)


def test_editions_other_than_desktop_are_left_out() -> None:
    # Suffix is QBOE-only; TaxRegistrationNumber is not in QBD.
    assert "Suffix" not in SCHEMA.children("CustomerAdd")
    assert "TaxRegistrationNumber" not in SCHEMA.children("CustomerAdd")


def test_schema_reads_any_table() -> None:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    schema = Schema(table)
    assert schema.version == Version(13, 0)
    assert schema.roots() == SCHEMA.roots()
