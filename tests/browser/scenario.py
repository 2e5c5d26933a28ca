"""What the browser tests and ``make screenshots`` share: Chromium, a company with books, sessions.

Playwright drives Debian's ``/usr/bin/chromium`` (never ``playwright install``). The app runs
under waitress on a loopback port; a simulated Web Connector talks to it over HTTP, playing a
simulated QuickBooks company whose chart of accounts has Checking, Savings and Undeposited Funds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from mappers import Deposit, DepositedPayment, EntityRef, Payment, PaymentApplication
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.transport import HttpTransport
from qbwc_server.simulator.webconnector import (
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)

CHROMIUM = Path(os.environ.get("QBWC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ADMIN, ADMIN_PASSWORD = "root", "correct horse battery"
#: Past the 5-minute cadence and the 15-minute session expiry, so the next run syncs.
LATER = timedelta(minutes=20)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def quickbooks_with_books(clock: FakeClock) -> SimulatedCompany:
    """Alice owes 100.00 on INV-1."""
    quickbooks = SimulatedCompany(clock=clock.now)
    quickbooks.add_customer("Alice Example")
    quickbooks.add_invoice("Alice Example", [{"item": "Consulting", "amount": "100.00"}],
                           ref_number="INV-1", txn_date=date(2025, 12, 1))
    return quickbooks


def web_connector(url: str, quickbooks: SimulatedCompany, username: str,
                  password: str) -> SimulatedWebConnector:
    return SimulatedWebConnector.over(
        HttpTransport(url + "/qbwc", timeout=30), quickbooks,
        WebConnectorSettings(username=username, password=password), sleep=lambda s: None)


def submit_payout(services: Services, company: str) -> None:
    """A 60.00 payment on INV-1 and the payout that deposits it."""
    services.sync.submit(company, "payment", Payment(
        external_id="P-1", customer=EntityRef(name="Alice Example"), amount=Decimal("60.00"),
        date=date(2026, 1, 5), applications=(PaymentApplication(
            invoice=EntityRef(name="INV-1"), amount=Decimal("60.00")),)))
    services.sync.submit(company, "deposit", Deposit(
        external_id="PAYOUT-1", bank_account=EntityRef(name=""),
        payments=(DepositedPayment(payment=EntityRef(name="P-1")),)))


def sync_until_settled(wc: SimulatedWebConnector, services: Services, clock: FakeClock,
                       company: str, sessions: int = 6) -> list[SessionResult]:
    """Web Connector runs (the clock moving on) until no push waits for an answer."""
    results = []
    for _ in range(sessions):
        results.append(wc.run_session())
        clock.advance(LATER.total_seconds())
        counts = services.sync.counts(company)
        if not any(n for by_state in counts.values() for state, n in by_state.items()
                   if state in ("pending", "sent", "unknown")):
            break
    return results


def sign_in_admin(page: Any, base: str) -> None:
    page.goto(base + "/admin/")
    page.fill("#username", ADMIN)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(base + "/admin/")
