"""The partner settings page: accounts from QuickBooks, validation, nothing half-saved, history."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from lxml import html
from sqlalchemy import select, update

from mappers import Customer, Deposit, DepositedPayment, EntityRef
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome
from qbwc_server.store.models import Company, SyncRecord, SyncSettings
from qbwc_server.sync.profile import DEFAULT_DIRECTIONS
from tests.integration.pages_helpers import deactivate, post, run_session, sign_in_admin

VALID = {"payment_account": "", "deposit_account": "Savings", "sync_after": "2025-06-01",
         **{f"direction_{kind}": value for kind, value in DEFAULT_DIRECTIONS.items()}}


@pytest.fixture
def pulled(app: Flask, services: Services, clock: FakeClock, client: Any) -> SimulatedCompany:
    """Acme after one Web Connector run: its chart of accounts is known; an admin signed in."""
    services.companies.add("Acme")
    quickbooks = SimulatedCompany(clock=clock.now)
    assert run_session(app, services, clock, quickbooks, "Acme").outcome is Outcome.OK
    sign_in_admin(client, services)
    return quickbooks


def test_before_the_first_sync_the_page_says_why_there_is_no_account_list(
    client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    page = client.get("/company/Acme").text
    assert "appears here after the first Web Connector run" in page
    assert "read your chart of accounts from QuickBooks first" in page


def test_the_account_lists_come_from_quickbooks_banks_first(
    client: Any, pulled: SimulatedCompany
) -> None:
    page = client.get("/company/Acme").text
    assert "first Web Connector run" not in page
    deposit = page[page.index('id="deposit_account"'):]
    deposit = deposit[:deposit.index("</select>")]
    values = [part.split('"')[1] for part in deposit.split('<option value=')[1:]]
    assert values[:3] == ["", "Checking", "Savings"]  # bank accounts first
    assert values[3] == "Undeposited Funds"  # then other current assets
    assert "Consulting Income" in values  # then the rest
    payment = page[page.index('id="payment_account"'):]
    payment = payment[:payment.index("</select>")]
    assert "Undeposited Funds (recommended" in payment
    assert payment.count("Undeposited Funds") == 1  # the default, not twice


def test_valid_settings_are_saved_in_one_go(
    client: Any, services: Services, pulled: SimulatedCompany
) -> None:
    response = post(client, "/company/Acme/settings",
                    {**VALID, "payment_account": "Undeposited Funds", "direction_item": "off"})
    assert response.status_code == 302
    profile = services.sync.profile("Acme")
    assert profile.deposit_account == "Savings"
    assert profile.payment_account is None  # Undeposited Funds is QuickBooks' default
    assert profile.sync_after == "2025-06-01"
    assert profile.directions["item"] == "off"
    page = client.get("/company/Acme").text
    assert "Settings saved" in page
    assert '<option value="Savings" selected>' in page


def _refused_next_to(response: Any, field: str, message: str) -> None:
    """A 400 page with ``message`` right after its field, saying nothing was saved."""
    assert response.status_code == 400
    html = response.text
    assert message in html
    assert html.index(f'id="{field}"') < html.index(f'id="{field}-error"') < html.index(message)
    assert "Nothing was saved" in html


@pytest.mark.parametrize(("field", "value", "message"), [
    ("deposit_account", "Money Market", "“Money Market” no longer exists in QuickBooks"),
    ("payment_account", "Old Bank", "“Old Bank” no longer exists in QuickBooks"),
    ("sync_after", "31/01/2025", "Enter a date as YYYY-MM-DD"),
    ("sync_after", "2025-02-30", "Enter a date as YYYY-MM-DD"),  # no such day
    ("sync_after", "2099-01-01", "not in the future"),
    ("direction_payment", "sideways", "Choose one of: pull, push, both, off"),
])
def test_a_bad_field_is_named_next_to_it_and_nothing_is_saved(
    client: Any, services: Services, pulled: SimulatedCompany, field: str, value: str,
    message: str
) -> None:
    before = services.sync.profile("Acme")
    response = post(client, "/company/Acme/settings",
                    {**VALID, "direction_item": "off", field: value})
    _refused_next_to(response, field, message)
    assert services.sync.profile("Acme") == before  # not even the valid fields


@pytest.mark.parametrize(("change", "field", "message"), [
    # A bank account as the payment account and as the deposit account.
    ({"payment_account": "Checking", "deposit_account": "Checking"}, "payment_account",
     "Payments must go to Undeposited Funds while deposits are pushed"),
    # A bank account for payments, another for deposits: nothing is left to deposit.
    ({"payment_account": "Checking"}, "payment_account",
     "QuickBooks refuses to deposit a payment recorded in “Checking”"),
    # Deposits into the account payments wait in.
    ({"deposit_account": "Undeposited Funds"}, "deposit_account",
     "The deposit account cannot be “Undeposited Funds”"),
])
def test_accounts_that_make_every_deposit_fail_are_refused_with_the_reason(
    client: Any, services: Services, pulled: SimulatedCompany, change: dict[str, str],
    field: str, message: str
) -> None:
    before = services.sync.profile("Acme")
    response = post(client, "/company/Acme/settings", {**VALID, **change})
    _refused_next_to(response, field, message)
    assert services.sync.profile("Acme") == before


def test_payments_go_straight_to_the_bank_when_deposits_are_not_pushed(
    client: Any, services: Services, pulled: SimulatedCompany
) -> None:
    response = post(client, "/company/Acme/settings",
                    {**VALID, "payment_account": "Checking", "direction_deposit": "off"})
    assert response.status_code == 302
    assert services.sync.profile("Acme").payment_account == "Checking"
    # Pushing deposits again with that account is refused, on the page as in the store.
    refused = post(client, "/company/Acme/settings",
                   {**VALID, "payment_account": "Checking", "direction_deposit": "push"})
    assert refused.status_code == 400
    assert "Payments must go to Undeposited Funds" in refused.text
    assert services.sync.profile("Acme").directions["deposit"] == "off"


def test_a_stored_combination_that_fails_every_deposit_is_flagged(
    client: Any, services: Services, pulled: SimulatedCompany
) -> None:
    services.sync.configure("Acme", directions={"deposit": "off"}, payment_account="Checking",
                            deposit_account="Checking")
    with services.db.transaction() as session:  # deposits pushed, as saved before the rule
        session.execute(update(SyncSettings).values(directions="{}"))
    page = client.get("/company/Acme").text
    assert "Payments must go to Undeposited Funds while deposits are pushed" in page


def test_inactive_accounts_are_not_offered_and_a_stale_choice_is_flagged(
    client: Any, services: Services, pulled: SimulatedCompany
) -> None:
    services.sync.configure("Acme", deposit_account="Savings")
    deactivate(services, "account", "Savings")
    page = client.get("/company/Acme").text
    assert "“Savings” is inactive in QuickBooks; choose another account." in page
    assert '<option value="Savings" selected>Savings (not usable)</option>' in page
    refused = post(client, "/company/Acme/settings", VALID)
    assert refused.status_code == 400
    assert "is inactive in QuickBooks" in refused.text


def test_an_account_before_the_first_sync_is_refused_with_the_reason(
    client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    response = post(client, "/company/Acme/settings", VALID)
    assert response.status_code == 400
    assert "appears after the first Web Connector run" in response.text


def _session_rows(page: str) -> list[list[str]]:
    """The cells of the sync history's runs table, as text, newest run first."""
    table = html.fromstring(page).get_element_by_id("sessions")
    return [[" ".join(cell.text_content().split()) for cell in row.findall("td")]
            for row in table.iterfind("tbody/tr")]


