"""Progress is honest: it only grows, equal work moves it equally, and it is 100 exactly
when the session has nothing more to send."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SessionResult, SimulatedWebConnector
from tests.acceptance.conftest import generated, quickbooks_at
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



def _progress_by_request(result: SessionResult) -> list[tuple[str, int]]:
    """(first request element of each message sent, the progress its answer got)."""
    pairs, sent = [], ""
    for exchange in result.transcript:
        if exchange.method == "sendRequestXML" and exchange.answer:
            sent = str(exchange.answer).split("<QBXMLMsgsRq", 1)[1].split("<", 2)[1]
            sent = sent.split(" ", 1)[0].split(">", 1)[0]
        elif exchange.method == "receiveResponseXML" and isinstance(exchange.answer, int):
            pairs.append((sent, exchange.answer))
    return pairs


def test_progress_only_grows_and_equal_pages_move_it_equally(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=60, invoices=240)
    wc = connect(quickbooks)
    services.sync.configure("Acme", page_size=10)  # several pages of customers and invoices
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    pairs = _progress_by_request(result)
    progress = [value for _, value in pairs]
    assert progress[-1] == 100, pairs
    assert all(before < after for before, after in pairwise(progress)), progress
    for query in ("CustomerQueryRq", "InvoiceQueryRq"):
        steps = [after - before for (_, before), (name, after) in pairwise(pairs)
                 if name == query]
        # The first page tells how many follow; from then on each page is an equal share.
        assert len(steps) >= 4, pairs
        assert max(steps[1:]) - min(steps[1:]) <= 1, (query, steps)
