"""A generated company of 2,000 customers and 20,000 invoices: the first sync brings every
customer and the last 12 months, later sessions the history; then the accountant's changes
(modify, pay partially, credit, delete, archive) each arrive in the change feed.

SQLite only, for time (about half a minute): the PostgreSQL path of the same pull code runs in
``test_pull.py`` and the fault tests. Marked ``slow`` so it can be left out with
``-m "not slow"``; ``make test`` runs it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.company.model import SalesTxn
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from qbwc_server.sync.service import Change
from tests.acceptance.conftest import generated

pytestmark = [pytest.mark.slow,
              pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]
CUSTOMERS, INVOICES = 2000, 20000


@pytest.fixture
def big(clock: FakeClock) -> Iterator[SimulatedCompany]:
    company = generated(clock, customers=CUSTOMERS, invoices=INVOICES)
    # The simulated QuickBooks shares the server's process (it would not in real life): keep
    # its 20,000 invoices out of every garbage collection the server's work triggers.
    gc.collect()
    gc.freeze()
    yield company
    gc.unfreeze()


def _feed(services: Services, after: int) -> list[Change]:
    """Every change-feed entry after ``after`` (bounded paging)."""
    found: list[Change] = []
    for _ in range(1000):
        page = services.sync.changes("Acme", after=after, limit=1000)
        found += page
        if len(page) < 1000:
            return found
        after = page[-1].id
    raise AssertionError("the change feed did not end")


def _alive(services: Services, kind: str) -> int:
    counts = services.sync.counts("Acme").get(kind, {})
    return sum(n for state, n in counts.items() if state != "deleted")


def _open_invoices(quickbooks: SimulatedCompany, today: object, count: int) -> list[SalesTxn]:
    """Recent unpaid invoices of different customers, each with a RefNumber."""
    chosen: dict[str, SalesTxn] = {}
    for sale in sorted(quickbooks.books.sales.values(), key=lambda s: s.txn_id):
        if (sale.kind == "Invoice" and sale.ref_number and sale.customer_id not in chosen
                and sale.txn_date >= today - timedelta(days=200)  # type: ignore[operator]
                and quickbooks.books.balance_remaining(sale) > Decimal("20.00")
                and not quickbooks.books.payments_on(sale.txn_id)):
            chosen[sale.customer_id] = sale
            if len(chosen) == count:
                break
    return list(chosen.values())


def test_a_large_company_arrives_recent_first_and_every_change_follows(
    big: SimulatedCompany, connect: Callable[..., SimulatedWebConnector], services: Services,
    clock: FakeClock,
) -> None:
    quickbooks = big
    held = quickbooks.summary()
    assert (held["Customer"] + held["Job"], held["Invoice"]) == (CUSTOMERS, INVOICES)
    today = clock.now().date()
    invoices = [s for s in quickbooks.books.sales.values() if s.kind == "Invoice"]
    recent = sum(1 for s in invoices if (today - s.txn_date).days <= 365)
    wc = connect(quickbooks)

    first = wc.run_session()
    assert first.outcome is Outcome.OK, first.last_error
    assert _alive(services, "customer") == CUSTOMERS
    assert _alive(services, "invoice") == recent < INVOICES

    pulled = [recent]
    for _ in range(4):  # a year of history per session, until a year comes back empty
        clock.advance(minutes=6)
        assert wc.run_session().outcome is Outcome.OK
        pulled.append(_alive(services, "invoice"))
    assert pulled[-1] == INVOICES, pulled
    assert pulled == sorted(pulled)

    cursor = _feed(services, 0)[-1].id
    modified, partly_paid, credited, deleted = _open_invoices(quickbooks, today, 4)
    customer_of = quickbooks.books.full_name
    archived = customer_of(deleted.customer_id)
    clock.advance(minutes=6)
    quickbooks.modify_invoice(modified.ref_number or "",
                              lines=[{"item": "Consulting", "amount": "123.45"}])
    quickbooks.receive_payment(customer_of(partly_paid.customer_id), "10.00",
                               apply_to={partly_paid.ref_number: "10.00"})
    credit = quickbooks.add_credit_memo(customer_of(credited.customer_id),
                                        [{"item": "Consulting", "amount": "15.00"}])
    quickbooks.apply_credit(credited.ref_number or "", credit.txn_id, "15.00")
    quickbooks.delete_invoice(deleted.ref_number or "")
    quickbooks.archive_customer(archived)
    assert wc.run_session().outcome is Outcome.OK

    changes = {(c.kind, c.change, c.qb_id) for c in _feed(services, cursor)}
    archived_id = quickbooks.customer(archived).list_id  # type: ignore[union-attr]
    for sale in (modified, partly_paid, credited):
        assert ("invoice", "updated", sale.txn_id) in changes, sale.ref_number
        view = services.sync.record("Acme", "invoice", qb_id=sale.txn_id)
        assert Decimal(view.data["open_balance"]) == quickbooks.books.balance_remaining(sale)
    assert ("invoice", "deleted", deleted.txn_id) in changes
    assert ("customer", "archived", archived_id) in changes
    assert services.sync.record("Acme", "invoice", qb_id=deleted.txn_id).is_deleted
    assert services.sync.record("Acme", "invoice", qb_id=modified.txn_id).data["total"] == \
        "123.45"
    assert services.sync.record("Acme", "customer", qb_id=archived_id).data["is_active"] is False