def test_history_shows_each_run_and_what_it_pulled(
    client: Any, pulled: SimulatedCompany
) -> None:
    rows = _session_rows(client.get("/company/Acme/activity").text)
    assert len(rows) == 1
    started, ended, progress, pulled_cell, pushed_cell, problems = rows[0]
    assert "finished" in ended
    assert "100%" in progress
    accounts = pulled.summary()["Account"]
    assert f"{accounts} accounts" in pulled_cell  # counted in words, per record type
    assert "{" not in pulled_cell  # no Python dict
    assert pushed_cell == "—"
    assert problems == ""


def test_history_shows_what_a_run_pushed(
    app: Flask, client: Any, services: Services, clock: FakeClock, pulled: SimulatedCompany
) -> None:
    services.sync.configure("Acme", directions={"customer": "both"})
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Dora"))
    services.sync.submit("Acme", "customer", Customer(external_id="C-2", name="Erin"))
    clock.advance(minutes=10)
    assert run_session(app, services, clock, pulled, "Acme").outcome is Outcome.OK
    newest = _session_rows(client.get("/company/Acme/activity").text)[0]
    assert newest[4] == "2 customers"


def test_a_failed_record_shows_quickbooks_words_and_can_be_retried(
    app: Flask, client: Any, services: Services, clock: FakeClock, pulled: SimulatedCompany
) -> None:
    services.sync.submit("Acme", "deposit", Deposit(
        external_id="PAYOUT-1", bank_account=EntityRef(name=""),
        payments=(DepositedPayment(payment=EntityRef(name="P-1")),)))
    with services.db.transaction() as session:
        record = session.scalars(select(SyncRecord).where(SyncRecord.external_id == "PAYOUT-1"))
        row = record.one()
        row.push_state, row.push_error = "failed", "no bank account is chosen for deposits"
    page = client.get("/company/Acme/activity").text
    assert "PAYOUT-1" in page
    assert "no bank account is chosen for deposits" in page
    assert "Retry" in page

    response = post(client, "/company/Acme/retry", {"kind": "deposit", "external_id": "PAYOUT-1"})
    assert response.status_code == 302
    assert services.sync.record("Acme", "deposit", external_id="PAYOUT-1").push_state == "pending"
    page = client.get("/company/Acme/activity").text
    assert "will be sent again" in page
    assert "Waiting for the next Web Connector run" in page
    again = post(client, "/company/Acme/retry", {"kind": "deposit", "external_id": "PAYOUT-1"})
    assert "Not retried" in client.get(again.location).text


def test_sync_now_from_the_partner_page(client: Any, services: Services) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    post(client, "/company/Acme/sync-now", {"back": "activity"})
    with services.db.transaction() as session:
        assert session.scalars(select(Company.sync_requested)).one() is True
