"""Every text the API stores as it came fits its column: the schema's maxLength is at most
the column's length, so PostgreSQL never refuses a value the API accepted (SQLite would keep
it whole, and the two databases would differ)."""

from __future__ import annotations

from typing import Any

import pytest

from qbwc_server.api.openapi import document
from qbwc_server.store.limits import fit, max_length
from qbwc_server.store.models import Company, IdempotencyKey, SyncRecord, SyncSettings


def _schema(name: str) -> dict[str, Any]:
    found = document()["components"]["schemas"][name]
    assert isinstance(found, dict)
    return found


def _max(schema: dict[str, Any]) -> int:
    for option in schema.get("anyOf", schema.get("oneOf", [schema])):
        if "maxLength" in option:
            return int(option["maxLength"])
    raise AssertionError(f"no maxLength in {schema}")


@pytest.mark.parametrize(("schema", "field", "column"), [
    ("CompanyInput", "name", Company.name),
    ("CompanyInput", "company_file_path", Company.company_file_path),
    ("SettingsInput", "payment_account", SyncSettings.payment_account),
    ("SettingsInput", "deposit_account", SyncSettings.deposit_account),
    ("CustomerInput", "external_id", SyncRecord.external_id),
    ("InvoiceInput", "external_id", SyncRecord.external_id),
    ("PaymentInput", "external_id", SyncRecord.external_id),
    ("DepositInput", "external_id", SyncRecord.external_id),
    ("EntityRefInput", "qb_id", SyncRecord.qb_id),
])
def test_schema_lengths_fit_their_columns(schema: str, field: str, column: Any) -> None:
    assert _max(_schema(schema)["properties"][field]) <= max_length(column)


def test_the_idempotency_key_header_fits_its_column() -> None:
    header = document()["components"]["parameters"]["idempotency_key"]["schema"]
    assert header["maxLength"] == max_length(IdempotencyKey.key)


def test_fit_cuts_to_the_column_and_keeps_none() -> None:
    assert fit("x" * 500, Company.qb_country) == "x" * max_length(Company.qb_country)
    assert fit(None, Company.qb_country) is None
    with pytest.raises(TypeError, match="not a String column"):
        max_length(Company.last_error)
