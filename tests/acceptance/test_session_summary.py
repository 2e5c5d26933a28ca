"""Each session's summary: what it pulled, what it pushed, what failed (the partner's history)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import SimulatedWebConnector
from qbwc_server.store.models import WebConnectorSession
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import LATER, books, payment


def _summaries(services: Services) -> list[dict[str, Any]]:
    with services.db.transaction() as session:
        rows = session.scalars(select(WebConnectorSession).order_by(WebConnectorSession.id))
        return [json.loads(row.summary or "null") for row in rows]


def test_a_session_counts_what_it_pulled_pushed_and_failed(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00", "INV-2": "80.00"}, "Bob": {"INV-3": "50.00"}})
    wc = connect(quickbooks)
    accounts, items = len(quickbooks.books.accounts), len(quickbooks.books.items)
    invoice = quickbooks.invoice("INV-1")
    assert invoice is not None
    services.sync.submit("Acme", "payment", payment("P-1", "Alice", "40.00",
                                                    invoices={invoice.txn_id: "40.00"},
                                                    by_txn_id=True))
    services.sync.submit("Acme", "payment", payment("P-2", "Bob", "5.00"))
    services.sync.submit("Acme", "payment", payment("P-3", "Alice", "500.00",  # overpays
                                                    invoices={invoice.txn_id: "500.00"},
                                                    by_txn_id=True))
    wc.run_session()
    clock.advance(LATER.total_seconds())
    quickbooks.modify_customer("Bob", Phone="555-0101")
    clock.advance(LATER.total_seconds())
    wc.run_session()

    first, second = _summaries(services)
    assert first == {
        "pulled": {"account": accounts, "item": items, "customer": 2, "invoice": 3},
        "pushed": {"payment": 2},
        "failed": 1,
    }
    # The pushed payments moved INV-1, Alice's and Bob's balances, Accounts Receivable and
    # Undeposited Funds; the accountant changed Bob too.
    assert second == {"pulled": {"account": 2, "customer": 2, "invoice": 1}, "pushed": {},
                      "failed": 0}
