"""Every command block in the README runs as written, against a served instance.

A new user's first hour is the README: the test does what ``make run`` does (init,
db upgrade, demo, serve) in an empty folder with a temporary database, then runs each
fenced block in its own ``bash -euo pipefail`` from that folder, in README order.
"""

from __future__ import annotations

import itertools
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import attrs
import click
import pytest
from lxml import etree

from qbwc_server.cli import cli
from tests.installed_cli import run_script, script_environ
from tests.paths import REPO

README = REPO / "README.md"
_FENCE = re.compile(r"^(?P<indent> *)```[\w-]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)

#: Blocks the test cannot run, with the reason; each must still be in the README.
EXEMPT = {
    "make run\nmake test": "make run serves until stopped and make test runs this very suite; "
                           "the test starts the server as make run does",
    "make run": "serves until stopped; the test starts the server as make run does",
}
#: What a reader fills in or has differently: the password `make run` printed, and the port.
PASSWORD_PLACEHOLDER = "<password printed by make run>"
README_ADDRESS = "localhost:8080"


def readme_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        indent = len(match["indent"])
        lines = [line[indent:] for line in match["body"].splitlines()]
        blocks.append("\n".join(lines).strip())
    return blocks


@attrs.frozen
class Instance:
    folder: Path
    env: dict[str, str]
    address: str
    demo_password: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(address: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()
        try:
            with urllib.request.urlopen(f"http://{address}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server at {address} did not answer /healthz")


@pytest.fixture
def instance(database_url: str, tmp_path: Path) -> Iterator[Instance]:
    """``make run`` in a new folder: init, db upgrade, demo, serve (webhooks off: the README's
    example endpoint is not ours to call)."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / ".venv").symlink_to(Path(sys.executable).parents[1])  # .venv/bin/qbwc-server
    env = {name: value for name, value in script_environ().items()
           if not name.startswith("QBWC_")}
    env["QBWC_SCRYPT_N"] = "1024"  # cheap hashing: the test is about commands, not the KDF
    if not database_url.startswith("sqlite"):
        env["QBWC_DATABASE_URL"] = database_url  # SQLite: the default var/qbwc.db in the folder
    port = _free_port()
    address = f"127.0.0.1:{port}"
    for step in (["init"], ["db", "upgrade"], ["demo", "--host", "127.0.0.1", "--port", str(port)]):
        done = run_script(step, env, cwd=folder)
        assert done.returncode == 0, done.stderr
    password = re.search(r"Web Connector password:\s+(\S+)", done.stdout)
    assert password, done.stdout
    server = subprocess.Popen(
        [str(folder / ".venv" / "bin" / "qbwc-server"), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--no-webhooks"],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until_healthy(address, server)
        yield Instance(folder=folder, env=env, address=address, demo_password=password[1])
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_every_readme_command_block_runs_as_written(instance: Instance) -> None:
    blocks = readme_blocks()
    assert set(EXEMPT) <= set(blocks), "an exempt block is no longer in the README"
    outputs: dict[str, str] = {}
    for block in blocks:
        if block in EXEMPT:
            continue
        script = (block.replace(PASSWORD_PLACEHOLDER, instance.demo_password)
                  .replace(README_ADDRESS, instance.address))
        ran = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=instance.folder,
                             env=instance.env, capture_output=True, text=True, timeout=600,
                             check=False)
        assert ran.returncode == 0, f"{block}\n--- stdout\n{ran.stdout}\n--- stderr\n{ran.stderr}"
        outputs[block] = ran.stdout
    assert len(outputs) == len(blocks) - len(EXEMPT) >= 4

    # What the README says each block does.
    simulated = _output_of(outputs, "simulate --url")
    assert "2 update session(s)" in simulated
    assert "none 1, ok 1" in simulated  # the second session is told there is nothing to do
    assert (instance.folder / "var" / "sim-company.json").exists()
    qwc = etree.fromstring((instance.folder / "acme.qwc").read_bytes())
    assert qwc.findtext("UserName") == "acme-corp"
    assert "Signing secret:" in _output_of(outputs, "webhooks add")
    rest = _output_of(outputs, "apikey add billing")
    assert '"external_id":"pay-1"' in rest.replace(" ", "")  # the payment went in


def _output_of(outputs: dict[str, str], command: str) -> str:
    found = [output for block, output in outputs.items() if command in block]
    assert len(found) == 1, command
    return found[0]


_WORD = re.compile(r"^[a-z][a-z-]*$")


def _command_path(words: list[str]) -> list[str]:
    return list(itertools.takewhile(_WORD.match, words))


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name))


def test_the_readme_command_table_lists_every_command() -> None:
    documented = set()
    for row in README.read_text(encoding="utf-8").splitlines():
        if not row.startswith("| `qbwc-server "):
            continue
        # "`qbwc-server apikey list` / `revoke PREFIX`": later names are in the first's group
        first, *later = ([w.strip("`") for w in part.split()] for part in row.split("|")[1]
                         .split(" / "))
        path = _command_path(first[1:])
        documented.add(" ".join(path))
        documented.update(" ".join([*path[:-1], *_command_path(words)]) for words in later)
    assert set(_commands(cli)) - documented == set()
