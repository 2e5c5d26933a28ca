"""Typed values become qbXML text exactly as qbxmltypes130.xsd allows."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from qbxml.errors import InvalidFieldValueError
from qbxml.requests.filters import LocalDateTime
from qbxml.requests.policy import BuildContext, BuildPolicy
from qbxml.requests.values import format_value
from qbxml.schema import FieldSpec, load_schema
from qbxml.versions import Version

SCHEMA = load_schema()
UTC = dt.UTC


def _context(**policy: str) -> BuildContext:
    return BuildContext(policy=BuildPolicy(**policy),  # type: ignore[arg-type]
                        version=Version(13, 0), request_id="r")


FORMATTED = [
    ("CustomerAdd/CreditLimit", Decimal("5"), "5.00"),  # amount: whole number gets 2 decimals
    ("CustomerAdd/CreditLimit", Decimal("1.500"), "1.50"),  # trailing zero beyond cents is exact
    ("CustomerAdd/CreditLimit", Decimal("-0.10"), "-0.10"),  # negative amount
    ("CustomerAdd/CreditLimit", Decimal("9999999999999.99"), "9999999999999.99"),  # 13 digits
    ("InvoiceAdd/InvoiceLineAdd/Rate", Decimal("100.123450"), "100.12345"),  # price: 5 decimals
    ("InvoiceAdd/InvoiceLineAdd/Rate", Decimal("1E+2"), "100"),  # no exponent notation
    ("InvoiceAdd/InvoiceLineAdd/Quantity", Decimal("2.50"), "2.5"),  # quantity
    ("InvoiceAdd/InvoiceLineAdd/RatePercent", Decimal("-7"), "-7"),  # percent
    ("InvoiceAdd/ExchangeRate", Decimal("1.234567"), "1.234567"),  # float type: any decimals
    ("CustomerQueryRq/MaxReturned", 1, "1"),  # int at its minimum
    ("CustomerAdd/IsActive", False, "false"),  # bool
    ("CustomerAdd/IsActive", True, "true"),  # bool
    ("CustomerAdd/JobStartDate", dt.date(2024, 2, 29), "2024-02-29"),  # date
    ("CustomerQueryRq/FromModifiedDate", dt.datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=UTC),
     "2024-01-02T03:04:05+00:00"),  # datetime: offset kept, fraction dropped
    ("CustomerQueryRq/FromModifiedDate",
     dt.datetime(2024, 7, 1, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
     "2024-07-01T23:00:00+05:30"),  # datetime with a half-hour offset
    ("InvoiceQueryRq/ModifiedDateRangeFilter/FromModifiedDate",
     LocalDateTime(dt.datetime(2024, 11, 3, 1, 30, 9, 5)),  # noqa: DTZ001
     "2024-11-03T01:30:09"),  # QuickBooks' wall clock: no offset, fraction dropped
    ("CustomerAdd/ExternalGUID", uuid.UUID("6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"),
     "{6F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B}"),  # UUID object
    ("CustomerAdd/ExternalGUID", "{6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b}",
     "{6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b}"),  # GUID string as given
    ("CompanyQueryRq/OwnerID", "0", "0"),  # OwnerID 0: the QuickBooks UI's custom fields
    ("CustomerAdd/JobStatus", "Awarded", "Awarded"),  # enum
    ("CustomerAdd/Name", 'A & B "<x>" \'q\'', "A &amp; B &quot;&lt;x&gt;&quot; 'q'"),  # escape
]


@pytest.mark.parametrize(("path", "value", "text"), FORMATTED)
def test_formatted(path: str, value: object, text: str) -> None:
    context = _context()
    assert format_value(SCHEMA.field(path), value, context) == text
    assert context.warnings == []


REFUSED = [
    ("CustomerAdd/CreditLimit", 5.0, "expected Decimal, got float"),  # floats lose cents
    ("CustomerAdd/CreditLimit", 5, "expected Decimal, got int"),  # ints are not money either
    ("CustomerAdd/CreditLimit", Decimal("1.005"), "1.005 has more than 2 decimals"),
    ("CustomerAdd/CreditLimit", Decimal("NaN"), "NaN is not a number"),
    ("CustomerAdd/CreditLimit", Decimal("10000000000000"),
     "10000000000000 has more than 13 integer digits"),
    ("InvoiceAdd/InvoiceLineAdd/Rate", Decimal("0.000001"), "0.000001 has more than 5 decimals"),
    ("InvoiceAdd/InvoiceLineAdd/Quantity", Decimal("12345678901"),
     "12345678901 has more than 10 integer digits"),
    ("InvoiceAdd/ExchangeRate", 1.5, "expected Decimal, got float"),
    ("InvoiceAdd/ExchangeRate", Decimal("Infinity"), "Infinity is not a number"),
    ("CustomerQueryRq/MaxReturned", 0, "0 is below 1"),  # min value from the table
    ("CustomerAdd/CreditCardInfo/ExpirationMonth", 13, "13 is above 12"),  # max value
    ("CustomerQueryRq/MaxReturned", True, "expected int, got bool"),  # bool is not a count
    ("CustomerAdd/IsActive", "true", "expected bool, got str"),
    ("CustomerAdd/JobStartDate", dt.datetime(2024, 1, 1, tzinfo=UTC),
     "expected a date, got a datetime"),
    ("CustomerAdd/JobStartDate", "2024-01-01", "expected date, got str"),
    ("CustomerQueryRq/FromModifiedDate", dt.datetime(2024, 1, 1),  # noqa: DTZ001
     "naive datetime; give it a timezone"),
    ("CustomerAdd/ExternalGUID", "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
     "'6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' is not {8-4-4-4-12} or 0"),  # braces required
    ("CustomerAdd/ExternalGUID", 7, "expected str or UUID, got int"),
    ("CustomerAdd/JobStatus", "Won", "'Won' is not one of Awarded, Closed, InProgress, None,"
     " NotAwarded, Pending"),
    ("CustomerAdd/JobStatus", 1, "expected str, got int"),
    ("CustomerAdd/Name", 42, "expected str, got int"),
]


@pytest.mark.parametrize(("path", "value", "reason"), REFUSED)
def test_refused(path: str, value: object, reason: str) -> None:
    with pytest.raises(InvalidFieldValueError) as caught:
        format_value(SCHEMA.field(path), value, _context())
    assert (caught.value.path, caught.value.reason) == (path, reason)


@pytest.mark.parametrize(
    ("rounding", "value", "text"),
    [
        ("half_up", Decimal("1.005"), "1.01"),  # half away from zero
        ("half_even", Decimal("1.005"), "1.00"),  # banker's rounding
        ("half_up", Decimal("-2.675"), "-2.68"),  # negative half rounds away from zero
    ],
)
def test_rounding_policy_rounds_and_warns(rounding: str, value: Decimal, text: str) -> None:
    context = _context(rounding=rounding)
    assert format_value(SCHEMA.field("CustomerAdd/CreditLimit"), value, context) == text
    [warning] = context.warnings
    assert (warning.path, warning.kind, warning.detail) == (
        "CustomerAdd/CreditLimit", "rounded", f"{value} -> {text}")


def test_text_is_transliterated_with_a_warning() -> None:
    context = _context()
    assert format_value(SCHEMA.field("CustomerAdd/Name"), "Nguyễn Đức", context) == "Nguyen Duc"
    [warning] = context.warnings
    assert (warning.kind, warning.path) == ("transliterated", "CustomerAdd/Name")
    assert warning.detail == "'ễĐứ' not in Windows-1252: 'Nguyễn Đức' -> 'Nguyen Duc'"


def test_text_replacement_policy_warns_as_replaced() -> None:
    context = _context(text="replace")
    assert format_value(SCHEMA.field("CustomerAdd/Name"), "Łukasz", context) == "?ukasz"
    assert [w.kind for w in context.warnings] == ["replaced"]


def test_truncation_policy_cuts_after_transliteration_and_warns() -> None:
    context = _context(too_long="truncate")
    text = format_value(SCHEMA.field("CustomerAdd/MiddleName"), "Ăbcdefg", context)
    assert text == "Abcde"
    assert [(w.kind, w.detail) for w in context.warnings][-1] == (
        "truncated", "cut to 5 characters: 'Abcde'")


def test_cp1252_punctuation_is_kept_without_warning() -> None:
    context = _context()
    value = "“Smart” ‘quotes’ – em — dash … €5"
    assert format_value(SCHEMA.field("InvoiceAdd/Memo"), value, context) == value
    assert context.warnings == []


@pytest.mark.parametrize("wall", [dt.datetime(2024, 1, 1, tzinfo=UTC), "2024-01-01T00:00:00"])
def test_a_local_date_time_is_a_naive_datetime(wall: object) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        LocalDateTime(wall)  # type: ignore[arg-type]


def test_type_without_writer_is_refused() -> None:
    spec = FieldSpec(name="Duration", path="X/Duration", type="interval", version=Version(1, 0))
    with pytest.raises(InvalidFieldValueError, match="cannot write interval values"):
        format_value(spec, "PT1H", _context())
