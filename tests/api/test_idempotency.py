"""Idempotency-Key on POSTs: replay, mismatch, per API key, secrets never stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from qbwc_server.api import ApiKeyService
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.store.models import ApiKey, IdempotencyKey
from tests.api.conftest import ApiClient, assert_problem

KEY = {"Idempotency-Key": "create-acme-1"}


def test_the_same_key_and_body_replays_the_first_answer(api: ApiClient,
                                                        services: Services) -> None:
    first = api.post("/companies", json={"name": "Acme"}, headers=KEY)
    again = api.post("/companies", json={"name": "Acme"}, headers=KEY)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.get_json()["company"] == first.get_json()["company"]
    assert len(services.companies.list()) == 1


def test_a_replay_never_carries_the_password(api: ApiClient, services: Services) -> None:
    first = api.post("/companies", json={"name": "Acme"}, headers=KEY).get_json()
    again = api.post("/companies", json={"name": "Acme"}, headers=KEY).get_json()
    assert first["password"]
    assert again["password"] is None
    with services.db.transaction() as session:
        stored = session.scalar(select(IdempotencyKey.response_body))
    assert stored is not None
    assert first["password"] not in stored


def test_whitespace_and_key_order_do_not_make_another_body(api: ApiClient) -> None:
    api.post("/companies", json={"name": "Acme", "cadence_minutes": 5}, headers=KEY)
    again = api.post("/companies", data='{ "cadence_minutes": 5,  "name": "Acme" }',
                     content_type="application/json", headers=KEY)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_422(api: ApiClient, services: Services) -> None:
    api.post("/companies", json={"name": "Acme"}, headers=KEY)
    other = api.post("/companies", json={"name": "Beta"}, headers=KEY)
    assert_problem(other, 422, "idempotency-key-reused")
    elsewhere = api.post("/companies/Acme/sync", headers=KEY)
    assert elsewhere.status_code == 422
    assert [c.name for c in services.companies.list()] == ["Acme"]


def test_keys_belong_to_one_api_key(api: ApiClient, keys: ApiKeyService,
                                    services: Services) -> None:
    api.post("/companies", json={"name": "Acme"}, headers=KEY)
    _, other_key = keys.add("another platform")
    response = api.post("/companies", json={"name": "Beta"}, headers=KEY, key=other_key)
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert len(services.companies.list()) == 2


def test_errors_are_not_kept_so_a_fixed_retry_runs(api: ApiClient) -> None:
    api.post("/companies", json={"name": "Acme"})
    taken = api.post("/companies", json={"name": "Acme"}, headers=KEY)
    assert taken.status_code == 409
    again = api.post("/companies", json={"name": "Acme"}, headers=KEY)
    assert again.status_code == 409
    assert "Idempotent-Replayed" not in again.headers


def test_a_key_still_running_is_409(api: ApiClient, services: Services,
                                    clock: FakeClock) -> None:
    with services.db.transaction() as session:
        owner = session.scalar(select(ApiKey.id))
        assert owner is not None
        session.add(IdempotencyKey(api_key_id=owner, key="busy", method="POST",
                                   path="/api/v1/companies", request_digest="x",
                                   response_status=0, response_body="", created_at=clock.now()))
    response = api.post("/companies", json={"name": "Acme"},
                        headers={"Idempotency-Key": "busy"})
    assert_problem(response, 409, "idempotency-key-in-use")
    clock.advance(minutes=6)  # the request that held it died
    assert api.post("/companies", json={"name": "Acme"},
                    headers={"Idempotency-Key": "busy"}).status_code == 201



def test_an_expired_key_can_be_used_again(api: ApiClient, clock: FakeClock) -> None:
    api.post("/companies", json={"name": "Acme"}, headers=KEY)
    clock.advance(timedelta(hours=24).total_seconds())
    assert api.post("/companies", json={"name": "Beta"}, headers=KEY).status_code == 201


def test_record_actions_replay_too(api: ApiClient, acme: str) -> None:
    api.put("/companies/Acme/payments/p1",
            json={"customer": {"name": "Ada"}, "amount": "10.00"})
    headers = {"Idempotency-Key": "reverse-p1"}
    first = api.post("/companies/Acme/payments/p1/reversal", headers=headers)
    again = api.post("/companies/Acme/payments/p1/reversal", headers=headers)
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"


def test_an_overlong_key_is_400(api: ApiClient) -> None:
    response = api.post("/companies", json={"name": "Acme"},
                        headers={"Idempotency-Key": "k" * 201})
    assert response.status_code == 400
