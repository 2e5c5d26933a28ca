"""Every company route of the REST API keeps a key to its own company: generated from the
app's route table, so a new route is covered the day it is added.

Each ``/api/v1/`` route either names ``<company>`` and is requested here for Acme, or is in
:data:`NOT_COMPANY_ROUTES` with the reason and the test that guards it. Without a key the
answer is 401; with a key of another company it is the very 404 a company that does not
exist gets; neither changes the store. Acme's own key gets past both checks.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from qbwc_server.api import ApiKeyService
from qbwc_server.app import Services, create_app
from qbwc_server.store.models import ApiKey, Base
from tests.api.conftest import ApiClient, assert_problem
from tests.logs import assert_no_traceback

#: /api/v1 routes without a {company}, and what keeps them scoped.
NOT_COMPANY_ROUTES = {
    "api.openapi": "the public API description: no key, no company data",
    "api.list_companies": "lists only the key's company "
                          "(test_auth.py::test_a_company_key_cannot_see_other_companies)",
    "api.create_company": "needs a key for all companies "
                          "(test_auth.py::test_a_company_key_cannot_create_companies)",
}
#: Bodies for the routes that read one; the others are sent without a body.
BODIES: dict[str, dict[str, Any]] = {
    "api.put_record": {"payments": {"customer": {"name": "Ada"}, "amount": "5.00"},
                       "deposits": {"payments": [{"payment": {"name": "P-1"}}]},
                       "customers": {"name": "Ada"},
                       "invoices": {"customer": {"name": "Ada"},
                                    "lines": [{"amount": "5.00"}]}},
    "api.put_settings": {"": {"batch_size": 20}},
}
SAMPLE = {"company": "Acme", "external_id": "P-1", "qb_id": "1-1"}


def _requests() -> list[tuple[str, str, str, str]]:
    """(endpoint, method, path, variant) for every company route and each value of an
    ``any(...)`` segment; ``variant`` picks the body."""
    app = create_app({"database_url": "sqlite://", "secret_key": "t" * 40})
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in NOT_COMPANY_ROUTES:
            continue
        assert "company" in rule.arguments, (
            f"{rule.rule} names no company: guard it here or list it in NOT_COMPANY_ROUTES")
        variants = [""]
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                variants = list(converter.items)
                any_name = name
        for variant in variants:
            values = {**SAMPLE, **({any_name: variant} if variant else {})}
            path = rule.build(values, append_unknown=False)[1]
            found += [(rule.endpoint, method, path, variant)
                      for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    return sorted(found)


REQUESTS = _requests()


def test_the_route_table_was_read_and_the_exemptions_are_real() -> None:
    app = create_app({"database_url": "sqlite://", "secret_key": "t" * 40})
    assert set(NOT_COMPANY_ROUTES) <= {rule.endpoint for rule in app.url_map.iter_rules()}
    assert len({endpoint for endpoint, *_ in REQUESTS}) >= 14


def _snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row, except when a key was last used (recorded on every call, by design)."""
    with services.db.transaction() as session:
        return {table.name: sorted(
            (tuple(row) for row in session.execute(
                select(*(c for c in table.columns if c is not ApiKey.__table__.c.last_used_at)))),
            key=repr) for table in Base.metadata.sorted_tables}


@pytest.mark.parametrize(("endpoint", "method", "path", "variant"), REQUESTS,
                         ids=[f"{m}-{p}" for _, m, p, _ in REQUESTS])
def test_a_key_of_another_company_sees_nothing_and_changes_nothing(
    api: ApiClient, keys: ApiKeyService, services: Services, endpoint: str, method: str,
    path: str, variant: str, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    services.companies.add("Acme")
    services.companies.add("Beta")
    services.sync.configure("Acme", directions={"customer": "both", "invoice": "both"})
    _, acme_key = keys.add("acme", company="Acme")
    _, beta_key = keys.add("beta", company="Beta")
    body = BODIES.get(endpoint, {}).get(variant)
    nobody = api.request(method, path.replace("/Acme", "/Nobody", 1), json=body)
    before = _snapshot(services)

    anonymous = api.request(method, path, json=body, key="", )
    assert_problem(anonymous, 401, "unauthenticated")
    other = api.request(method, path, json=body, key=beta_key)
    assert_problem(other, 404, "not-found")
    assert other.get_json()["detail"] == "no company named 'Acme'"
    assert (other.status_code, other.get_json()["detail"]) == (
        nobody.status_code, nobody.get_json()["detail"].replace("Nobody", "Acme"))
    assert _snapshot(services) == before
    assert_no_traceback(caplog.records)

    own = api.request(method, path, json=body, key=acme_key)
    assert own.status_code != 401
    assert (own.get_json() or {}).get("detail") != "no company named 'Acme'", own.get_json()
