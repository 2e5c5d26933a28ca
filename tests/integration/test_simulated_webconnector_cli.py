"""``qbwc-server simulate`` against our server over real HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from qbwc_server.app import Services
from qbwc_server.cli import cli
from qbwc_server.clock import FakeClock
from qbwc_server.simulator import command
from tests.installed_cli import run_script
from tests.simulator_doubles import EchoQuickBooks, add_queue_only_company
from tests.soap_client import WebConnectorClient


class FakeCompany(EchoQuickBooks):
    """Stands in for SimulatedCompany: the class methods the command uses, and summary()."""

    made: list[tuple[str, Any]] = []

    @classmethod
    def generate(cls, *, customers: int, invoices: int, seed: int) -> FakeCompany:
        cls.made.append(("generate", (customers, invoices, seed)))
        return cls()

    @classmethod
    def from_fixture(cls, path: Path) -> FakeCompany:
        cls.made.append(("fixture", path))
        return cls()

    @classmethod
    def load(cls, path: Path) -> FakeCompany:
        cls.made.append(("load", path))
        company = cls()
        company.customers = json.loads(Path(path).read_text())["customers"]
        return company

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps({"customers": self.customers}))

    def summary(self) -> dict[str, int]:
        return {"Customer": len(self.customers)}


@pytest.fixture
def fake_company(monkeypatch: pytest.MonkeyPatch) -> type[FakeCompany]:
    FakeCompany.made = []
    monkeypatch.setattr(command, "_company_class", lambda: FakeCompany)
    return FakeCompany


@pytest.fixture
def demo(services: Services) -> dict[str, str]:
    return add_queue_only_company(services, "Demo Co")


ADD = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="c{n}">'
    "<CustomerAdd><Name>Customer {n}</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>"
)


def _simulate(live_url: str, demo: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, [
        "simulate", "--url", f"{live_url}/qbwc", "--username", demo["username"],
        "--password", demo["password"], *args,
    ])


def test_the_real_simulated_company_syncs_and_is_kept_in_the_state_file(
    live_url: str, services: Services, demo: dict[str, str], tmp_path: Path,
) -> None:
    state = tmp_path / "company.json"
    services.companies.ping(demo["name"])
    services.companies.enqueue(demo["name"], purpose="add", request_xml=ADD.format(n=1),
                               is_write=True)
    first = _simulate(live_url, demo, "--generate", "3", "--state", str(state), "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["outcomes"] == {"ok": 1}
    assert summary["requests_processed"] == 2
    assert summary["company"]["Customer"] == 4  # three generated, one added by the server
    added = {i.purpose: i for i in services.companies.items(demo["name"])}["add"]
    assert added.state == "done"
    assert 'statusCode="0"' in (added.response_xml or "")

    services.companies.ping(demo["name"])
    second = _simulate(live_url, demo, "--state", str(state), "--json")
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["company"]["Customer"] == 4  # the same books, continued


def test_the_sync_engine_pulls_the_real_simulated_company(
    live_url: str, services: Services
) -> None:
    view, password = services.companies.add("Engine Co")  # default profile: pulls on
    company = {"username": view.username, "password": password}
    result = _simulate(live_url, company, "--generate", "3", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["outcomes"] == {"ok": 1}
    assert summary["round_trips"] == summary["requests_processed"] > 1
    counts = services.sync.counts("Engine Co")
    assert sum(counts.get("customer", {}).values()) == summary["company"]["Customer"] \
        + summary["company"]["Job"]


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock:
    """The server's clock; a test may set the day with ``indirect`` parametrization."""
    day = getattr(request, "param", None)
    return FakeClock(datetime.combine(day, time(15), UTC) if day else None)


@pytest.mark.parametrize("clock", [date(2029, 2, 3), date(2031, 7, 15)], indirect=True)
def test_the_walkthrough_pulls_recent_invoices_on_any_date(
    live_url: str, services: Services, clock: FakeClock
) -> None:
    # The README's "try it in a minute", on a day far from when the generator was written.
    view, password = services.companies.add("Walkthrough Co")
    company = {"username": view.username, "password": password}
    today = clock.now().date().isoformat()
    result = _simulate(live_url, company, "--generate", "20", "--today", today, "--json")
    assert result.exit_code == 0, result.output
    invoices = services.sync.records("Walkthrough Co", "invoice", limit=1000)
    assert invoices
    assert all(0 <= (clock.now().date() - date.fromisoformat(r.data["txn_date"])).days <= 365
               for r in invoices)


