"""Amounts QuickBooks would refuse, or book differently, are refused before they are queued:
a 422 naming the field and saying what to send instead, and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from qbwc_server.app import Services
from tests.api.conftest import ApiClient, assert_problem

PAYMENT = {"customer": {"name": "Ada Lovelace"}, "amount": "150.00",
           "applications": [{"invoice": {"name": "1001"}, "amount": "150.00"}]}
INVOICE = {"customer": {"name": "Ada Lovelace"}, "number": "1001",
           "lines": [{"item": {"name": "Consulting"}, "quantity": "2", "rate": "75.00"}]}
DEPOSIT = {"bank_account": {"name": "Checking"},
           "payments": [{"payment": {"name": "pay-1"}, "amount": "150.00"}]}


def refused(api: ApiClient, services: Services, path: str, body: dict[str, Any]) -> list[
        dict[str, str]]:
    """PUT ``body``: a 422 whose errors name the fields; nothing new is stored."""
    before = services.sync.counts("Acme")
    response = api.put(path, json=body)
    assert_problem(response, 422, "validation-error")
    assert services.sync.counts("Acme") == before
    errors: list[dict[str, str]] = response.get_json()["errors"]
    assert response.get_json()["detail"].startswith(errors[0]["field"])
    return errors


def test_a_negative_payment_is_refused_and_says_what_to_send_instead(
    api: ApiClient, acme: str, services: Services
) -> None:
    errors = refused(api, services, "/companies/Acme/payments/pay-1",
                     {**PAYMENT, "amount": "-20.00", "applications": []})
    assert [error["field"] for error in errors] == ["amount"]
    message = errors[0]["message"]
    assert "send the amount the customer paid as a positive number" in message
    assert "reverse it" in message
    assert "refund" in message
    assert_problem(api.get("/companies/Acme/payments/pay-1"), 404, "not-found")


@pytest.mark.parametrize(("plural", "body", "fields"), [
    # A payment of nothing.
    ("payments", {**PAYMENT, "amount": "0.00", "applications": []}, ["amount"]),
    # Nothing, or less than nothing, applied to an invoice.
    ("payments", {**PAYMENT, "applications": [{"invoice": {"name": "1001"}, "amount": "0.00"},
                                              {"invoice": {"name": "1002"},
                                               "amount": "-5.00"}]},
     ["applications.0.amount", "applications.1.amount"]),
    # More applied to invoices than was paid.
    ("payments", {**PAYMENT, "applications": [{"invoice": {"name": "1001"}, "amount": "100.00"},
                                              {"invoice": {"name": "1002"},
                                               "amount": "60.00"}]},
     ["applications"]),
    # A negative payment inside a deposit, and a negative total.
    ("deposits", {**DEPOSIT, "total": "-150.00",
                  "payments": [{"payment": {"name": "pay-1"}, "amount": "-150.00"}]},
     ["total", "payments.0.amount"]),
    # A deposit total that is not what its payments add up to.
    ("deposits", {**DEPOSIT, "total": "160.00"}, ["total"]),
    # A line whose amount is not quantity x rate rounded half up (2 x 75.005 = 150.01).
    ("invoices", {**INVOICE, "lines": [{"quantity": "2", "rate": "75.005", "amount": "150.00",
                                        "item": {"name": "Consulting"}}]},
     ["lines.0.amount"]),
    # A total the lines do not add up to.
    ("invoices", {**INVOICE, "total": "200.00"}, ["total"]),
    # ... nor the lines plus the stated tax.
    ("invoices", {**INVOICE, "total": "150.00", "tax_total": "12.00"}, ["total"]),
])
def test_amounts_quickbooks_would_refuse_are_422_naming_the_field(
    api: ApiClient, acme: str, services: Services, plural: str, body: dict[str, Any],
    fields: list[str],
) -> None:
    errors = refused(api, services, f"/companies/Acme/{plural}/x-1", body)
    assert [error["field"] for error in errors] == fields


def test_a_deposited_amount_must_be_the_whole_payment(api: ApiClient, acme: str,
                                                      services: Services) -> None:
    assert api.put("/companies/Acme/payments/pay-1", json=PAYMENT).status_code == 200
    errors = refused(api, services, "/companies/Acme/deposits/d-1", {
        **DEPOSIT, "payments": [{"payment": {"name": "pay-1"}, "amount": "100.00"}]})
    assert errors == [{"field": "payments.0.amount", "message": (
        "payment pay-1 is 150.00, but 100.00 is given: QuickBooks deposits a payment whole, "
        "so give its amount or leave the amount out.")}]
    assert api.put("/companies/Acme/deposits/d-1", json=DEPOSIT).status_code == 200
    # Left out, the amount is QuickBooks' to know: the deposit is taken.
    assert api.put("/companies/Acme/deposits/d-2", json={
        **DEPOSIT, "payments": [{"payment": {"name": "pay-1"}}]}).status_code == 200


def test_a_refused_change_keeps_the_pending_record(api: ApiClient, acme: str,
                                                   services: Services) -> None:
    first = api.put("/companies/Acme/payments/pay-1", json=PAYMENT).get_json()
    refused(api, services, "/companies/Acme/payments/pay-1", {**PAYMENT, "amount": "-1.00"})
    assert api.get("/companies/Acme/payments/pay-1").get_json() == first


@pytest.mark.parametrize(("lines", "tax_total", "total"), [
    # 3 x 1.335 = 4.005, which QuickBooks rounds half up to 4.01; a discount line counts.
    ([{"quantity": "3", "rate": "1.335"}, {"amount": "-1.00"}], None, "3.01"),
    # A rate alone counts once; the stated tax is added.
    ([{"rate": "19.99"}, {"quantity": "2", "rate": "0.125"}], "1.60", "21.84"),
])
def test_an_invoice_without_a_total_gets_the_one_quickbooks_will_book(
    api: ApiClient, acme: str, lines: list[dict[str, str]], tax_total: str | None, total: str
) -> None:
    body: dict[str, Any] = {**INVOICE, "lines": [{"item": {"name": "Consulting"}, **line}
                                                 for line in lines]}
    if tax_total is not None:
        body["tax_total"] = tax_total
    response = api.put("/companies/Acme/invoices/inv-1", json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["total"] == total
    # The same body again is the same request: nothing changes.
    assert api.put("/companies/Acme/invoices/inv-1", json=body).get_json() == response.get_json()
    # Stating the total QuickBooks will book is accepted too.
    assert api.put("/companies/Acme/invoices/inv-2",
                   json={**body, "total": total}).status_code == 200


def test_a_stated_total_that_adds_up_is_kept(api: ApiClient, acme: str) -> None:
    response = api.put("/companies/Acme/invoices/inv-1",
                       json={**INVOICE, "total": "162.00", "tax_total": "12.00"})
    assert response.status_code == 200
    assert response.get_json()["data"]["total"] == "162.00"
