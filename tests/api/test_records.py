"""Records: upsert by the platform's id, read by either id, lists with cursors, reversal,
archive and retry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from qbwc_server.api.http import cursor
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.store.models import SyncRecord
from tests.api.conftest import ApiClient, assert_problem

PAYMENT = {"customer": {"name": "Ada Lovelace"}, "amount": "150.00", "date": "2026-01-05",
           "reference": "ch_123", "applications": [{"invoice": {"name": "1001"},
                                                    "amount": "150.00"}]}
BODIES: dict[str, dict[str, Any]] = {
    "customers": {"name": "Ada Lovelace", "email": "ada@example.com",
                  "bill_address": {"lines": ["1 Analytical Way"], "city": "London"}},
    "invoices": {"customer": {"name": "Ada Lovelace"}, "number": "1001",
                 "txn_date": "2026-01-05", "due_date": "2026-02-04",
                 "lines": [{"item": {"name": "Consulting"}, "quantity": "2",
                            "rate": "75.00", "amount": "150.00"}]},
    "payments": PAYMENT,
    "deposits": {"bank_account": {"name": "Checking"}, "date": "2026-01-06",
                 "payments": [{"payment": {"name": "pay-1"}, "amount": "150.00"}]},
}


@pytest.mark.parametrize("plural", list(BODIES))
def test_put_then_read_by_either_id(api: ApiClient, acme: str, services: Services,
                                    plural: str) -> None:
    response = api.put(f"/companies/Acme/{plural}/x-1", json=BODIES[plural])
    assert response.status_code == 200
    record = response.get_json()
    assert record["external_id"] == "x-1"
    assert record["push"] == {"state": "pending", "action": "add", "error": None}
    assert api.get(f"/companies/Acme/{plural}/x-1").get_json() == record
    kind = plural.removesuffix("s")
    with services.db.transaction() as session:
        session.execute(update(SyncRecord).where(SyncRecord.external_id == "x-1")
                        .values(qb_id="80000001-1", push_state="synced"))
    by_qb = api.get(f"/companies/Acme/{plural}/qb/80000001-1").get_json()
    assert (by_qb["kind"], by_qb["external_id"], by_qb["qb_id"]) == (kind, "x-1", "80000001-1")


def test_money_stays_exact(api: ApiClient, acme: str) -> None:
    record = api.put("/companies/Acme/payments/p1", json=PAYMENT).get_json()
    assert record["data"]["amount"] == "150.00"
    assert record["data"]["applications"][0]["amount"] == "150.00"


def test_the_same_put_twice_changes_nothing(api: ApiClient, acme: str, services: Services,
                                            clock: FakeClock) -> None:
    first = api.put("/companies/Acme/payments/p1", json=PAYMENT)
    clock.advance(minutes=1)
    second = api.put("/companies/Acme/payments/p1", json=PAYMENT)
    assert second.status_code == first.status_code == 200
    assert second.get_json() == first.get_json()
    assert services.sync.counts("Acme") == {"payment": {"pending": 1}}


def test_a_changed_put_replaces_a_pending_record(api: ApiClient, acme: str) -> None:
    api.put("/companies/Acme/payments/p1", json=PAYMENT)
    changed = api.put("/companies/Acme/payments/p1", json={**PAYMENT, "amount": "120.00",
                                                           "applications": []})
    assert changed.get_json()["data"]["amount"] == "120.00"


def test_a_payment_in_quickbooks_cannot_be_changed(api: ApiClient, acme: str,
                                                   services: Services) -> None:
    api.put("/companies/Acme/payments/p1", json=PAYMENT)
    with services.db.transaction() as session:
        session.execute(update(SyncRecord).values(push_state="synced", qb_id="1-1"))
    response = api.put("/companies/Acme/payments/p1", json={**PAYMENT, "amount": "1.00",
                                                           "applications": []})
    assert_problem(response, 409, "conflict")
    assert "already recorded" in response.get_json()["detail"]


def test_types_the_company_does_not_push_are_409(api: ApiClient, services: Services) -> None:
    services.companies.add("Acme")  # default profile: customers and invoices are pulled
    response = api.put("/companies/Acme/customers/c1", json=BODIES["customers"])
    assert_problem(response, 409, "not-pushed")
    assert "does not push customers" in response.get_json()["detail"]
    assert api.post("/companies/Acme/customers/c1/archive").status_code == 409


@pytest.mark.parametrize(("body", "field"), [
    ({**PAYMENT, "amount": 150.0}, "amount"),                      # money as a JSON number
    ({**PAYMENT, "amount": "150.001"}, "amount"),                  # sub-cent money
    ({**PAYMENT, "tip": "1.00"}, "tip"),                           # unknown field
    ({**PAYMENT, "qb_id": "1-1"}, "qb_id"),                        # read-only field
    ({"amount": "1.00"}, "customer"),                              # missing field
    ({**PAYMENT, "customer": {}}, "customer"),                     # empty reference
    ({**PAYMENT, "applications": [{"amount": "1.00", "invoice": {"nmae": "1"}}]},
     "applications.0.invoice.nmae"),                               # typo deep inside
    ({**PAYMENT, "date": "2026-02-30"}, "date"),                   # no such day
    ({**PAYMENT, "external_id": "p2"}, "external_id"),             # disagrees with the URL
])
def test_invalid_bodies_are_422_naming_the_field(api: ApiClient, acme: str,
                                                 body: dict[str, Any], field: str) -> None:
    response = api.put("/companies/Acme/payments/p1", json=body)
    assert response.status_code == 422, response.get_json()
    assert field in [error["field"] for error in response.get_json()["errors"]]


def test_a_record_the_mappers_refuse_is_422(api: ApiClient, acme: str) -> None:
    body = {**PAYMENT, "applications": [{"amount": "1.00"}]}  # applied to nothing
    response = api.put("/companies/Acme/payments/p1", json=body)
    assert response.status_code == 422
    assert "invoice" in response.get_json()["detail"]


def test_missing_records_and_companies_are_404(api: ApiClient, acme: str) -> None:
    for path in ("/companies/Acme/payments/nope", "/companies/Acme/invoices/qb/1-1",
                 "/companies/Nobody/payments/p1", "/companies/Nobody/payments"):
        response = api.get(path)
        assert_problem(response, 404, "not-found")


def test_lists_page_with_cursors(api: ApiClient, acme: str) -> None:
    for n in range(5):
        api.put(f"/companies/Acme/payments/p{n}", json=PAYMENT)
    seen, after, pages = [], None, 0
    while True:
        query = "?limit=2" + (f"&after={after}" if after else "")
        page = api.get(f"/companies/Acme/payments{query}").get_json()
        seen += [record["external_id"] for record in page["data"]]
        pages += 1
        after = page["next_cursor"]
        if after is None:
            break
    assert seen == [f"p{n}" for n in range(5)]
    assert pages == 3


def test_lists_filter_by_updated_since(api: ApiClient, acme: str, clock: FakeClock) -> None:
    api.put("/companies/Acme/payments/old", json=PAYMENT)
    clock.advance(hours=1)
    since = clock.now()
    api.put("/companies/Acme/payments/new", json=PAYMENT)
    for text in (since.isoformat(), since.isoformat().replace("+00:00", "Z")):
        page = api.get("/companies/Acme/payments", query_string={"updated_since": text})
        assert [r["external_id"] for r in page.get_json()["data"]] == ["new"]
    earlier = (since - timedelta(days=1)).isoformat()
    page = api.get(f"/companies/Acme/payments?updated_since={earlier}")  # "+" sent raw
    assert len(page.get_json()["data"]) == 2


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"),
    ("limit=%C2%B2", "limit"),  # a superscript 2: isdigit() says yes, int() raises
    ("limit=" + "9" * 5000, "limit"),  # past int()'s 4,300-digit limit
    ("limit=%D9%A3", "limit"),  # an Arabic-Indic 3, which int() reads
    (f"after={cursor('payment', 2**63)}", "after"),  # past SQLite's integers
    (f"after={cursor('payment', 2**31)}", "after"),  # past PostgreSQL's Integer ids
    ("after=garbage!", "after"), ("updated_since=yesterday", "updated_since"),
    ("updated_since=2026-01-05T09:00:00", "updated_since"),  # no offset
])
def test_bad_query_parameters_are_400(api: ApiClient, acme: str, query: str,
                                      field: str) -> None:
    response = api.get(f"/companies/Acme/payments?{query}")
    assert_problem(response, 400, "invalid-request")
    assert response.get_json()["errors"][0]["field"] == field


def test_a_cursor_from_another_list_is_refused(api: ApiClient, acme: str) -> None:
    for n in range(3):
        api.put(f"/companies/Acme/payments/p{n}", json=PAYMENT)
    cursor = api.get("/companies/Acme/payments?limit=1").get_json()["next_cursor"]
    assert api.get(f"/companies/Acme/customers?after={cursor}").status_code == 400


def test_reverse_a_payment(api: ApiClient, acme: str, services: Services) -> None:
    api.put("/companies/Acme/payments/p1", json=PAYMENT)
    with services.db.transaction() as session:
        session.execute(update(SyncRecord).values(push_state="synced", qb_id="1-1"))
    response = api.post("/companies/Acme/payments/p1/reversal")
    assert response.status_code == 200
    assert response.get_json()["push"] == {"state": "pending", "action": "delete",
                                            "error": None}
    assert api.post("/companies/Acme/payments/p1/reversal").get_json() == response.get_json()
    assert api.post("/companies/Acme/payments/nope/reversal").status_code == 404


def test_archive_a_customer(api: ApiClient, acme: str) -> None:
    api.put("/companies/Acme/customers/c1", json=BODIES["customers"])
    response = api.post("/companies/Acme/customers/c1/archive")
    assert response.status_code == 200
    assert response.get_json()["push"]["action"] == "archive"


def test_retry_a_failed_record(api: ApiClient, acme: str, services: Services) -> None:
    api.put("/companies/Acme/payments/p1", json=PAYMENT)
    not_failed = api.post("/companies/Acme/payments/p1/retry")
    assert_problem(not_failed, 409, "conflict")
    with services.db.transaction() as session:
        session.execute(update(SyncRecord).values(push_state="failed", push_error="no"))
    failed = api.get("/companies/Acme/payments/p1").get_json()
    assert failed["push"] == {"state": "failed", "action": "add", "error": "no"}
    retried = api.post("/companies/Acme/payments/p1/retry").get_json()
    assert retried["push"] == {"state": "pending", "action": "add", "error": None}


def test_a_record_on_its_way_to_quickbooks_is_409(api: ApiClient, acme: str,
                                                  services: Services) -> None:
    api.put("/companies/Acme/payments/p1", json=PAYMENT)
    with services.db.transaction() as session:
        session.execute(update(SyncRecord).values(push_state="sent"))
    response = api.put("/companies/Acme/payments/p1", json={**PAYMENT, "amount": "2.00",
                                                           "applications": []})
    assert response.status_code == 409
    assert "try again later" in response.get_json()["detail"]
