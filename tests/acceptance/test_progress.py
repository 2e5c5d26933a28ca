"""Progress is honest: 100 exactly when the session has nothing more to send."""

from __future__ import annotations

from collections.abc import Callable

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import books, payment


def test_a_payment_that_must_wait_does_not_leave_the_session_short_of_100(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00"}})
    wc = connect(quickbooks)
    # QuickBooks has no "Nobody Yet": the payment waits for its customer, so the push step
    # has a pending record but nothing it can send this session.
    services.sync.submit("Acme", "payment", payment("p-wait", "Nobody Yet", "10.00"))
    first = wc.run_session()
    assert first.outcome is Outcome.OK, first.last_error
    assert first.progress[-1] == 100
    assert all(p < 100 for p in first.progress[:-1])
    assert services.sync.record("Acme", "payment", external_id="p-wait").push_state != "synced"
    assert services.companies.get("Acme").status == "healthy"

