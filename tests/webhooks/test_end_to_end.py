"""A Web Connector session only writes the change feed; one delivery pass sends it on."""

from __future__ import annotations

import json
from collections.abc import Callable

from mappers import Customer
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from qbwc_server.webhooks import WebhookService
from tests.acceptance.conftest import quickbooks_at
from tests.webhooks.conftest import Receiver, RecordingSender


def test_pulled_changes_reach_the_receiver_after_the_session(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock,
    webhooks: WebhookService, sender: RecordingSender, receive: Callable[..., Receiver],
) -> None:
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Ada Lovelace", email="ada@example.com")
    quickbooks.add_customer("Charles Babbage")
    quickbooks.add_invoice("Ada Lovelace", [{"item": "Consulting", "quantity": "2",
                                             "rate": "150.00"}], ref_number="1001")
    wc = connect(quickbooks)
    receiver = receive()
    webhooks.add_endpoint("Acme", receiver.url)

    assert wc.run_session().outcome is Outcome.OK
    feed = services.sync.changes("Acme", limit=1000)
    assert len(feed) >= 3
    # The session itself sent nothing: no attempt, no request at the receiver.
    assert sender.calls == []
    assert receiver.requests == []

    assert webhooks.deliver_due(max_items=1000) == len(feed)
    assert receiver.delivered == [change.id for change in feed]
    bodies = [json.loads(r.body) for r in receiver.requests]
    assert {(b["kind"], b["change"]) for b in bodies} >= {("customer", "created"),
                                                          ("invoice", "created")}
    assert {b["data"].get("name") for b in bodies if b["kind"] == "customer"} >= {
        "Ada Lovelace", "Charles Babbage"}
    assert all(b["company"] == "Acme" for b in bodies)


def test_a_conflict_between_quickbooks_and_the_platform_is_delivered(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock,
    webhooks: WebhookService, receive: Callable[..., Receiver],
) -> None:
    quickbooks = quickbooks_at(clock)
    wc = connect(quickbooks)
    services.sync.configure("Acme", directions={"customer": "both"})
    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Ada Lovelace",
                                                      email="ada@old.example"))
    assert wc.run_session().outcome is Outcome.OK
    clock.advance(minutes=20)
    assert wc.run_session().outcome is Outcome.OK
    receiver = receive()
    webhooks.add_endpoint("Acme", receiver.url)

    services.sync.submit("Acme", "customer", Customer(external_id="C-1", name="Ada Lovelace",
                                                      email="ada@new.example"))
    quickbooks.modify_customer("Ada Lovelace", Phone="555-0199")
    clock.advance(minutes=20)
    assert wc.run_session().outcome is Outcome.OK
    webhooks.deliver_due(max_items=1000)

    bodies = [json.loads(r.body) for r in receiver.requests]
    (conflict,) = [b for b in bodies if b["change"] == "conflict"]
    assert (conflict["kind"], conflict["external_id"]) == ("customer", "C-1")
    assert conflict["data"]["fields"] == {"quickbooks": ["phone"], "platform": ["email"],
                                          "both": []}
    assert conflict["data"]["record"]["phone"] == "555-0199"
