"""The OpenAPI document: valid OpenAPI 3.1, served without a key, and complete."""

from __future__ import annotations

from typing import Any

from flask import Flask
from openapi_spec_validator import validate

from qbwc_server.api import API_PREFIX, document
from qbwc_server.api.problems import TYPES
from tests.api.conftest import ApiClient
from tests.api.openapi_check import path_template


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(document())
    assert document()["openapi"] == "3.1.0"


def test_it_is_served_without_a_key(api: ApiClient) -> None:
    response = api.get("/openapi.json", key="")
    assert response.status_code == 200
    assert response.get_json() == document()


def _routes(app: Flask) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX + "/"):
            continue
        path = rule.rule.removeprefix(API_PREFIX)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if "<any(" in path:
                for plural in ("customers", "invoices", "payments", "deposits"):
                    found.add((_template(path, plural), method.lower()))
            else:
                found.add((_template(path, None), method.lower()))
    return found


def _template(path: str, plural: str | None) -> str:
    parts = []
    for part in path.split("/"):
        if part.startswith("<any("):
            part = plural or ""
        elif part.startswith("<"):
            part = "{" + part.strip("<>").split(":")[-1] + "}"
        parts.append(part)
    return "/".join(parts)


def test_every_route_is_documented_and_every_documented_operation_exists(app: Flask) -> None:
    documented = {(path, method) for path, item in document()["paths"].items()
                  for method in item}
    assert _routes(app) == documented


def test_request_paths_find_the_most_specific_template() -> None:
    assert path_template("/api/v1/companies/Acme/payments/qb/80-1") == \
        "/companies/{company}/payments/qb/{qb_id}"
    assert path_template("/api/v1/companies/Acme/payments/p1/reversal") == \
        "/companies/{company}/payments/{external_id}/reversal"
    assert path_template("/api/v1/nothing/here") is None


def test_money_is_a_string_with_a_pattern_everywhere() -> None:
    money = document()["components"]["schemas"]["Money"]
    assert money["type"] == "string"
    assert money["pattern"]

    def numbers(node: Any) -> list[Any]:
        if isinstance(node, dict):
            found = [node] if node.get("type") == "number" else []
            return found + [n for value in node.values() for n in numbers(value)]
        if isinstance(node, list):
            return [n for value in node for n in numbers(value)]
        return []

    assert numbers(document()) == []  # no JSON numbers anywhere: money never is a float


def test_every_problem_status_has_a_documented_response() -> None:
    responses = document()["components"]["responses"]
    for slug, (status, _) in TYPES.items():
        assert str(status) in responses, slug
        assert "application/problem+json" in responses[str(status)]["content"]
