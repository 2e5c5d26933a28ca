"""The background worker (bounded, stoppable) and the ``qbwc-server webhooks`` commands."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbwc_server.cli import cli
from qbwc_server.webhooks import WebhookWorker
from tests.webhooks.conftest import Receiver


class _ScriptedService:
    """Stands in for WebhookService: answers deliver_due from a script."""

    def __init__(self, results: list[int | Exception]) -> None:
        self.results = results
        self.calls = 0

    def deliver_due(self, now: object = None, max_items: int = 100) -> int:
        self.calls += 1
        result = self.results.pop(0) if self.results else 0
        if isinstance(result, Exception):
            raise result
        return result


def test_the_worker_waits_only_when_a_pass_was_not_full_and_survives_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = _ScriptedService([10, 3, RuntimeError("database down"), 0])
    waits: list[float] = []
    worker = WebhookWorker(service, interval=5, max_items=10,  # type: ignore[arg-type]
                           wait=waits.append)
    assert worker.run(max_passes=4) == 4
    assert service.calls == 4
    assert waits == [5, 5, 5]  # the full first pass went on at once
    assert "database down" in caplog.text


def test_the_worker_thread_stops_when_asked() -> None:
    ran = threading.Event()

    class _Service:
        def deliver_due(self, now: object = None, max_items: int = 100) -> int:
            ran.set()
            return 0

    worker = WebhookWorker(_Service(), interval=3600)  # type: ignore[arg-type]
    worker.start()
    assert ran.wait(10)
    assert worker.running
    with pytest.raises(RuntimeError, match="already started"):
        worker.start()
    worker.stop()  # interrupts the hour-long wait at once
    assert not worker.running


@pytest.fixture
def run(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> Callable[..., str]:
    monkeypatch.setenv("QBWC_DATABASE_URL", database_url)
    monkeypatch.setenv("QBWC_SCRYPT_N", "1024")
    monkeypatch.setenv("QBWC_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("QBWC_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("QBWC_WEBHOOKS_ALLOW_PRIVATE", "1")  # the receiver is on 127.0.0.1
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True) -> str:
        result = runner.invoke(cli, list(args))
        if not ok:
            assert result.exit_code != 0
            return str(result.exception)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_webhook_commands(run: Callable[..., str], receive: Callable[..., Receiver],
                          caplog: pytest.LogCaptureFixture) -> None:
    receiver = receive()
    run("company", "add", "Acme")
    out = run("webhooks", "add", "--company", "Acme", "--description", "platform", receiver.url)
    secret = next(line.split(": ", 1)[1] for line in out.splitlines()
                  if line.startswith("Signing secret"))
    assert secret.startswith("whsec_")
    assert "shown only now" in out
    added = json.loads(run("webhooks", "add", "https://hooks.example.com/all", "--json"))
    assert added["company"] is None
    assert added["secret"].startswith("whsec_")

    listed = json.loads(run("webhooks", "list", "--json"))
    assert [(e["company"], e["url"]) for e in listed] == [
        ("Acme", receiver.url), (None, "https://hooks.example.com/all")]
    assert secret not in run("webhooks", "list")
    assert [e["id"] for e in json.loads(run("webhooks", "list", "--company", "Acme", "--json"))
            ] == [listed[0]["id"]]
    assert json.loads(run("webhooks", "deliver", "--json")) == {"attempted": 0}

    rotated = run("webhooks", "rotate", str(listed[0]["id"]))
    assert "whsec_" in rotated
    assert secret not in rotated
    assert "removed" in run("webhooks", "remove", str(added["id"]))
    assert len(json.loads(run("webhooks", "list", "--json"))) == 1
    assert secret not in caplog.text


def test_webhook_commands_refuse_bad_input(run: Callable[..., str]) -> None:
    assert "use https://" in run("webhooks", "add", "http://hooks.example.com/x", ok=False)
    assert "no webhook endpoint 42" in run("webhooks", "remove", "42", ok=False)
    assert "no company named 'Nope'" in run("webhooks", "add", "--company", "Nope",
                                            "https://hooks.example.com/x", ok=False)


def test_serve_runs_the_worker_beside_the_server_and_stops_it(
    run: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    class _Server:
        def run(self) -> None:
            seen.append(any(t.name == "qbwc-webhooks" and t.is_alive()
                            for t in threading.enumerate()))

    monkeypatch.setattr("qbwc_server.serving.make_server", lambda *args: _Server())
    run("serve", "--port", "0")
    run("serve", "--port", "0", "--no-webhooks")
    assert seen == [True, False]
    assert not any(t.name == "qbwc-webhooks" for t in threading.enumerate())
