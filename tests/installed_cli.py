"""Run the installed ``qbwc-server`` console script, as a user's shell does.

Tests of exit statuses and output must go through the script's entry point
(``qbwc_server.cli:main``): click's test runner calls the command group and skips it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.paths import REPO

SCRIPT = Path(sys.executable).with_name("qbwc-server")
"""The console script pip wrote into the environment running the tests."""


def script_environ(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment plus ``extra``, importing this checkout's code first."""
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_script(args: Sequence[str], env: Mapping[str, str] | None = None, *,
               cwd: Path | None = None, timeout: float = 120,
               stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``qbwc-server ARGS`` with ``env`` added to the environment; never raises on a status."""
    return subprocess.run([str(SCRIPT), *args], env=script_environ(env), cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=timeout,
                          check=False)
