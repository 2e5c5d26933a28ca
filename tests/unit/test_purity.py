"""The pure packages stay pure: no web, database, SOAP or network imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"flask", "sqlalchemy", "spyne", "requests", "httpx", "socket", "qbwc_server",
             "urllib.request", "http.client", "alembic", "psycopg"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["qbxml", "mappers"])
def test_pure_package_imports_no_io(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imported_modules(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_spyne_only_in_the_soap_edge() -> None:
    users = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "qbwc_server").rglob("*.py")
        if any(n == "spyne" or n.startswith("spyne.") for n in _imported_modules(path))
    )
    assert users in ([], ["qbwc_server/soap.py"])
