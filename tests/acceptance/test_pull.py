"""Pull: what QuickBooks holds arrives in the platform's records and change feed."""

from __future__ import annotations

from collections.abc import Callable

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from tests.acceptance.conftest import generated


def _alive(counts: dict[str, dict[str, int]], kind: str) -> int:
    return sum(n for state, n in counts.get(kind, {}).items() if state != "deleted")


def test_first_sync_pulls_customers_and_the_last_twelve_months(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=40, invoices=300)
    wc = connect(quickbooks)
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    assert result.progress[-1] == 100
    counts = services.sync.counts("Acme")
    held = quickbooks.summary()
    assert _alive(counts, "customer") == held["Customer"] + held["Job"]
    recent = [sale for sale in quickbooks.books.sales.values()
              if sale.kind == "Invoice" and (clock.now().date() - sale.txn_date).days <= 365]
    assert 0 < _alive(counts, "invoice") == len(recent) < held["Invoice"]
