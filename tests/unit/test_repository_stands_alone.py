"""The repository stands alone: no file reaches for data beside the clone or on one machine.

A fresh clone must pass ``make test`` with nothing next to it, so no file may name the
``shared`` folder that sat beside the first checkouts, nor an absolute path into the ``work``
folder they lived in.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from tests.paths import REPO

# The patterns are spelt so that this file does not match them itself.
OUTSIDE = re.compile(
    r"\.\.[/\\]shared\b"  # the sibling folder, with either slash
    r"""|/\s*["']shared["']"""  # the same, joined with pathlib's slash
    r"|(?<![\w.~-])[/]work\b"  # the absolute path, but not a URL's or a home folder's
)
# What `git ls-files` leaves out when there is no git: .gitignore's directories.
_IGNORED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                 ".hypothesis", "htmlcov", "var", "build", "dist"}


def repository_files(root: Path) -> list[Path]:
    """The files of the checkout: tracked or new, without what .gitignore keeps out."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root, capture_output=True, check=True,
        ).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError):  # no git, or an unpacked source archive
        return _walk(root)
    return [root / name for name in listed.split("\0") if name]


def _walk(root: Path) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _IGNORED_DIRS and not d.endswith(".egg-info")]
        files += [Path(folder, name) for name in names]
    return files


def references_outside(root: Path, files: Iterable[Path]) -> list[str]:
    """``path:line: text`` for every line that points outside the repository."""
    found = []
    for path in files:
        if not path.is_file():  # deleted in the working tree, not yet in the index
            continue
        data = path.read_bytes()
        if b"\0" in data:  # images, databases
            continue
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_file_points_outside_the_repository() -> None:
    files = repository_files(REPO)
    assert REPO / "tests" / "paths.py" in files
    assert references_outside(REPO, files) == []


def test_the_check_finds_each_way_of_pointing_outside(tmp_path: Path) -> None:
    # Written in pieces so that this file itself stays clean.
    shared, work = "../" + "shared", "/" + "work"
    bad = {
        "doc.md": f"see `{shared}/docs/protocol.md`",
        "windows.txt": "..\\" + "shared\\x.xsd",
        "paths.py": 'SHARED = REPO.parent / "' + 'shared"',
        "test_x.py": f'CAPTURE = Path("{work}/shared/samples")',
        "run.sh": f"{work}/main/.venv/bin/python -m pytest",
    }
    fine = {
        "ok.md": "shared by every company; https://example.com/work/x; ~/work; the network",
        "image.png": "\0" + f"{work}/main",
    }
    for name, text in {**bad, **fine}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = references_outside(tmp_path, sorted(tmp_path.iterdir()))
    assert sorted(line.split(":", 1)[0] for line in found) == sorted(bad)


def test_files_are_listed_without_git_too(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "b.py").write_text("b", encoding="utf-8")
    assert repository_files(tmp_path) == [tmp_path / "docs" / "a.md"]
