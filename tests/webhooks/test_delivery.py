"""Deliveries to a real local receiver: signature, retries, order, scope, give-up, redeliver."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.errors import NotFoundError
from qbwc_server.store.database import Database
from qbwc_server.store.models import WebhookDelivery, WebhookEndpoint
from qbwc_server.webhooks import WebhookService
from qbwc_server.webhooks.signing import SecretBox
from tests.webhooks.conftest import Receiver, RecordingSender, documented_verifier

Receive = Callable[..., Receiver]
AddChanges = Callable[..., list[int]]


@pytest.fixture
def acme(services: Services) -> str:
    services.companies.add("Acme")
    return "Acme"


def test_a_delivery_verifies_with_the_documented_snippet(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    clock: FakeClock,
) -> None:
    receiver = receive()
    endpoint, secret = webhooks.add_endpoint(acme, receiver.url)
    [change_id] = add_changes(acme, 1)

    assert webhooks.deliver_due() == 1

    [got] = receiver.requests
    verify = documented_verifier()
    now = clock.now().timestamp()
    assert verify(secret, got.headers, got.body, now=now)
    assert got.headers["Qbwc-Webhook-Id"] == str(webhooks.deliveries()[0].id)
    assert got.headers["Qbwc-Webhook-Attempt"] == "1"
    assert got.headers["Content-Type"] == "application/json"
    assert json.loads(got.body) == {
        "id": change_id, "company": "Acme", "kind": "customer", "change": "created",
        "qb_id": "1-1767625200", "external_id": None, "data": {"name": "Acme customer 1"},
        "created_at": clock.now().isoformat(),
    }
    # What the snippet refuses: another secret, a changed body, a replay after 5 minutes.
    other_secret = webhooks.rotate_secret(endpoint.id)
    assert not verify(other_secret, got.headers, got.body, now=now)
    assert not verify(secret, got.headers, got.body.replace(b"Acme", b"Evil"), now=now)
    assert not verify(secret, got.headers, got.body, now=now + 301)
    assert verify(secret, got.headers, got.body, now=now + 299)


def test_failures_are_retried_with_backoff_until_acknowledged(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    clock: FakeClock,
) -> None:
    receiver = receive()
    receiver.statuses = [500, 500]
    webhooks.add_endpoint(acme, receiver.url)
    add_changes(acme, 1)

    assert webhooks.deliver_due() == 1
    [log] = webhooks.deliveries()
    assert (log.state, log.attempts, log.last_status) == ("pending", 1, 500)
    assert log.last_error is not None
    assert "receiver is down" in log.last_error
    assert log.next_attempt_at == clock.now() + webhooks.policy.next_delay(1)  # type: ignore[operator]

    clock.advance(9)
    assert webhooks.deliver_due() == 0  # not due before the backoff
    clock.advance(1)
    assert webhooks.deliver_due() == 1
    assert webhooks.deliveries()[0].attempts == 2
    clock.advance(19)
    assert webhooks.deliver_due() == 0
    clock.advance(1)
    assert webhooks.deliver_due() == 1

    [log] = webhooks.deliveries()
    assert (log.state, log.attempts, log.last_status, log.last_error) == (
        "delivered", 3, 200, None)
    assert log.delivered_at == clock.now()
    assert [r.status for r in receiver.requests] == [500, 500, 200]
    assert [r.headers["Qbwc-Webhook-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert len({r.headers["Qbwc-Webhook-Id"] for r in receiver.requests}) == 1
    clock.advance(3600)
    assert webhooks.deliver_due() == 0


def test_order_is_kept_per_company_when_an_entry_fails(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    services: Services, clock: FakeClock,
) -> None:
    services.companies.add("Beta")
    receiver = receive()
    webhooks.add_endpoint(None, receiver.url)
    ids = add_changes(acme, 5)
    beta = add_changes("Beta", 2)
    receiver.failures[ids[1]] = 1

    webhooks.deliver_due()
    # Entry 2 failed: 3..5 wait behind it; the other company is not held up.
    assert set(receiver.delivered) == {ids[0], *beta}

    clock.advance(10)
    webhooks.deliver_due()
    acme_received = [r.change_id for r in receiver.requests if r.change_id in ids]
    assert acme_received == [ids[0], ids[1], ids[1], ids[2], ids[3], ids[4]]
    assert [i for i in receiver.delivered if i in ids] == ids


def test_installation_endpoints_get_every_company_and_company_endpoints_their_own(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    services: Services,
) -> None:
    services.companies.add("Beta")
    everyone, only_acme, only_beta = receive("/all"), receive("/acme"), receive("/beta")
    webhooks.add_endpoint(None, everyone.url)
    webhooks.add_endpoint(acme, only_acme.url)
    webhooks.add_endpoint("Beta", only_beta.url)
    acme_ids = add_changes(acme, 2)
    beta_ids = add_changes("Beta", 3)

    assert webhooks.deliver_due() == 2 * 5
    assert sorted(everyone.delivered) == sorted(acme_ids + beta_ids)
    assert only_acme.delivered == acme_ids
    assert only_beta.delivered == beta_ids
    assert {json.loads(r.body)["company"] for r in only_beta.requests} == {"Beta"}
    assert len(webhooks.deliveries(company="Beta")) == 6
    assert len(webhooks.deliveries(endpoint_id=webhooks.endpoints(acme)[0].id)) == 2


def test_a_delivery_fails_after_the_last_attempt_and_releases_the_next(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    clock: FakeClock, caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = receive()
    webhooks.add_endpoint(acme, receiver.url)
    first, second = add_changes(acme, 2)
    receiver.failures[first] = 10**6

    attempts = 0
    for _ in range(webhooks.policy.max_attempts + 5):  # bounded: more passes than attempts
        attempts += webhooks.deliver_due()
        clock.advance(3600)
    by_change = {d.change_id: d for d in webhooks.deliveries()}
    assert (by_change[first].state, by_change[first].attempts) == ("failed", 30)
    assert by_change[first].next_attempt_at is None
    assert by_change[second].state == "delivered"
    assert attempts == 31
    assert receiver.delivered == [second]
    assert "now failed" in caplog.text


def test_redeliver_sends_again_with_fresh_attempts(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    clock: FakeClock, db: Database,
) -> None:
    receiver = receive()
    webhooks.add_endpoint(acme, receiver.url)
    add_changes(acme, 1)
    webhooks.deliver_due()
    [done] = webhooks.deliveries()
    assert done.state == "delivered"

    clock.advance(60)
    webhooks.redeliver(done.id)
    [queued] = webhooks.deliveries()
    assert (queued.state, queued.attempts, queued.delivered_at) == ("pending", 0, None)
    assert webhooks.deliver_due() == 1
    assert len(receiver.delivered) == 2
    assert receiver.requests[1].headers["Qbwc-Webhook-Id"] == str(done.id)

    # A failed one comes back to life the same way.
    with db.transaction() as session:
        row = session.get(WebhookDelivery, done.id)
        assert row is not None
        row.state = "failed"
    webhooks.redeliver(done.id)
    assert webhooks.deliver_due() == 1
    assert webhooks.deliveries()[0].state == "delivered"


def test_an_unreachable_endpoint_counts_as_a_failed_attempt(
    webhooks: WebhookService, add_changes: AddChanges, acme: str,
) -> None:
    webhooks.add_endpoint(acme, "http://127.0.0.1:9/hook")  # discard port: nothing listens
    add_changes(acme, 1)
    assert webhooks.deliver_due() == 1
    [log] = webhooks.deliveries()
    assert (log.state, log.attempts, log.last_status) == ("pending", 1, None)
    assert log.last_error


def test_the_secret_stays_out_of_logs_and_the_database(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    db: Database, caplog: pytest.LogCaptureFixture, database_url: str,
    clock: FakeClock,
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver = receive()
    receiver.statuses = [500]
    endpoint, secret = webhooks.add_endpoint(acme, receiver.url, "platform")
    rotated = webhooks.rotate_secret(endpoint.id)
    add_changes(acme, 2)
    webhooks.deliver_due()
    clock.advance(10)
    webhooks.deliver_due()
    assert receiver.delivered

    for value in (secret, rotated):
        assert value not in caplog.text
    with db.transaction() as session:
        rows = [*session.query(WebhookEndpoint).all(), *session.query(WebhookDelivery).all()]
        dumped = " ".join(str(vars(row)) for row in rows)
        stored = session.get(WebhookEndpoint, endpoint.id)
        assert stored is not None
        token = stored.secret_encrypted
    assert secret not in dumped
    assert rotated not in dumped
    assert SecretBox("t" * 40).decrypt(token) == rotated
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                       if p.exists())
        assert rotated.encode() not in raw
        assert secret.encode() not in raw


def test_a_new_endpoint_starts_from_now(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    clock: FakeClock,
) -> None:
    receiver = receive()
    add_changes(acme, 3)  # history before the endpoint
    clock.advance(1)
    webhooks.add_endpoint(acme, receiver.url)
    assert webhooks.deliver_due() == 0
    new = add_changes(acme, 2)
    assert webhooks.deliver_due() == 2
    assert receiver.delivered == new


def test_a_removed_endpoint_gets_nothing_more(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
) -> None:
    receiver = receive()
    endpoint, _ = webhooks.add_endpoint(acme, receiver.url)
    add_changes(acme, 1)
    webhooks.deliver_due()
    webhooks.remove_endpoint(endpoint.id)
    add_changes(acme, 1)
    assert webhooks.deliver_due() == 0
    assert webhooks.endpoints() == []
    assert webhooks.deliveries() == []
    assert len(receiver.requests) == 1


def test_a_pass_is_bounded_and_the_next_one_continues(
    webhooks: WebhookService, receive: Receive, add_changes: AddChanges, acme: str,
    sender: RecordingSender,
) -> None:
    receiver = receive()
    webhooks.add_endpoint(acme, receiver.url)
    ids = add_changes(acme, 7)
    assert webhooks.deliver_due(max_items=3) == 3
    assert webhooks.deliver_due(max_items=3) == 3
    assert webhooks.deliver_due(max_items=3) == 1
    assert receiver.delivered == ids
    assert len(sender.calls) == 7


def test_an_attempt_is_claimed_once(
    webhooks: WebhookService, add_changes: AddChanges, acme: str, db: Database,
    clock: FakeClock,
) -> None:
    from qbwc_server.webhooks import queue

    webhooks.add_endpoint(acme, "https://hooks.example.com/x")
    add_changes(acme, 1)
    with db.transaction() as session:
        queue.enqueue_new(session, clock.now(), 100)
        assert queue.enqueue_new(session, clock.now(), 100) == 0  # nothing new the 2nd time
        [(delivery_id, attempts)] = queue.due_heads(session, clock.now(), 10)
    with db.transaction() as session:
        assert queue.claim(session, delivery_id, attempts, clock.now())
    with db.transaction() as session:
        assert not queue.claim(session, delivery_id, attempts, clock.now())
        assert queue.due_heads(session, clock.now(), 10) == []  # leased


def test_endpoints_are_listed_by_company(
    webhooks: WebhookService, acme: str, services: Services,
) -> None:
    services.companies.add("Beta")
    everyone, _ = webhooks.add_endpoint(None, "https://hooks.example.com/all", " all ")
    mine, _ = webhooks.add_endpoint(acme, "https://hooks.example.com/acme")
    assert (everyone.company, everyone.description) == (None, "all")
    assert [e.id for e in webhooks.endpoints()] == [everyone.id, mine.id]
    assert webhooks.endpoints(acme) == [mine]
    assert webhooks.endpoints("Beta") == []
    assert (webhooks.endpoint(mine.id), webhooks.endpoint(everyone.id)) == (mine, everyone)
    with pytest.raises(NotFoundError):
        webhooks.endpoint(mine.id + 100)


def test_services_carry_the_webhook_service(services: Services) -> None:
    assert isinstance(services.webhooks, WebhookService)
