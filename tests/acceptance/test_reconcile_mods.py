"""A Mod whose answer was lost meets an accountant's edit: reconcile reads the whole record,
settles a Mod that went through, and merges (never overwrites) when QuickBooks moved on.

Before, reconcile resent the platform's whole record with the new EditSequence, writing the
platform's old values over whatever the accountant changed in between."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask

from mappers import Customer, EntityRef, Invoice, InvoiceLine
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import LATER, acme, books, sent_messages, sync_until_done

PUSH_ONLY = {"account": "off", "item": "off", "customer": "push", "invoice": "push"}
#: QuickBooks applies the Mod, then the Web Connector dies: the answer never comes back.
WENT_THROUGH = "crash-after-apply:nth=1"
#: QuickBooks fails the message with an HRESULT: the Mod never ran, but we cannot know that.
NEVER_RAN = "hresult:nth=1"


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    company = quickbooks_at(clock)
    books(company, {"Alice": {}})
    return company


def _dora(email: str) -> Customer:
    return Customer(external_id="C-1", name="Dora", email=email, phone="555-0100")


def _invoice(due: date) -> Invoice:
    return Invoice(external_id="I-1", customer=EntityRef(name="Alice"), number="WEB-1",
                   txn_date=date(2026, 1, 2), due_date=due, memo="first draft",
                   lines=(InvoiceLine(item=EntityRef(name="Consulting"),
                                      amount=Decimal("250.00")),))


#: kind -> the platform's first write, its change, the accountant's edit, and what QuickBooks
#: must hold afterwards (the platform's change and the accountant's edit, both).
SCENARIOS: dict[str, tuple[object, object, Callable[[SimulatedCompany], object],
                           Callable[[SimulatedCompany], tuple[object, object]]]] = {
    "customer": (
        _dora("dora@old.example"), _dora("dora@new.example"),
        lambda qb: qb.modify_customer("Dora", Phone="555-0199"),
        lambda qb: ((c := qb.customer("Dora")) and c.extra.get("Email"),
                    c and c.extra.get("Phone"))),
    "invoice": (
        _invoice(date(2026, 2, 1)), _invoice(date(2026, 3, 1)),
        lambda qb: qb.modify_invoice("WEB-1", memo="checked by the accountant"),
        lambda qb: ((i := qb.invoice("WEB-1")) and i.due_date, i and i.memo)),
}
EXPECTED = {
    "customer": (("dora@new.example", "555-0199"), ("dora@new.example", "555-0100")),
    "invoice": ((date(2026, 3, 1), "checked by the accountant"),
                (date(2026, 3, 1), "first draft")),
}


def _recover(app: Flask, services: Services, quickbooks: SimulatedCompany, clock: FakeClock,
             kind: str, fault: str, *, edited: bool) -> tuple[int, list[dict[str, object]]]:
    """The record is in QuickBooks; the platform changes it and the Mod's answer is lost; the
    accountant edits the record (``edited``); sessions run until all is settled.

    Returns how many Mods were sent after the first sync, and the record's conflict entries.
    """
    connect = acme(app, services, directions=PUSH_ONLY)
    first, change, edit, _ = SCENARIOS[kind]
    services.sync.submit("Acme", kind, first)
    sync_until_done(connect(quickbooks), services, clock)
    services.sync.submit("Acme", kind, change, action="mod")
    external_id = change.external_id  # type: ignore[attr-defined]
    results = [connect(quickbooks, fault).run_session()]
    assert results[0].faults_fired, results[0]
    assert services.sync.record("Acme", kind, external_id=external_id).push_state == "sent"
    clock.advance(LATER.total_seconds())
    if edited:
        edit(quickbooks)

    results += sync_until_done(connect(quickbooks), services, clock)

    assert services.sync.record("Acme", kind, external_id=external_id).push_state == "synced"
    tag = "CustomerModRq" if kind == "customer" else "InvoiceModRq"
    conflicts = [c.data for c in services.sync.changes("Acme", limit=500)
                 if c.change == "conflict" and c.external_id == external_id]
    return sum(1 for message in sent_messages(results) if tag in message), conflicts


@pytest.mark.parametrize("kind", ["customer", "invoice"])
def test_a_mod_that_went_through_is_settled_and_a_later_edit_is_kept(
    kind: str, app: Flask, services: Services, quickbooks: SimulatedCompany, clock: FakeClock,
) -> None:
    # The accountant edits the record after our Mod went in.
    mods, conflicts = _recover(app, services, quickbooks, clock, kind, WENT_THROUGH,
                               edited=True)
    assert SCENARIOS[kind][3](quickbooks) == EXPECTED[kind][0]
    assert mods == 1  # found in QuickBooks: not sent again
    assert not conflicts


@pytest.mark.parametrize("kind", ["customer", "invoice"])
def test_a_mod_that_never_ran_is_merged_with_the_accountants_edit_and_reported(
    kind: str, app: Flask, services: Services, quickbooks: SimulatedCompany, clock: FakeClock,
) -> None:
    # The accountant edits the record while our Mod's fate is unknown.
    mods, conflicts = _recover(app, services, quickbooks, clock, kind, NEVER_RAN, edited=True)
    assert SCENARIOS[kind][3](quickbooks) == EXPECTED[kind][0]
    assert mods == 2
    (conflict,) = conflicts
    fields = conflict["fields"]
    assert isinstance(fields, dict)
    theirs, ours = ("phone", "email") if kind == "customer" else ("memo", "due_date")
    # (An invoice's base is the platform's own write, which states less than QuickBooks'
    # copy: its lines' ids and the customer's ListID count as QuickBooks' too.)
    assert theirs in fields["quickbooks"]
    assert (fields["platform"], fields["both"]) == ([ours], [])


@pytest.mark.parametrize("kind", ["customer", "invoice"])
def test_a_mod_that_never_ran_and_met_no_edit_is_sent_again_as_it_is(
    kind: str, app: Flask, services: Services, quickbooks: SimulatedCompany, clock: FakeClock,
) -> None:
    mods, conflicts = _recover(app, services, quickbooks, clock, kind, NEVER_RAN, edited=False)
    assert SCENARIOS[kind][3](quickbooks) == EXPECTED[kind][1]
    assert mods == 2
    assert not conflicts
