"""Browser fixtures: the app under waitress, and headless Chromium (skipped only outside CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from qbwc_server.clock import FakeClock
from tests.browser.scenario import CHROMIUM, chromium

# The same app, services and waitress server as the integration tests, on this clock.
from tests.integration.conftest import app, live_url, services  # noqa: F401


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The browser story runs on SQLite; the page tests cover both databases."""
    return request.getfixturevalue("_sqlite_database_url")


@pytest.fixture
def _sqlite_database_url(_sqlite_template: Path, tmp_path: Path) -> str:
    import shutil

    path = tmp_path / "qbwc.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
