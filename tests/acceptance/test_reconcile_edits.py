"""A platform edit whose answer never came back, and an accountant's edit made meanwhile.

The Web Connector dies with the platform's Mod in hand (QuickBooks applied it, or never saw
it); before the next session the accountant edits the same record. The reconcile at the
start of that session must not resend the write as it stood: that would put back the values
QuickBooks had when the write was merged, undoing the accountant's newer edit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mappers import Customer, EntityRef, Invoice, InvoiceLine
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.errors import SimulatedCrash
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import LATER, sync_until_done


class _DiesOnce:
    """Plays QuickBooks; the Web Connector dies on the first message holding ``armed``,
    after QuickBooks applied it (``applied``) or before it could."""

    def __init__(self, inner: SimulatedCompany) -> None:
        self._inner = inner
        self.armed: str | None = None
        self.applied = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def process(self, request_xml: str) -> str:
        if self.armed is not None and f"<{self.armed}" in request_xml:
            self.armed = None
            if self.applied:
                self._inner.process(request_xml)
            raise SimulatedCrash("the Web Connector died with a Mod in hand")
        return self._inner.process(request_xml)


def _ada(email: str) -> Customer:
    return Customer(external_id="C-1", name="Ada", email=email)


def _invoice(memo: str) -> Invoice:
    return Invoice(external_id="I-1", customer=EntityRef(name="Ada"), number="1001", memo=memo,
                   due_date=date(2026, 2, 1),
                   lines=(InvoiceLine(item=EntityRef(name="Consulting"), quantity=Decimal("2"),
                                      rate=Decimal("150.00")),))


def _accountant_edits(quickbooks: SimulatedCompany, phone: str, day: date) -> None:
    """Fields the platform never states: the customer's phone, the invoice's date."""
    quickbooks.modify_customer("Ada", Phone=phone)
    quickbooks.modify_invoice("1001", txn_date=day)


@pytest.mark.parametrize("applied", [True, False], ids=["applied", "never-arrived"])
@pytest.mark.parametrize("mod", ["CustomerModRq", "InvoiceModRq"])
def test_an_edit_made_while_a_platform_write_is_unanswered_is_kept(
    mod: str, applied: bool, connect: Callable[..., SimulatedWebConnector],
    services: Services, clock: FakeClock
) -> None:
    quickbooks = _DiesOnce(quickbooks_at(clock))
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions={"customer": "both", "invoice": "both"})
    services.sync.submit("Acme", "customer", _ada("ada@old.example"))
    services.sync.submit("Acme", "invoice", _invoice("first"))
    sync_until_done(wc, services, clock)

    # The platform edits both; the accountant edits them too, so the pull merges the edits.
    services.sync.submit("Acme", "customer", _ada("ada@new.example"))
    services.sync.submit("Acme", "invoice", _invoice("second"))
    _accountant_edits(quickbooks._inner, "555-0001", date(2026, 1, 2))
    quickbooks.armed, quickbooks.applied = mod, applied
    assert wc.run_session().outcome is Outcome.CRASHED
    # The accountant edits again before the next run.
    _accountant_edits(quickbooks._inner, "555-0002", date(2026, 1, 3))
    clock.advance(LATER.total_seconds())
    sync_until_done(wc, services, clock)

    ada, invoice = quickbooks.customer("Ada"), quickbooks.invoice("1001")
    assert (ada.extra["Email"], ada.extra.get("Phone")) == ("ada@new.example", "555-0002")
    assert (invoice.memo, invoice.txn_date) == ("second", date(2026, 1, 3))
    for kind, external_id in (("customer", "C-1"), ("invoice", "I-1")):
        assert services.sync.record("Acme", kind, external_id=external_id).push_state == \
            "synced"
