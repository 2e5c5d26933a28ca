"""``qbwc-server simulate``: run update sessions of a simulated company against any QBWC server.

Only SOAP over HTTP is used, so the server may be ours or anyone's. The simulated
company lives in a state file between runs, so successive runs continue the same
books.
"""

from __future__ import annotations

import collections
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from qbwc_server.simulator.faults import FAULTS, Fault
from qbwc_server.simulator.interface import QuickBooks
from qbwc_server.simulator.transport import HttpTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)

DEFAULT_CUSTOMERS = 10
INVOICES_PER_CUSTOMER = 3
_FINE = {Outcome.OK, Outcome.NONE}
#: Why a session ended, for outcomes the server explains with a status instead of a text.
_WHY = {
    Outcome.NVU: "the server refused the user name or password "
                 "(authenticate answered nvu)",
    Outcome.BUSY: "the server is busy with another Web Connector session of this company "
                  "(authenticate answered busy); a later update will try again",
}


def _company_class() -> Any:
    """The simulated company class (a seam for tests)."""
    from qbwc_server.simulator.company import SimulatedCompany

    return SimulatedCompany


def _parse_faults(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> list[Fault]:
    try:
        return [Fault.parse(value) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _fault_help() -> str:
    names = "; ".join(f"{name.value}: {kind.summary}" for name, kind in FAULTS.items())
    return f"Inject a fault, NAME or NAME:key=value,... (repeatable). {names}."


@click.command("simulate")
@click.option("--url", required=True,
              help="The server's SOAP endpoint (the .qwc AppURL), e.g. http://localhost:8080/qbwc.")
@click.option("--username", required=True, help="The .qwc UserName.")
@click.option("--password", required=True, envvar="QBWC_SIMULATE_PASSWORD",
              help="The Web Connector password (or set QBWC_SIMULATE_PASSWORD).")
@click.option("--company", "fixture", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Start from this company fixture (JSON).")
@click.option("--generate", type=click.IntRange(min=1), metavar="N",
              help=f"Start from a generated company with N customers "
                   f"(default {DEFAULT_CUSTOMERS}).")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep the company in this file: loaded if it exists, saved after the run.")
@click.option("--sessions", default=1, show_default=True, type=click.IntRange(1, 100_000),
              help="How many update sessions to run, one after another.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Play the company as if today were this date (default: the real date); "
                   "a generated company's history ends on it.")
@click.option("--fault", "faults", multiple=True, callback=_parse_faults, help=_fault_help())
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for each HTTP answer.")
@click.option("--verbose", is_flag=True, help="Print every SOAP call (to stderr).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def simulate(
    ctx: click.Context,
    url: str,
    username: str,
    password: str,
    fixture: Path | None,
    generate: int | None,
    state: Path | None,
    sessions: int,
    faults: list[Fault],
    today: datetime | None,
    timeout: float,
    verbose: bool,
    as_json: bool,
) -> None:
    """Run update sessions of a simulated QuickBooks company against a Web Connector server.

    Plays QBWC's side of the conversation (serverVersion ... closeConnection) over HTTP.
    Exits with status 1 when a session ends other than "ok" or "none" and no --fault
    was asked for.
    """
    if fixture is not None and generate is not None:
        raise click.UsageError("give --company or --generate, not both")
    try:
        transport = HttpTransport(url, timeout=timeout)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--url") from exc
    company = _open_company(fixture, generate, state, _shifted_clock(today))
    wc = SimulatedWebConnector.over(
        transport, company, WebConnectorSettings(username=username, password=password),
        faults=faults,
    )
    results: list[SessionResult] = []
    with click.progressbar(length=sessions, label="update sessions", file=sys.stderr) as bar:
        for _ in range(sessions):
            results.append(wc.run_session())
            if verbose:
                click.echo("", err=True)
                click.echo(_render(results[-1]), err=True)
            bar.update(1)
    if state is not None and hasattr(company, "save"):
        company.save(state)
    summary = _summary(url, results, company, state)
    if as_json:
        click.echo(json.dumps(summary, indent=2, default=_iso_time))
    else:
        click.echo(_text(summary))
    if not faults and any(result.outcome not in _FINE for result in results):
        ctx.exit(1)


def _iso_time(value: object) -> str:
    """Times in the JSON summary as the server's API writes them: ISO 8601 in UTC. (The
    simulator is a client and shares no module with the server, so it says this itself.)"""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _shifted_clock(today: datetime | None) -> Callable[[], datetime] | None:
    """A clock that runs from the same time of day on ``today`` (None: the real clock)."""
    if today is None:
        return None
    real = datetime.now(UTC)
    shift = datetime.combine(today.date(), real.time(), UTC) - real
    return lambda: datetime.now(UTC) + shift


def _open_company(fixture: Path | None, generate: int | None, state: Path | None,
                  clock: Callable[[], datetime] | None = None) -> QuickBooks:
    company_class = _company_class()
    # Only a chosen day is passed on: stand-in companies need not know about clocks.
    options: dict[str, Any] = {"clock": clock} if clock is not None else {}
    if state is not None and state.exists():
        if fixture is not None or generate is not None:
            click.echo(f"Continuing the company saved in {state} "
                       "(--company/--generate only start a new one).", err=True)
        return company_class.load(state, **options)  # type: ignore[no-any-return]
    if fixture is not None:
        return company_class.from_fixture(fixture, **options)  # type: ignore[no-any-return]
    customers = generate or DEFAULT_CUSTOMERS
    return company_class.generate(  # type: ignore[no-any-return]
        customers=customers, invoices=customers * INVOICES_PER_CUSTOMER, seed=1, **options
    )


def _render(result: SessionResult) -> str:
    from qbwc_server.simulator.transcript import Transcript

    return f"session: {result.outcome}\n" + Transcript(list(result.transcript)).render()


def _summary(
    url: str, results: list[SessionResult], company: QuickBooks, state: Path | None
) -> dict[str, Any]:
    summarize = getattr(company, "summary", None)
    return {
        "url": url,
        "sessions": len(results),
        "outcomes": dict(collections.Counter(str(r.outcome) for r in results)),
        "round_trips": sum(r.round_trips for r in results),
        "requests_processed": sum(r.requests_processed for r in results),
        "soap_calls": sum(r.calls for r in results),
        "errors": [
            {"session": n, "outcome": str(r.outcome), "error": _why(r)}
            for n, r in enumerate(results, 1) if r.outcome not in _FINE
        ],
        "faults": dict(collections.Counter(
            ex.note for r in results for ex in r.transcript if ex.note)),
        "results": [
            {"outcome": str(r.outcome), "close_status": r.close_status,
             "last_error": r.last_error, "progress": list(r.progress),
             "round_trips": r.round_trips, "requests_processed": r.requests_processed,
             "postpone_seconds": r.postpone_seconds,
             "min_interval_seconds": r.min_interval_seconds}
            for r in results
        ],
        "last_close_status": _last_word(results),
        "company": summarize() if callable(summarize) else None,
        "state": str(state) if state is not None else None,
    }


def _why(result: SessionResult) -> str:
    """The session's error text, or the reason in words when the server gave none."""
    if result.last_error:
        return result.last_error
    reason = _WHY.get(result.outcome, "the server gave no reason")
    if result.postpone_seconds:
        reason += f"; it asked to wait {result.postpone_seconds} s before the next try"
    return reason


def _last_word(results: list[SessionResult]) -> str | None:
    """What closeConnection said last, preferring sessions that did work over "none" ones."""
    closed = [r for r in results if r.close_status is not None]
    worked = [r for r in closed if r.outcome is not Outcome.NONE]
    return (worked or closed)[-1].close_status if closed else None


def _text(summary: dict[str, Any]) -> str:
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(summary["outcomes"].items()))
    lines = [
        f"{summary['sessions']} update session(s) against {summary['url']}: {outcomes}",
        f"  {summary['round_trips']} round trip(s), {summary['requests_processed']} request(s) "
        f"processed by QuickBooks, {summary['soap_calls']} SOAP call(s)",
    ]
    if summary["last_close_status"] is not None:
        lines.append(f"  server's last word: {summary['last_close_status']}")
    for error in summary["errors"]:
        lines.append(f"  session {error['session']} ended {error['outcome']}: {error['error']}")
    for note, count in summary["faults"].items():
        lines.append(f"  injected fault ({_times(count)}): {note}")
    if summary["company"] is not None:
        held = ", ".join(f"{kind} {count}" for kind, count in summary["company"].items())
        lines.append(f"The company now holds: {held}")
    if summary["state"] is not None:
        lines.append(f"Company saved in {summary['state']}")
    return "\n".join(lines)


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"
