"""The writer refuses what QuickBooks would refuse, before anything is sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest
from attrs import frozen

from qbxml.envelope import build_message
from qbxml.errors import (
    FieldTooLongError,
    InvalidFieldValueError,
    QbxmlBuildError,
    UnsupportedFieldError,
)
from qbxml.requests import (
    AccountQuery,
    Address,
    AppliedToTxnAdd,
    CustomerAdd,
    CustomerQuery,
    DataExtAdd,
    DepositAdd,
    DepositLineAdd,
    HostQuery,
    InvoiceAdd,
    InvoiceLineAdd,
    InvoiceQuery,
    ReceivePaymentAdd,
    Ref,
    Request,
    ShipToAddress,
    TxnDateRangeFilter,
)
from qbxml.requests.base import IteratorQuery
from qbxml.requests.filters import ListFilters
from qbxml.requests.policy import BuildPolicy
from qbxml.versions import Version
from tests.qbxml_schema import assert_valid_qbxml

ACME = Ref(full_name="Acme")


def test_42_character_customer_name_is_refused_naming_the_field() -> None:
    with pytest.raises(FieldTooLongError) as caught:
        build_message({"c": CustomerAdd(name="N" * 42)})
    assert caught.value.path == "CustomerAdd/Name"
    assert (caught.value.length, caught.value.max_length) == (42, 41)


def test_41_character_customer_name_is_sent() -> None:
    xml = build_message({"c": CustomerAdd(name="N" * 41)}).xml
    assert f"<Name>{'N' * 41}</Name>" in xml


@frozen(kw_only=True)
class _AccountIterator(ListFilters, IteratorQuery):
    """AccountQueryRq has no iterator attribute in 13.0: the writer must notice."""

    RQ: ClassVar[str] = "AccountQueryRq"


class _NotAttrs(Request):
    RQ: ClassVar[str] = "HostQueryRq"


@frozen(kw_only=True)
class _Stray(Request):
    """A request with an attribute that names no element of CustomerQueryRq."""

    RQ: ClassVar[str] = "CustomerQueryRq"
    colour: str | None = None


REFUSED: list[tuple[Any, type[QbxmlBuildError], str]] = [
    # two alternatives of one choice: TxnID list and RefNumber list
    (InvoiceQuery(txn_id=("1",), ref_number=("2",)), InvalidFieldValueError,
     "InvoiceQueryRq: choose one of the alternatives, not TxnID | RefNumber"),
    # ReceivePaymentAdd must say how the payment is applied (required XSD choice)
    (ReceivePaymentAdd(customer_ref=ACME), InvalidFieldValueError,
     "ReceivePaymentAdd: needs one of IsAutoApply | AppliedToTxnAdd"),
    # ... and not both ways at once
    (ReceivePaymentAdd(customer_ref=ACME, is_auto_apply=True,
                       applied_to=(AppliedToTxnAdd(txn_id="1"),)), InvalidFieldValueError,
     "ReceivePaymentAdd: choose one of the alternatives, not IsAutoApply | AppliedToTxnAdd"),
    # a required element left out
    (InvoiceAdd(memo="x"), InvalidFieldValueError, "InvoiceAdd/CustomerRef: is required"),
    # inside the chosen branch, the branch's required elements are required
    (DataExtAdd(owner_id="0", data_ext_name="n", data_ext_value="v",
                list_data_ext_type="Customer"), InvalidFieldValueError,
     "DataExtAdd/ListObjRef: is required"),
    # a nested required choice only counts once its branch is chosen
    (InvoiceQuery(txn_date_range_filter=TxnDateRangeFilter()), InvalidFieldValueError,
     "InvoiceQueryRq/TxnDateRangeFilter: is empty; set at least one of its fields"),
    # an empty reference would be an empty element
    (InvoiceAdd(customer_ref=Ref()), InvalidFieldValueError,
     "InvoiceAdd/CustomerRef: is empty; set at least one of its fields"),
    # rate and percent are alternatives on a line
    (InvoiceAdd(customer_ref=ACME, lines=(InvoiceLineAdd(rate=Decimal(1),
                                                         rate_percent=Decimal(2)),)),
     InvalidFieldValueError,
     "InvoiceAdd/InvoiceLineAdd: choose one of the alternatives, not Rate | RatePercent"),
    # a deposit line is a payment OR a plain line
    (DepositAdd(deposit_to_account_ref=ACME,
                lines=(DepositLineAdd(payment_txn_id="1", amount=Decimal("1.00")),)),
     InvalidFieldValueError,
     "DepositAdd/DepositLineAdd: choose one of the alternatives, not PaymentTxnID | Amount"),
    # a ShipToAddress's name has no place in BillAddress
    (CustomerAdd(name="A", bill_address=ShipToAddress(name="Depot")), InvalidFieldValueError,
     "CustomerAdd/BillAddress: ShipToAddress.name has no element here"),
    # an attribute of the request itself that names no element
    (_Stray(colour="red"), InvalidFieldValueError,
     "CustomerQueryRq: _Stray.colour has no element here"),
    # an aggregate needs an object, not a string
    (CustomerAdd(name="A", bill_address="1 Main St"),  # type: ignore[arg-type]
     InvalidFieldValueError, "CustomerAdd/BillAddress: expected an attrs object, got str"),
    # a request must be an attrs object
    (_NotAttrs(), InvalidFieldValueError, "HostQueryRq: expected an attrs object, got _NotAttrs"),
    # repeating elements take tuples: a bare string would be split into letters
    (HostQuery(include_ret_element="Name"),  # type: ignore[arg-type]
     InvalidFieldValueError, "HostQueryRq/IncludeRetElement: expected a tuple: it repeats"),
    # single elements take one value
    (CustomerAdd(name="A", bill_address=(Address(city="X"),)),  # type: ignore[arg-type]
     InvalidFieldValueError, "CustomerAdd/BillAddress: expected one value"),
    # AccountQuery has no iterator in qbXML 13.0
    (_AccountIterator().start(), InvalidFieldValueError,
     "AccountQueryRq@iterator: AccountQueryRq does not take iterator"),
    # iterator values come from the table
    (CustomerQuery(iterator="Restart"),  # type: ignore[arg-type]
     InvalidFieldValueError,
     "CustomerQueryRq@iterator: 'Restart' is not one of Start, Continue, Stop"),
    # Continue needs the iteratorID QuickBooks returned
    (CustomerQuery(iterator="Continue"), InvalidFieldValueError,
     "CustomerQueryRq@iteratorID: goes with iterator Continue or Stop, and only with them"),
    # an iteratorID alone means nothing
    (CustomerQuery(iterator_id="{X}"), InvalidFieldValueError,
     "CustomerQueryRq@iteratorID: goes with iterator Continue or Stop, and only with them"),
    # enum values come from the table
    (AccountQuery(account_type=("Piggybank",)), InvalidFieldValueError,
     "AccountQueryRq/AccountType: 'Piggybank' is not one of AccountsPayable, AccountsReceivable,"
     " Bank, CostOfGoodsSold, CreditCard, Equity, Expense, FixedAsset, Income, LongTermLiability,"
     " NonPosting, OtherAsset, OtherCurrentAsset, OtherCurrentLiability, OtherExpense,"
     " OtherIncome"),
]


@pytest.mark.parametrize(("request_object", "error", "message"), REFUSED)
def test_refused_before_sending(
    request_object: Request, error: type[QbxmlBuildError], message: str
) -> None:
    with pytest.raises(error) as caught:
        build_message({"r": request_object})
    assert str(caught.value) == message


def test_fields_come_out_in_schema_order_whatever_the_keyword_order() -> None:
    first = CustomerAdd(phone="1", name="A", company_name="C", is_active=True)
    second = CustomerAdd(is_active=True, company_name="C", name="A", phone="1")
    xml = build_message({"c": first}).xml
    assert xml == build_message({"c": second}).xml
    order = [xml.index(tag) for tag in ("<Name>", "<IsActive>", "<CompanyName>", "<Phone>")]
    assert order == sorted(order)


def test_request_without_fields_is_an_empty_element() -> None:
    xml = build_message({"h": HostQuery()}).xml
    assert '    <HostQueryRq requestID="h"/>' in xml.splitlines()
    assert_valid_qbxml(xml)


def test_request_newer_than_message_version_is_refused() -> None:
    deposit = DepositAdd(deposit_to_account_ref=ACME)
    with pytest.raises(UnsupportedFieldError) as caught:
        build_message({"d": deposit}, version=Version(1, 1))
    assert (caught.value.path, caught.value.introduced, caught.value.version) == (
        "DepositAddRq", "2.0", "1.1")


def test_newer_field_is_refused_by_default() -> None:
    customer = CustomerAdd(name="A", external_guid="0", phone="1")
    with pytest.raises(UnsupportedFieldError) as caught:
        build_message({"c": customer}, version=Version(7, 0))
    assert str(caught.value) == (
        "CustomerAdd/ExternalGUID needs qbXML 8.0 but the message is qbXML 7.0"
    )


def test_newer_field_is_dropped_with_a_warning_when_asked() -> None:
    customer = CustomerAdd(name="A", external_guid="0", phone="1")
    message = build_message({"c": customer}, version=Version(7, 0),
                            policy=BuildPolicy(newer_fields="drop"))
    assert "ExternalGUID" not in message.xml
    assert "<Phone>1</Phone>" in message.xml
    assert '<?qbxml version="7.0"?>' in message.xml
    [warning] = message.warnings
    assert (warning.request_id, warning.path, warning.kind, warning.detail) == (
        "c", "CustomerAdd/ExternalGUID", "dropped", "needs qbXML 8.0")


def test_iterator_helpers_keep_the_filters() -> None:
    first = CustomerQuery(max_returned=100, active_status="All").start()
    page = first.continue_("{ABC}")
    stop = first.stop("{ABC}")
    assert (first.iterator, first.iterator_id) == ("Start", None)
    assert (page.iterator, page.iterator_id, page.max_returned) == ("Continue", "{ABC}", 100)
    assert (stop.iterator, stop.active_status) == ("Stop", "All")
    assert attrs.evolve(page, iterator=None, iterator_id=None) == attrs.evolve(
        first, iterator=None)
