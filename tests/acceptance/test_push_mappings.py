"""Mappings at work: the platform's payment methods, items and tax codes land in QuickBooks
under the partner's QuickBooks names (with defaults), end to end through the simulator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs

from mappers import EntityRef, Invoice, InvoiceLine
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import SimulatedWebConnector
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import books, payment, sent_messages, sync_until_done


def _method(quickbooks: SimulatedCompany, reference: str) -> str | None:
    (found,) = [p for p in quickbooks.payments_of("Alice") if p.ref_number == reference]
    return quickbooks.books.full_name(found.method_id) if found.method_id else None


def test_payment_methods_are_mapped_else_the_default_else_none(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {}})
    wc = connect(quickbooks)
    services.sync.configure("Acme", mappings={"payment_method": {"card": "Visa"}})
    for n, method in enumerate(("card", "ach", None), start=1):
        services.sync.submit("Acme", "payment", attrs.evolve(
            payment(f"P-{n}", "Alice", "10.00", reference=f"R-{n}"), method=method))
    results = sync_until_done(wc, services, clock)
    assert (_method(quickbooks, "R-1"), _method(quickbooks, "R-2"),
            _method(quickbooks, "R-3")) == ("Visa", None, None)
    assert "<FullName>ach</FullName>" not in "".join(sent_messages(results))

    services.sync.configure("Acme", mappings={"default_payment_method": "Check"})
    services.sync.submit("Acme", "payment", attrs.evolve(
        payment("P-4", "Alice", "10.00", reference="R-4"), method="ach"))
    services.sync.submit("Acme", "payment", attrs.evolve(
        payment("P-5", "Alice", "10.00", reference="R-5"), method="card"))
    sync_until_done(wc, services, clock)
    assert (_method(quickbooks, "R-4"), _method(quickbooks, "R-5")) == ("Check", "Visa")


def test_invoice_lines_get_mapped_items_and_tax_codes_and_the_default_item(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {}})
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions={"invoice": "push"}, mappings={
        "item": {"svc-consult": "Consulting"}, "tax_code": {"vat": "Tax", "zero": "Non"},
        "default_item": "Hardware"})
    services.sync.submit("Acme", "invoice", Invoice(
        external_id="I-1", number="PL-1", customer=EntityRef(name="Alice"),
        txn_date=date(2026, 1, 5), lines=(
            InvoiceLine(item=EntityRef(name="svc-consult"), amount=Decimal("150.00"),
                        tax_code=EntityRef(name="vat")),
            InvoiceLine(item=EntityRef(name="widget-9"), amount=Decimal("20.00"),
                        tax_code=EntityRef(name="zero")),
            InvoiceLine(amount=Decimal("5.00")),
            InvoiceLine(description="Thank you for your business"))))
    sync_until_done(wc, services, clock)

    assert services.sync.record("Acme", "invoice", external_id="I-1").push_state == "synced"
    invoice = quickbooks.invoice("PL-1")
    assert invoice is not None
    names = quickbooks.books.full_name
    assert [names(line.item_id) if line.item_id else None for line in invoice.lines] == [
        "Consulting", "Hardware", "Hardware", None]
    assert [line.extra.get("SalesTaxCodeRef", {}).get("FullName") for line in invoice.lines] == [
        "Tax", "Non", None, None]
    assert quickbooks.invoice_balance("PL-1") == Decimal("175.00")
