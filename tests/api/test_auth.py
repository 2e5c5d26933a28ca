"""Bearer API keys: missing, malformed, unknown, revoked, other company's; all as problems."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from qbwc_server.api import ApiKeyService
from qbwc_server.api.keys import key_digest
from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.store.models import ApiKey
from tests.api.conftest import ApiClient, assert_problem, problem_type


def test_no_key_is_401_with_a_bearer_challenge(api: ApiClient) -> None:
    response = api.get("/companies", key="")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="qbwc-server"'
    assert response.mimetype == "application/problem+json"
    assert problem_type(response) == "unauthenticated"
    assert response.get_json()["instance"] == "/api/v1/companies"


@pytest.mark.parametrize("header", [
    "Bearer nonsense",                                   # not our format
    "Bearer qbwc_abcdefgh_short",                        # secret too short
    "Basic dXNlcjpwYXNz",                                # another scheme
    "Bearer qbwc_abcdefgh_" + "A" * 40,                  # well formed, unknown prefix
    "Bearer",                                            # no token at all
])
def test_malformed_and_unknown_keys_are_401(api: ApiClient, header: str) -> None:
    response = api.get("/companies", headers={"Authorization": header})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert problem_type(response) == "unauthenticated"


def test_a_right_prefix_with_a_wrong_secret_is_401(api: ApiClient) -> None:
    forged = api.key[:-1] + ("a" if api.key[-1] != "a" else "b")
    assert api.get("/companies", key=forged).status_code == 401


def test_a_revoked_key_is_refused_at_once(api: ApiClient, keys: ApiKeyService) -> None:
    assert api.get("/companies").status_code == 200
    keys.revoke(api.key.split("_")[1])
    response = api.get("/companies")
    assert response.status_code == 401
    assert problem_type(response) == "unauthenticated"


def test_a_company_key_cannot_see_other_companies(
    api: ApiClient, keys: ApiKeyService, services: Services
) -> None:
    services.companies.add("Acme")
    services.companies.add("Beta")
    _, key = keys.add("acme only", company="Acme")
    assert api.get("/companies/Acme", key=key).status_code == 200
    other = api.get("/companies/Beta", key=key)
    absent = api.get("/companies/Nobody", key=key)
    # The same 404 as a company that does not exist: existence is not revealed.
    assert other.status_code == absent.status_code == 404
    assert other.get_json()["detail"] == "no company named 'Beta'"
    assert absent.get_json()["detail"] == "no company named 'Nobody'"
    for path in ("/companies/Beta/payments", "/companies/Beta/changes",
                 "/companies/Beta/settings", "/companies/Beta/status"):
        assert api.get(path, key=key).status_code == 404, path
    assert api.put("/companies/Beta/payments/p1", key=key,
                   json={"customer": {"name": "A"}, "amount": "1.00"}).status_code == 404
    assert [c["name"] for c in api.get("/companies", key=key).get_json()["data"]] == ["Acme"]
    assert [c["name"] for c in api.get("/companies").get_json()["data"]] == ["Acme", "Beta"]


def test_a_company_key_cannot_create_companies(api: ApiClient, keys: ApiKeyService,
                                                services: Services) -> None:
    services.companies.add("Acme")
    _, key = keys.add("acme only", company="Acme")
    response = api.post("/companies", key=key, json={"name": "Gamma"})
    assert response.status_code == 403
    assert problem_type(response) == "forbidden"


def test_only_a_digest_is_stored_and_last_use_is_recorded(
    api: ApiClient, services: Services, clock: FakeClock
) -> None:
    with services.db.transaction() as session:
        row = session.scalar(select(ApiKey))
        assert row is not None
        assert row.key_digest == key_digest(api.key)
        assert api.key not in (row.key_digest,
                                                                         row.prefix)
        assert row.last_used_at is None
    api.get("/companies")
    with services.db.transaction() as session:
        assert session.scalar(select(ApiKey.last_used_at)) == clock.now()


def test_keys_look_right(keys: ApiKeyService) -> None:
    view, key = keys.add("platform")
    qbwc, prefix, secret = key.split("_")
    assert (qbwc, prefix) == ("qbwc", view.prefix)
    assert len(prefix) == 8
    assert len(secret) >= 32
    assert keys.add("platform")[1] != key


def test_keys_never_reach_the_log(api: ApiClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api.get("/companies/Nobody")
    api.get("/companies", key=api.key + "x")
    assert api.key not in caplog.text


def test_unknown_api_paths_and_methods_are_problems(api: ApiClient) -> None:
    missing = api.get("/no/such/thing")
    assert_problem(missing, 404, "not-found")
    wrong = api.request("DELETE", "/companies")
    assert_problem(wrong, 405, "method-not-allowed")
    assert "POST" in wrong.headers["Allow"]
