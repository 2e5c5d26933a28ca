"""In real headless Chromium: an admin adds a company, the Web Connector runs, accounts are
picked from QuickBooks' own list, a failed deposit is retried and lands in the chosen bank."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome
from tests.browser.scenario import (
    ADMIN,
    ADMIN_PASSWORD,
    quickbooks_with_books,
    sign_in_admin,
    submit_payout,
    sync_until_settled,
    web_connector,
)

pytestmark = pytest.mark.browser


def test_admin_to_partner_settings_to_a_deposit_in_the_chosen_bank(
    page: Any, live_url: str, services: Services, clock: FakeClock
) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    sign_in_admin(page, live_url)

    # Add a company: its Web Connector password is on this page only.
    page.fill("#name", "Acme")
    page.click("button:has-text('Add company')")
    password = page.inner_text("#secret").strip()
    username = services.companies.get("Acme").username
    assert username in page.content()

    with page.expect_download() as download:
        page.click("text=Download the .qwc file")
    assert download.value.suggested_filename == "Acme.qwc"
    qwc = etree.fromstring(Path(download.value.path()).read_bytes())
    assert qwc.tag == "QBWCXML"
    assert qwc.findtext("UserName") == username
    assert qwc.findtext("AppURL") == "http://localhost:8080/qbwc"

    # Before the first run there is no account list, and the page says why.
    page.goto(f"{live_url}/company/Acme")
    assert "read your chart of accounts from QuickBooks first" in page.inner_text("#no-accounts")

    # The platform pushes a payment and its payout before a bank account is chosen.
    quickbooks = quickbooks_with_books(clock)
    submit_payout(services, "Acme")
    wc = web_connector(live_url, quickbooks, username, password)
    results = sync_until_settled(wc, services, clock, "Acme")
    assert results[0].outcome in (Outcome.OK, Outcome.ERROR), results[0].last_error
    assert services.sync.record("Acme", "payment", external_id="P-1").push_state == "synced"
    assert services.sync.record("Acme", "deposit", external_id="PAYOUT-1").push_state == "failed"

    # The failed deposit is on the history page, in words.
    page.goto(f"{live_url}/company/Acme/activity")
    failed = page.locator("#records tr.state-failed")
    assert "PAYOUT-1" in failed.inner_text()
    assert "no bank account is chosen for deposits" in failed.inner_text()

    # Pick the accounts from what QuickBooks told us.
    page.click("text=Settings")
    options = page.locator("#deposit_account option").all_inner_texts()
    assert options[1].startswith("1000 · Checking")
    assert options[2].startswith("1010 · Savings")
    # One bank account for both would make QuickBooks refuse every deposit: refused.
    page.select_option("#payment_account", "Savings")
    page.select_option("#deposit_account", "Savings")
    page.click("button:has-text('Save settings')")
    assert "Payments must go to Undeposited Funds" in page.inner_text("#payment_account-error")
    assert services.sync.profile("Acme").deposit_account is None
    page.select_option("#payment_account", "")  # Undeposited Funds, QuickBooks' default
    page.select_option("#deposit_account", "Savings")
    page.click("button:has-text('Save settings')")
    assert "Settings saved" in page.inner_text("main")
    profile = services.sync.profile("Acme")
    assert profile.deposit_account == "Savings"
    assert profile.payment_account is None

    # Retry the deposit; the next runs deposit it into Savings.
    page.click("text=Sync history")
    page.click("#records tr.state-failed button:has-text('Retry')")
    assert "will be sent again" in page.inner_text("main")
    sync_until_settled(wc, services, clock, "Acme")
    assert quickbooks.account_balance("Savings") == Decimal("60.00")
    assert quickbooks.account_balance("Undeposited Funds") == Decimal("0.00")
    page.reload()
    assert page.locator("#records tr.state-failed").count() == 0
    assert "In QuickBooks" in page.locator("#records").inner_text()
    assert "1 deposit" in page.locator("#sessions").inner_text()


def test_a_partner_accepts_an_invite_and_sees_only_their_company(
    browser: Any, page: Any, live_url: str, services: Services
) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    services.companies.add("Acme")
    services.companies.add("Beta")
    sign_in_admin(page, live_url)
    page.click("text=Acme")
    page.fill("#email", "ann@acme.example")
    page.click("button:has-text('Make a 7-day invite link')")
    link = page.inner_text("#secret").strip()
    path = link.removeprefix("http://localhost:8080")

    partner = browser.new_context().new_page()
    partner.goto(live_url + path)
    partner.fill("#password", "a long passphrase")
    partner.fill("#confirm", "a long passphrase")
    partner.click("button:has-text('Create my sign-in')")
    partner.wait_for_url(f"{live_url}/company/Acme")
    assert "Where money goes in QuickBooks" in partner.inner_text("main")
    assert partner.goto(f"{live_url}/company/Beta").status == 404
    assert partner.goto(f"{live_url}/admin/").status == 403
    assert partner.goto(live_url + path).status == 404  # the link worked once
    partner.context.close()


def test_an_admin_adds_a_webhook_endpoint_and_sees_it_listed(
    page: Any, live_url: str, services: Services
) -> None:
    services.admins.add(ADMIN, ADMIN_PASSWORD)
    services.companies.add("Acme")
    sign_in_admin(page, live_url)
    page.click("nav >> text=Webhooks")
    page.fill("#webhook_url", "https://hooks.example.com/qbwc")
    page.fill("#webhook_description", "Platform receiver")
    page.click("button:has-text('Add endpoint')")
    secret = page.inner_text("#secret").strip()
    assert secret.startswith("whsec_")
    assert "shown only now" in page.inner_text("main")

    page.click("text=Back to Webhooks")
    listed = page.locator("#endpoints").inner_text()
    assert "https://hooks.example.com/qbwc" in listed
    assert "Platform receiver" in listed
    assert secret not in page.content()
    (endpoint,) = services.webhooks.endpoints()
    assert endpoint.company is None
