"""Deletions QuickBooks cannot answer in one go are read in narrower date windows.

TxnDeletedQuery and ListDeletedQuery have neither an iterator nor MaxReturned (qbXML 13.0,
``tests/fixtures/qbxmlops``). Before, a pile of deletions too large for one answer failed the
same message in every session, so no deletion was ever seen again, and the session ended
before any push."""

from __future__ import annotations

import pytest
from flask import Flask

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import locked_response
from qbwc_server.simulator.webconnector import Outcome
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import LATER, acme

#: Any query answer carrying more than this many records fails with "out of memory".
LIMIT = 15
DELETED = 40
SESSIONS = 10


def _clear_out(quickbooks: SimulatedCompany, clock: FakeClock, which: str) -> list[str]:
    """The accountant deletes ``DELETED`` invoices (or customers) over an afternoon."""
    ids = []
    for n in range(DELETED):
        clock.advance(minutes=6)
        if which == "txn":
            invoice = quickbooks.invoice(f"{3000 + n}")
            assert invoice is not None
            ids.append(invoice.txn_id)
            quickbooks.delete_invoice(f"{3000 + n}")
        else:
            customer = quickbooks.customer(f"Customer {n:02}")
            assert customer is not None
            ids.append(customer.list_id)
            quickbooks.delete_customer(f"Customer {n:02}")
    return ids


def _books(clock: FakeClock, which: str) -> SimulatedCompany:
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Grace Hopper")
    for n in range(DELETED):
        if which == "txn":
            quickbooks.add_invoice("Grace Hopper", [{"item": "Consulting", "amount": "10.00"}],
                                   ref_number=f"{3000 + n}")
        else:
            quickbooks.add_customer(f"Customer {n:02}")
    return quickbooks


@pytest.mark.parametrize("which", ["txn", "list"])
def test_more_deletions_than_one_answer_holds_are_all_seen_in_a_few_sessions(
    which: str, app: Flask, services: Services, clock: FakeClock,
) -> None:
    quickbooks = _books(clock, which)
    connect = acme(app, services, page_size=10)
    assert connect(quickbooks).run_session().outcome is Outcome.OK
    kind = "invoice" if which == "txn" else "customer"
    ids = _clear_out(quickbooks, clock, which)

    wc = connect(quickbooks, f"page-limit:records={LIMIT}")
    outcomes = []
    for _ in range(SESSIONS):
        clock.advance(LATER.total_seconds())
        outcomes.append(wc.run_session().outcome)
        if all(services.sync.record("Acme", kind, qb_id=i).is_deleted for i in ids):
            break

    assert all(services.sync.record("Acme", kind, qb_id=i).is_deleted for i in ids), outcomes
    assert outcomes[0] is Outcome.ERROR  # the whole pile did not fit in one answer
    deleted = [c for c in services.sync.changes("Acme", limit=1000) if c.change == "deleted"]
    assert sorted(c.qb_id for c in deleted) == sorted(ids)  # each reported once
    # And the sessions after that are clean again.
    clock.advance(LATER.total_seconds())
    assert wc.run_session().outcome is Outcome.OK


class _RefusesLargeDeletionAnswers:
    """QuickBooks answers a deletion query of more than ``LIMIT`` records with an error
    status (here its lock status) instead of the records."""

    def __init__(self, inner: SimulatedCompany) -> None:
        self._inner = inner
        self.refused = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def process(self, request_xml: str) -> str:
        answer = self._inner.process(request_xml)
        carried = answer.count("</TxnDeletedRet>") + answer.count("</ListDeletedRet>")
        if carried > LIMIT:
            self.refused += 1
            return locked_response(request_xml, 3175)
        return answer


def test_a_deletion_window_refused_with_an_error_status_is_narrowed_in_the_same_session(
    app: Flask, services: Services, clock: FakeClock,
) -> None:
    quickbooks = _books(clock, "txn")
    connect = acme(app, services)
    assert connect(quickbooks).run_session().outcome is Outcome.OK
    ids = _clear_out(quickbooks, clock, "txn")
    refusing = _RefusesLargeDeletionAnswers(quickbooks)

    clock.advance(LATER.total_seconds())
    result = connect(refusing).run_session()  # type: ignore[arg-type]

    assert result.outcome is Outcome.OK, result.last_error
    assert refusing.refused >= 1
    assert all(services.sync.record("Acme", "invoice", qb_id=i).is_deleted for i in ids)
