"""Every response the API tests see is checked against the OpenAPI document."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from qbwc_server.api import API_PREFIX, document


@cache
def _templates() -> list[tuple[re.Pattern[str], int, str]]:
    found = []
    for template in document()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        literals = sum(1 for part in template.split("/") if part and not part.startswith("{"))
        found.append((re.compile(f"^{pattern}$"), literals, template))
    return found


def path_template(path: str) -> str | None:
    """The document's path template for a request path (the most literal match wins)."""
    relative = path.split("?")[0].removeprefix(API_PREFIX)
    matches = [(literals, template) for pattern, literals, template in _templates()
               if pattern.match(relative)]
    return max(matches)[1] if matches else None


@cache
def _validator(pointer: str) -> Draft202012Validator:
    root = {"components": document()["components"], "$ref": pointer}
    return Draft202012Validator(root, format_checker=FormatChecker())


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def documented_response(path: str, method: str, status: int) -> tuple[str, dict[str, Any]]:
    """(template, response object) the document gives for this call; fails if undocumented."""
    template = path_template(path)
    if template is None:
        # Unknown paths: any 404/405 must still be a documented problem.
        assert status in (404, 405), f"{method} {path} -> {status}: path not documented"
        return "(unknown)", _resolve({"$ref": f"#/components/responses/{status}"})
    operation = document()["paths"][template].get(method.lower())
    if operation is None:
        assert status == 405, f"{method} {template} is not documented (got {status})"
        return template, _resolve({"$ref": "#/components/responses/405"})
    responses = operation["responses"]
    assert str(status) in responses, f"{method} {template}: status {status} not documented"
    return template, _resolve(responses[str(status)])


def check_response(path: str, method: str, response: Any) -> None:
    """Assert the response's media type and JSON body match the document."""
    template, documented = documented_response(path, method, response.status_code)
    content = documented["content"]
    media = response.mimetype
    assert media in content, f"{method} {template} {response.status_code}: {media} not in " \
        f"{list(content)}"
    if media.endswith("json"):
        schema = content[media]["schema"]
        pointer = schema.get("$ref")
        body = response.get_json(force=True)
        if pointer is not None:
            errors = sorted(_validator(pointer).iter_errors(body), key=str)
            assert not errors, f"{method} {template} {response.status_code}: " + "; ".join(
                f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
