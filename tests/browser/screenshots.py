"""``make screenshots``: a PNG of each page under docs/screenshots/, from the browser tests' setup.

Run as ``python -m tests.browser.screenshots [OUTDIR]``. Everything runs on loopback against a
temporary SQLite database, a fake clock and a simulated Web Connector + QuickBooks company.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qbwc_server.app import create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.serving import BackgroundServer
from qbwc_server.store.database import upgrade
from qbwc_server.webhooks import SendResult, WebhookService
from tests.browser.scenario import (
    ADMIN,
    ADMIN_PASSWORD,
    chromium,
    quickbooks_with_books,
    sign_in_admin,
    submit_payout,
    sync_until_settled,
    web_connector,
)

OUT = Path("docs/screenshots")


def receivers(url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
    """The webhook receivers of the pictures (nothing leaves the machine): the platform's
    answers 200, Acme's ERP is down."""
    if "erp" in url:
        return SendResult(status=503, error="HTTP 503 Service Unavailable: maintenance")
    return SendResult(status=200)


def shoot(page: Any, out: Path, name: str) -> None:
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    print(f"wrote {out / name}.png")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
        app = create_app({"database_url": f"sqlite:///{tmp}/qbwc.db", "scrypt_n": 1024,
                          "secret_key": "s" * 40}, clock=clock)
        services = services_of(app)
        upgrade(services.db.engine)
        services.admins.add(ADMIN, ADMIN_PASSWORD)
        services.companies.add("Beta Property Management")
        view, password = services.companies.add("Acme Corp")
        quickbooks = quickbooks_with_books(clock)
        submit_payout(services, "Acme Corp")
        services.webhooks.add_endpoint(None, "https://platform.example.com/hooks/qbwc",
                                       "Platform receiver")
        services.webhooks.add_endpoint("Acme Corp", "https://erp.acme.example/qbwc-hook",
                                       "Acme's ERP")
        with BackgroundServer(app) as server, chromium() as browser:
            base = server.url
            wc = web_connector(base, quickbooks, view.username, password)
            sync_until_settled(wc, services, clock, "Acme Corp")
            WebhookService(services.db, clock, services.settings,
                           sender=receivers).deliver_due()
            context = browser.new_context(viewport={"width": 1200, "height": 800})
            page = context.new_page()
            page.goto(base + "/admin/signin")
            shoot(page, out, "admin-signin")
            sign_in_admin(page, base)
            page.fill("#name", "Cedar Dental")
            page.click("button:has-text('Add company')")
            shoot(page, out, "admin-company-added")
            page.goto(base + "/admin/")
            shoot(page, out, "admin-companies")
            page.click("text=Acme Corp")
            shoot(page, out, "admin-company")
            page.fill("#email", "ann@acme.example")
            page.click("button:has-text('Make a 7-day invite link')")
            link = page.inner_text("#secret").strip()
            shoot(page, out, "admin-invite-link")
            page.goto(base + "/admin/webhooks/")
            shoot(page, out, "admin-webhooks")
            page.fill("#webhook_url", "https://billing.example.com/qbwc")
            page.fill("#webhook_description", "Billing service")
            page.click("button:has-text('Add endpoint')")
            shoot(page, out, "admin-webhook-secret")
            page.goto(base + "/admin/webhooks/")
            page.click("#endpoints a:has-text('Remove') >> nth=1")
            shoot(page, out, "admin-webhook-remove")
            page.goto(base + "/company/Cedar Dental")
            shoot(page, out, "partner-settings-before-first-sync")
            page.goto(base + "/company/Acme Corp/activity")
            shoot(page, out, "partner-history-failed-record")
            page.goto(base + "/company/Acme Corp")
            page.select_option("#deposit_account", "Savings")
            page.fill("#payment_method_code_0", "card")
            page.fill("#payment_method_name_0", "Visa")
            page.fill("#payment_method_code_1", "ach")
            page.fill("#payment_method_name_1", "E-Check")
            page.fill("#item_code_0", "svc-consult")
            page.select_option("#item_name_0", "Consulting")
            page.select_option("#default_item", "Hardware")
            page.fill("#tax_code_code_0", "vat")
            page.fill("#tax_code_name_0", "Tax")
            page.fill("#sync_after", "2031-01-01")
            page.click("button:has-text('Save settings')")
            shoot(page, out, "partner-settings-validation")
            page.fill("#sync_after", "2025-01-01")
            page.click("button:has-text('Save settings')")
            shoot(page, out, "partner-settings")
            page.click("text=Sync history")
            page.click("#records tr.state-failed button:has-text('Retry')")
            sync_until_settled(wc, services, clock, "Acme Corp")
            page.reload()
            shoot(page, out, "partner-history")
            partner = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
            partner.goto(link.replace("http://localhost:8080", base))
            shoot(partner, out, "partner-invite")
            partner.goto(base + "/signin")
            shoot(partner, out, "partner-signin")
            partner.context.close()
            context.close()
        services.db.engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