def test_sessions_run_and_the_company_is_kept_between_runs(
    live_url: str, services: Services, demo: dict[str, str], fake_company: type[FakeCompany],
    tmp_path: Path,
) -> None:
    state = tmp_path / "company.json"
    services.companies.enqueue(demo["name"], purpose="add", request_xml=ADD.format(n=1),
                               is_write=True)
    first = _simulate(live_url, demo, "--generate", "3", "--state", str(state),
                      "--sessions", "2", "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["outcomes"] == {"ok": 1, "none": 1}
    assert (summary["sessions"], summary["round_trips"], summary["requests_processed"]) \
        == (2, 1, 1)
    assert summary["errors"] == []
    assert summary["results"][0]["close_status"].startswith("OK: 1 request")
    assert summary["results"][0]["min_interval_seconds"] == 300
    assert summary["company"] == {"Customer": 1}
    assert fake_company.made == [("generate", (3, 9, 1))]

    services.companies.enqueue(demo["name"], purpose="add", request_xml=ADD.format(n=2),
                               is_write=True)
    second = _simulate(live_url, demo, "--state", str(state))
    assert second.exit_code == 0, second.output
    assert fake_company.made[-1] == ("load", state)
    assert "The company now holds: Customer 2" in second.stdout
    assert json.loads(state.read_text()) == {"customers": ["Customer 1", "Customer 2"]}


def test_a_fault_is_reported_and_the_next_session_recovers(
    live_url: str, services: Services, demo: dict[str, str], fake_company: type[FakeCompany],
) -> None:
    services.companies.ping(demo["name"])
    services.companies.ping(demo["name"])
    result = _simulate(live_url, demo, "--fault", "hresult", "--sessions", "2")
    assert result.exit_code == 0, result.output
    assert "2 update session(s)" in result.stdout
    assert "error 1, ok 1" in result.stdout
    assert "session 1 ended error:" in result.stdout
    assert "0x80040400" in result.stdout
    assert "server's last word: OK: 1 request exchanged" in result.stdout


def test_the_locked_fault_shows_in_the_summary_without_verbose(
    live_url: str, services: Services, demo: dict[str, str], fake_company: type[FakeCompany],
) -> None:
    services.companies.enqueue(demo["name"], purpose="add", request_xml=ADD.format(n=1),
                               is_write=True)
    result = _simulate(live_url, demo, "--fault", "locked:code=3170,times=1")
    assert result.exit_code == 0, result.output
    assert "injected fault (once): QuickBooks answered status 3170 (locked) and applied " \
        "nothing (fault locked)" in result.stdout
    assert "sendRequestXML(" not in result.output  # the summary, not the --verbose transcript
    added = {i.purpose: i for i in services.companies.items(demo["name"])}["add"]
    assert 'statusCode="3170"' in (added.response_xml or "")  # the server saw the lock
    as_json = json.loads(_simulate(live_url, demo, "--json").stdout)
    assert as_json["faults"] == {}


def test_verbose_shows_every_call_without_the_password(
    live_url: str, services: Services, demo: dict[str, str], fake_company: type[FakeCompany],
) -> None:
    services.companies.ping(demo["name"])
    result = _simulate(live_url, demo, "--verbose")
    assert result.exit_code == 0, result.output
    for method in ("serverVersion", "clientVersion", "authenticate", "sendRequestXML",
                   "receiveResponseXML", "closeConnection"):
        assert f"{method}(" in result.stderr
    assert demo["password"] not in result.stderr + result.stdout


def _installed_simulate(url: str, company: dict[str, str], *args: str
                       ) -> subprocess.CompletedProcess[str]:
    """The installed ``qbwc-server simulate``: its exit status is what a shell script sees."""
    return run_script(["simulate", "--url", url, "--username", company["username"],
                       "--generate", "1", *args],
                      {"QBWC_SIMULATE_PASSWORD": company["password"]})


def test_the_installed_script_exits_0_when_the_session_ends_ok(
    live_url: str, services: Services, demo: dict[str, str],
) -> None:
    services.companies.ping(demo["name"])
    result = _installed_simulate(f"{live_url}/qbwc", demo)
    assert result.returncode == 0, result.stderr
    assert "1 update session(s)" in result.stdout
    assert ": ok 1" in result.stdout


def test_a_refused_login_exits_1_and_says_why(
    live_url: str, demo: dict[str, str],
) -> None:
    result = _installed_simulate(f"{live_url}/qbwc", {**demo, "password": "wrong"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "session 1 ended nvu: the server refused the user name or password" \
        in result.stdout
    assert "None" not in result.stdout


def test_a_busy_company_exits_1_and_says_why(
    live_url: str, services: Services, wc: WebConnectorClient, demo: dict[str, str],
) -> None:
    services.companies.ping(demo["name"])
    other_machine = wc.authenticate(demo["username"], demo["password"])[0]
    assert wc.send(other_machine).startswith("<?xml")  # it holds the company now
    result = _installed_simulate(f"{live_url}/qbwc", demo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "session 1 ended busy: the server is busy with another Web Connector session" \
        in result.stdout
    assert "None" not in result.stdout


def test_a_refused_connection_exits_1_and_says_why(demo: dict[str, str]) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _installed_simulate(f"http://127.0.0.1:{port}/qbwc", demo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "session 1 ended error:" in result.stdout
    assert "Connection refused" in result.stdout


def test_a_session_failing_under_an_asked_for_fault_exits_0(
    live_url: str, services: Services, demo: dict[str, str],
) -> None:
    services.companies.ping(demo["name"])
    result = _installed_simulate(f"{live_url}/qbwc", demo, "--fault", "hresult")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "session 1 ended error: QuickBooks could not process request" in result.stdout
    assert "0x80040400" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--fault", "explode"], "unknown fault 'explode'"),
    (["--generate", "2", "--company", __file__], "not both"),
    (["--url", "ftp://example/qbwc"], "not an http(s) URL"),
])
def test_bad_arguments_are_usage_errors(
    args: list[str], message: str, fake_company: type[FakeCompany]
) -> None:
    base = ["simulate", "--url", "http://127.0.0.1:9/qbwc", "--username", "u", "--password", "p"]
    result = CliRunner().invoke(cli, [*base, *args])
    assert result.exit_code == 2
    assert message in result.output
