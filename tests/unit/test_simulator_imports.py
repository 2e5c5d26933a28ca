"""The simulator is a client: it reaches the server only over SOAP, never through its modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIMULATOR = ROOT / "qbwc_server" / "simulator"


def _imports(path: Path, root: Path = ROOT) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.add(node.module)
    return names


def _simulator_files() -> list[Path]:
    return sorted(SIMULATOR.rglob("*.py"))


def test_the_simulator_imports_no_server_internals() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _simulator_files()
        for name in sorted(_imports(path))
        if (name == "qbwc_server" or name.startswith("qbwc_server."))
        and not (name == "qbwc_server.simulator" or name.startswith("qbwc_server.simulator."))
    ]
    assert offenders == []


def test_the_simulator_does_not_import_spyne() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _simulator_files()
        if any(n == "spyne" or n.startswith("spyne.") for n in _imports(path))
    ]
    assert offenders == []


def test_the_check_resolves_relative_imports(tmp_path: Path) -> None:
    # Guard the guard: a relative import that climbs out of the simulator is seen as such.
    module = tmp_path / "qbwc_server" / "simulator" / "sneaky.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..store import queue\nfrom . import envelope\n", encoding="utf-8")
    assert _imports(module, tmp_path) == {"qbwc_server.store", "qbwc_server.simulator"}
