"""Push customers: created once, linked when the name exists, archived as inactive."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from mappers import Customer
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import SimulatedWebConnector
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import books, payment, sync_until_done


def _named(quickbooks: object, name: str) -> int:
    return sum(1 for c in quickbooks.books.customers.values()  # type: ignore[attr-defined]
               if c.name == name)


def _feed(services: Services, external_id: str) -> list[str]:
    return [c.change for c in services.sync.changes("Acme", limit=1000)
            if c.external_id == external_id]


def test_a_new_customer_is_created_and_a_known_name_is_linked_not_doubled(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {}})
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions={"customer": "both"})
    wc.run_session()  # Alice is pulled first: the platform's Alice must link to her
    clock.advance(60 * 20)
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Alice"))
    services.sync.submit("Acme", "customer", Customer(external_id="C-2", name="Carol"))

    sync_until_done(wc, services, clock)

    assert _named(quickbooks, "Alice") == 1
    assert _named(quickbooks, "Carol") == 1
    alice = services.sync.record("Acme", "customer", external_id="C-1")
    assert alice.push_state == "synced"
    assert alice.qb_id == quickbooks.customer("Alice").list_id  # type: ignore[union-attr]
    assert _feed(services, "C-1") == ["linked"]
    assert _feed(services, "C-2") == ["pushed"]


def test_an_archived_customer_is_inactive_in_quickbooks(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions={"customer": "push"})
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Dora"))
    sync_until_done(wc, services, clock)
    assert quickbooks.customer("Dora").is_active  # type: ignore[union-attr]

    services.sync.archive_customer("Acme", "C-1")
    sync_until_done(wc, services, clock)

    assert quickbooks.customer("Dora").is_active is False  # type: ignore[union-attr]
    assert services.sync.record("Acme", "customer", external_id="C-1").push_state == "synced"
    assert _feed(services, "C-1") == ["pushed", "archived"]


def test_a_payment_follows_its_new_customer_in_the_same_session(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions={"customer": "push"})
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Erin"))
    services.sync.submit("Acme", "payment", payment("P-1", "Erin", "12.00"))
    results = sync_until_done(wc, services, clock)
    assert len(results) == 1
    (received,) = quickbooks.payments_of("Erin")
    assert received.total == Decimal("12.00")


def test_a_payment_for_a_customer_quickbooks_lacks_waits_until_it_exists(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    wc = connect(quickbooks)
    services.sync.submit("Acme", "payment", payment("P-1", "Frank", "12.00"))
    wc.run_session()
    view = services.sync.record("Acme", "payment", external_id="P-1")
    assert view.push_state == "pending"
    assert "does not know the customer" in (view.push_error or "")

    quickbooks.add_customer("Frank")  # the accountant adds him
    clock.advance(60 * 20)
    sync_until_done(wc, services, clock)
    assert len(quickbooks.payments_of("Frank")) == 1
