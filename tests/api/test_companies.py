"""Company endpoints: create, read, .qwc, password, settings, status, sync now; bad bodies."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from qbwc_server.app import Services
from qbwc_server.errors import InvalidInputError
from qbwc_server.security import verify_password
from qbwc_server.store.models import Company
from tests.api.conftest import ApiClient, assert_problem


def _password_works(services: Services, name: str, password: str) -> bool:
    with services.db.transaction() as session:
        stored = session.scalar(select(Company.password_hash).where(Company.name == name))
    return stored is not None and verify_password(password, stored)


def test_create_a_company_and_get_its_password_once(api: ApiClient, services: Services) -> None:
    response = api.post("/companies", json={"name": "Acme Corp", "cadence_minutes": 10})
    assert response.status_code == 201
    body = response.get_json()
    assert body["company"]["name"] == "Acme Corp"
    assert body["company"]["cadence_minutes"] == 10
    assert body["username"] == "acme-corp"
    assert _password_works(services, "Acme Corp", body["password"])
    read = api.get("/companies/Acme%20Corp").get_json()
    assert read["status"] == "waiting"
    assert "password" not in read


def test_a_taken_name_is_409_and_a_bad_one_422(api: ApiClient) -> None:
    assert api.post("/companies", json={"name": "Acme"}).status_code == 201
    taken = api.post("/companies", json={"name": "Acme"})
    assert_problem(taken, 409, "conflict")
    assert "already exists" in taken.get_json()["detail"]
    slash = api.post("/companies", json={"name": "a/b"})
    assert_problem(slash, 422, "validation-error")


def test_unknown_fields_are_named(api: ApiClient) -> None:
    response = api.post("/companies", json={"name": "Acme", "colour": "red"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "colour", "message": "unknown field"}]


def test_bodies_must_be_json_objects(api: ApiClient) -> None:
    form = api.post("/companies", data="name=Acme",
                    content_type="application/x-www-form-urlencoded")
    assert_problem(form, 415, "unsupported-media-type")
    broken = api.post("/companies", data="{not json", content_type="application/json")
    assert_problem(broken, 400, "invalid-request")
    listed = api.post("/companies", json=["Acme"])
    assert listed.status_code == 422
    huge = api.post("/companies", data="x" * (1024 * 1024 + 1), content_type="application/json")
    assert_problem(huge, 413, "body-too-large")


def test_qwc_download(api: ApiClient, services: Services) -> None:
    services.companies.add("Acme")
    response = api.get("/companies/Acme/qwc")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert etree.fromstring(response.data).findtext("UserName") == "acme"
    assert "attachment" in response.headers["Content-Disposition"]


def test_rotate_the_password(api: ApiClient, services: Services) -> None:
    _, old = services.companies.add("Acme")
    response = api.post("/companies/Acme/password")
    assert response.status_code == 200
    new = response.get_json()["password"]
    assert _password_works(services, "Acme", new)
    assert not _password_works(services, "Acme", old)
    assert api.post("/companies/Nobody/password").status_code == 404


def test_settings_read_and_change(api: ApiClient, services: Services) -> None:
    services.companies.add("Acme")
    before = api.get("/companies/Acme/settings").get_json()
    assert before["directions"]["payment"] == "push"
    assert before["payment_account"] is None
    changed = api.put("/companies/Acme/settings", json={
        "directions": {"customer": "both"}, "payment_account": "Undeposited Funds",
        "deposit_account": "Checking", "sync_after": "2025-01-01", "batch_size": 20})
    assert changed.status_code == 200
    body = changed.get_json()
    assert body["directions"]["customer"] == "both"
    assert body["directions"]["payment"] == "push"  # left out: unchanged
    assert (body["payment_account"], body["deposit_account"], body["sync_after"],
            body["batch_size"]) == ("Undeposited Funds", "Checking", "2025-01-01", 20)
    assert api.put("/companies/Acme/settings", json={"payment_account": None}).get_json()[
        "payment_account"] is None
    assert services.sync.profile("Acme").deposit_account == "Checking"


def test_settings_refuse_bad_values(api: ApiClient, services: Services) -> None:
    services.companies.add("Acme")
    response = api.put("/companies/Acme/settings", json={
        "directions": {"payment": "sideways", "spaceship": "pull"}, "batch_size": 0,
        "sync_after": "01/02/2025"})
    assert response.status_code == 422
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert fields == {"directions.payment", "directions.spaceship", "batch_size",
                      "sync_after"}


@pytest.mark.parametrize(("change", "field"), [
    # One bank account for payments and deposits.
    ({"payment_account": "Checking", "deposit_account": "Checking"}, "payment_account"),
    # A bank account for payments: nothing is left in Undeposited Funds to deposit.
    ({"payment_account": "Checking", "deposit_account": "Savings"}, "payment_account"),
    # Deposits into Undeposited Funds, where the payments already are.
    ({"deposit_account": "undeposited funds"}, "deposit_account"),
    # Deposits pushed again while payments go straight to the bank.
    ({"directions": {"deposit": "push"}}, "payment_account"),
])
def test_settings_refuse_accounts_that_fail_every_deposit(
    api: ApiClient, services: Services, change: dict[str, Any], field: str
) -> None:
    services.companies.add("Acme")
    services.sync.configure("Acme", directions={"deposit": "off"}, payment_account="Checking")
    if "directions" not in change:
        services.sync.configure("Acme", directions={"deposit": "push"}, payment_account="")
    before = api.get("/companies/Acme/settings").get_json()
    response = api.put("/companies/Acme/settings", json=change)
    assert_problem(response, 422, "validation-error")
    (error,) = response.get_json()["errors"]
    assert error["field"] == field
    assert "QuickBooks" in error["message"]
    assert "deposit" in error["message"]
    assert api.get("/companies/Acme/settings").get_json() == before
    with pytest.raises(InvalidInputError, match="every deposit"):
        services.sync.configure("Acme", **change)


def test_payments_may_go_to_the_bank_when_deposits_are_not_pushed(
    api: ApiClient, services: Services
) -> None:
    services.companies.add("Acme")
    response = api.put("/companies/Acme/settings", json={
        "directions": {"deposit": "off"}, "payment_account": "Checking",
        "deposit_account": "Checking"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["payment_account"] == "Checking"


def test_settings_mappings_read_change_and_clear(api: ApiClient, services: Services) -> None:
    services.companies.add("Acme")
    before = api.get("/companies/Acme/settings").get_json()["mappings"]
    assert before == {"item": {}, "payment_method": {}, "tax_code": {}, "default_item": None,
                      "default_payment_method": None}
    changed = api.put("/companies/Acme/settings", json={"mappings": {
        "item": {"svc-consult": "Consulting"}, "payment_method": {"card": "Visa"},
        "tax_code": {"vat": "Tax"}, "default_item": "Hardware"}})
    assert changed.status_code == 200
    assert changed.get_json()["mappings"] == {
        "item": {"svc-consult": "Consulting"}, "payment_method": {"card": "Visa"},
        "tax_code": {"vat": "Tax"}, "default_item": "Hardware", "default_payment_method": None}
    # A table given replaces that table; the others and the defaults left out are kept.
    again = api.put("/companies/Acme/settings", json={"mappings": {
        "payment_method": {"ach": "E-Check"}, "default_item": None}}).get_json()["mappings"]
    assert again["payment_method"] == {"ach": "E-Check"}
    assert again["item"] == {"svc-consult": "Consulting"}
    assert again["default_item"] is None
    assert services.sync.profile("Acme").mappings.payment_method_for("ach") == "E-Check"


def test_settings_refuse_bad_mappings_and_change_nothing(
    api: ApiClient, services: Services
) -> None:
    services.companies.add("Acme")
    response = api.put("/companies/Acme/settings", json={
        "directions": {"invoice": "push"},
        "mappings": {"tax_code": {"vat": "Taxable"}, "payment_method": {"card": ""},
                     "colour": {}}})
    assert response.status_code == 422
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert fields == {"mappings.tax_code.vat", "mappings.payment_method.card",
                      "mappings.colour"}
    blank = api.put("/companies/Acme/settings", json={
        "directions": {"invoice": "push"}, "mappings": {"item": {"svc": "  "}}})
    assert blank.status_code == 422
    assert "mappings.item.svc" in blank.get_json()["detail"]
    profile = services.sync.profile("Acme")
    assert profile.directions["invoice"] == "pull"  # nothing half-saved
    assert profile.mappings.item == {}


def test_status_and_sync_now(api: ApiClient, services: Services) -> None:
    services.companies.add("Acme")
    status = api.get("/companies/Acme/status").get_json()
    assert status["status"] == "waiting"
    assert status["records"] == {}
    response = api.post("/companies/Acme/sync")
    assert response.status_code == 202
    assert response.get_json() == {"company": "Acme", "sync_requested": True}
    with services.db.transaction() as session:
        assert session.scalar(select(Company.sync_requested)) is True
