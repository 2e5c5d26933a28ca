"""Refusals QuickBooks means as "not now": which are tried again, when, and when they fail.

The schedule is the user's promise: a lock is tried again after 1, 2, 4, 8 and 16 minutes and
the sixth refusal is final, for the engine's writes and for requests queued by hand alike.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask

from mappers import Customer
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from qbxml import build_message
from qbxml.requests import CustomerAdd
from tests.acceptance.conftest import quickbooks_at
from tests.acceptance.pushing import (
    LATER,
    WebConnectorOver,
    acme,
    books,
    payment,
    sent_messages,
    sync_until_done,
)
from tests.acceptance.refusing import Refusing, lock_message

D = Decimal
PUSH_ONLY = {kind: "off" for kind in ("account", "item", "customer", "invoice")}
HAND_ONLY = {kind: "off" for kind in ("account", "item", "customer", "invoice", "payment",
                                      "deposit")}
#: Minutes after the first refusal at which a write that is always refused is sent again.
LOCK_SCHEDULE = [0, 1, 3, 7, 15, 31]
NOT_PROCESSED = "The request has not been processed."


@pytest.fixture
def quickbooks(clock: FakeClock) -> SimulatedCompany:
    company = quickbooks_at(clock)
    books(company, {"Alice": {"INV-1": "100.00"}, "Bob": {}})
    return company


@pytest.fixture
def web_connector(app: Flask, services: Services) -> WebConnectorOver:
    make = acme(app, services, directions=PUSH_ONLY)
    services.companies.set_cadence("Acme", 60)  # sessions start for due work only
    return make


def _every_minute(wc: SimulatedWebConnector, clock: FakeClock, minutes: int) -> None:
    for _ in range(minutes):
        wc.run_session()
        clock.advance(60)


def _minutes_after_first(refusing: Refusing) -> list[float]:
    return [(seen - refusing.seen[0]) / timedelta(minutes=1) for seen in refusing.seen]


# -- the engine's writes -----------------------------------------------------------------


@pytest.mark.parametrize("code", [3170, 3175, 3176])
def test_a_lock_is_tried_again_after_growing_pauses_then_the_payment_fails(
    code: int, web_connector: WebConnectorOver, quickbooks: SimulatedCompany,
    services: Services, clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "payment", payment("P-1", "Bob", "5.00"))
    refusing = Refusing(quickbooks, clock.now, tag="ReceivePaymentAddRq", code=code,
                        message=lock_message(code, "ReceivePayment"), times=0)
    _every_minute(web_connector(refusing), clock, 40)

    assert _minutes_after_first(refusing) == LOCK_SCHEDULE
    view = services.sync.record("Acme", "payment", external_id="P-1")
    assert view.push_state == "failed"
    assert view.push_error == (f"QuickBooks refused payment P-1: "
                               f"{lock_message(code, 'ReceivePayment').split(': ')[-1]} "
                               "(tried 6 times)")
    assert [c.change for c in services.sync.changes("Acme", limit=100)] == ["push_failed"]


def test_a_write_quickbooks_did_not_process_is_sent_again_not_failed(
    web_connector: WebConnectorOver, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "payment", payment("P-1", "Bob", "5.00"))
    refusing = Refusing(quickbooks, clock.now, tag="ReceivePaymentAddRq", code=3231,
                        message=NOT_PROCESSED)
    wc = web_connector(refusing)
    wc.run_session()
    view = services.sync.record("Acme", "payment", external_id="P-1")
    assert view.push_state == "pending"
    assert services.sync.changes("Acme") == []

    sync_until_done(wc, services, clock)
    assert len(quickbooks.payments_of("Bob")) == 1
    assert services.sync.record("Acme", "payment", external_id="P-1").push_state == "synced"


@pytest.mark.parametrize(("words", "retried"), [
    ("This list has been modified by another user.", True),  # consolibyte's capture
    ("The list element is in use.", True),  # someone has it open
    ("The name of the list element is not valid.", False),  # nothing time will mend
])
def test_3180_is_tried_again_only_when_quickbooks_says_the_cause_will_pass(
    words: str, retried: bool, web_connector: WebConnectorOver, quickbooks: SimulatedCompany,
    services: Services, clock: FakeClock,
) -> None:
    services.sync.configure("Acme", directions={"customer": "push"})
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Erin"))
    refusing = Refusing(quickbooks, clock.now, tag="CustomerAddRq", code=3180, message=(
        f'There was an error when saving a Customer list, element "Erin". '
        f"QuickBooks error message: {words}"))
    wc = web_connector(refusing)
    wc.run_session()
    clock.advance(LATER.total_seconds())
    wc.run_session()

    view = services.sync.record("Acme", "customer", external_id="C-1")
    if retried:
        assert view.push_state == "synced"
        assert quickbooks.customer("Erin") is not None
    else:
        assert view.push_state == "failed"
        assert view.push_error == f"QuickBooks refused customer C-1: {words}"
        assert quickbooks.customer("Erin") is None
    assert len(refusing.seen) == (2 if retried else 1)


@pytest.mark.parametrize("code", [3170, 3175])
def test_a_look_up_that_meets_a_lock_resends_nothing(
    code: int, web_connector: WebConnectorOver, quickbooks: SimulatedCompany,
    services: Services, clock: FakeClock,
) -> None:
    services.sync.submit("Acme", "payment", payment("P-1", "Bob", "5.00"))
    refusing = Refusing(quickbooks, clock.now, tag="ReceivePaymentQueryRq", code=code,
                        message=lock_message(code, "ReceivePayment"))
    # QuickBooks records the payment, then the Web Connector dies before passing the answer.
    wc = web_connector(refusing, "crash-after-apply:nth=1")
    assert wc.run_session().outcome is Outcome.CRASHED
    clock.advance(LATER.total_seconds())  # the dead session expires

    second = wc.run_session()
    assert refusing.refused == 1  # the look-up met the lock
    assert not [m for m in sent_messages([second]) if "ReceivePaymentAddRq" in m]
    assert services.sync.record("Acme", "payment", external_id="P-1").push_state == "unknown"
    assert len(quickbooks.payments_of("Bob")) == 1

    sync_until_done(wc, services, clock)
    assert len(quickbooks.payments_of("Bob")) == 1
    view = services.sync.record("Acme", "payment", external_id="P-1")
    assert (view.push_state, view.qb_id) == ("synced", quickbooks.payments_of("Bob")[0].txn_id)


# -- requests queued by hand ------------------------------------------------------------


def test_a_ping_that_meets_a_lock_is_sent_again_a_minute_later(
    web_connector: WebConnectorOver, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    services.sync.configure("Acme", directions=HAND_ONLY)
    item = services.companies.ping("Acme")
    refusing = Refusing(quickbooks, clock.now, tag="CompanyQueryRq", code=3170,
                        message=lock_message(3170, "Company"))
    wc = web_connector(refusing)

    assert wc.run_session().outcome is Outcome.OK
    (waiting,) = services.companies.items("Acme")
    assert (waiting.id, waiting.state) == (item.id, "queued")
    assert "This list has been modified by another user" in (waiting.error or "")

    clock.advance(59)
    assert wc.run_session().outcome is Outcome.NONE  # not yet
    clock.advance(1)
    assert wc.run_session().outcome is Outcome.OK
    (done,) = services.companies.items("Acme")
    assert done.state == "done"
    assert "<CompanyRet>" in (done.response_xml or "")
    assert _minutes_after_first(refusing) == [0, 1]


def test_a_write_queued_by_hand_is_tried_again_then_fails_on_the_sixth_lock(
    web_connector: WebConnectorOver, quickbooks: SimulatedCompany, services: Services,
    clock: FakeClock,
) -> None:
    services.sync.configure("Acme", directions=HAND_ONLY)
    message = build_message({"add-1": CustomerAdd(name="Hand Made")},
                            on_error="stopOnError")
    services.companies.enqueue("Acme", purpose="by hand", request_xml=message.xml, is_write=True)
    refusing = Refusing(quickbooks, clock.now, tag="CustomerAddRq", code=3176,
                        message=lock_message(3176, "Customer"), times=0)
    _every_minute(web_connector(refusing), clock, 40)

    assert _minutes_after_first(refusing) == LOCK_SCHEDULE
    (item,) = services.companies.items("Acme")
    assert item.state == "failed"
    assert item.error == ("QuickBooks was busy 6 times: Failed to acquire the lock. "
                          "Queue the request again when QuickBooks is free.")
    assert quickbooks.customer("Hand Made") is None
