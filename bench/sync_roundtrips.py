"""Benchmark: Web Connector round trips and wall time of a large sync, against baselines.

In one process (WSGI transport, SQLite in a temporary directory, a fake clock, no real
sleeps) it generates a company of ``--customers`` customers and ``--invoices`` invoices and

* **pull**: runs sessions until everything is pulled (all customers, the last 12 months, then
  a year of history per session) with our default page (``MaxReturned`` 500);
* **push payments**: submits ``--payments`` payments applied to open invoices, one session;
* **push deposits**: ``--deposits`` deposits grouping those payments, one session.

Baselines, measured in the same run: the same pull with ``MaxReturned`` 100 (a fresh store),
and ``--baseline-payments`` payments pushed one per message (``batch_size`` 1, the
record-at-a-time design) after the main push.

A pull round trip is one message; ``pull_roundtrips_over_ideal`` = round trips /
ceil(records / MaxReturned). A push round trip is a message carrying writes; the session's
other messages (its incremental pulls) are counted apart as ``*_session_roundtrips``.
The last line is one line of ``key=value`` figures, ratios first.

Usage: ``.venv/bin/python bench/sync_roundtrips.py [--customers N] [--invoices N] ...``
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import attrs

from mappers import Deposit, DepositedPayment, EntityRef, Payment, PaymentApplication
from qbwc_server.app import Services, create_app, services_of
from qbwc_server.clock import FakeClock
from qbwc_server.config import load_settings
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from qbwc_server.store.database import Database, make_engine, upgrade

TODAY = date(2026, 1, 5)
START = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
WRITES = ("AddRq", "ModRq", "TxnDelRq")


@attrs.define
class Phase:
    name: str
    records: int = 0
    roundtrips: int = 0  # pull: every message; push: messages carrying writes
    session_roundtrips: int = 0  # every message of the phase's sessions
    sessions: int = 0
    seconds: float = 0.0

    @property
    def per_roundtrip(self) -> float:
        return self.records / self.roundtrips if self.roundtrips else 0.0

    def line(self) -> str:
        return (f"{self.name:<22} {self.records:>6} records  {self.roundtrips:>4} round trips "
                f"({self.session_roundtrips} in {self.sessions} sessions)  "
                f"{self.per_roundtrip:6.1f} records/round trip  {self.seconds:7.2f} s")


@attrs.define
class Bench:
    services: Services
    clock: FakeClock
    wc: SimulatedWebConnector

    def sessions(self, phase: Phase, *, until: Callable[[], bool], most: int) -> None:
        started = time.perf_counter()
        for _ in range(most):
            result = self.wc.run_session()
            if result.outcome is not Outcome.OK:
                raise SystemExit(f"{phase.name}: session ended {result.outcome}: "
                                 f"{result.last_error}")
            phase.sessions += 1
            phase.session_roundtrips += result.round_trips
            phase.roundtrips += _write_roundtrips(result)
            self.clock.advance(minutes=20)
            if until():
                break
        phase.seconds = time.perf_counter() - started

    def alive(self, kind: str) -> int:
        counts = self.services.sync.counts("Acme").get(kind, {})
        return sum(n for state, n in counts.items() if state != "deleted")

    def settled(self) -> bool:
        counts = self.services.sync.counts("Acme")
        return not any(state in ("pending", "sent", "unknown")
                       for by_state in counts.values() for state in by_state)


def _write_roundtrips(result: SessionResult) -> int:
    return sum(1 for e in result.transcript if e.method == "sendRequestXML"
               and isinstance(e.answer, str) and any(w in e.answer for w in WRITES))


def _bench(quickbooks: SimulatedCompany, clock: FakeClock, directory: Path,
           page_size: int) -> Bench:
    url = f"sqlite:///{directory / 'qbwc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    settings = load_settings({"database_url": url, "scrypt_n": 1024, "secret_key": "b" * 40},
                             environ={}, config_file=directory / "absent.toml")
    app = create_app(settings, clock=clock, db=Database(engine))
    services = services_of(app)
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", page_size=page_size, deposit_account="Checking")
    wc = SimulatedWebConnector.over(
        WsgiTransport(app), quickbooks,
        WebConnectorSettings(username=view.username, password=password),
        sleep=lambda seconds: clock.advance(seconds) and None)
    return Bench(services=services, clock=clock, wc=wc)


def pull(quickbooks: SimulatedCompany, clock: FakeClock, directory: Path, page_size: int,
         name: str) -> tuple[Phase, Bench]:
    bench = _bench(quickbooks, clock, directory, page_size)
    invoices = quickbooks.summary()["Invoice"]
    phase = Phase(name)
    bench.sessions(phase, until=lambda: bench.alive("invoice") == invoices, most=8)
    phase.records = sum(bench.alive(kind) for kind in ("account", "item", "customer", "invoice"))
    phase.roundtrips = phase.session_roundtrips  # every pull message is a round trip
    return phase, bench


def _open_invoices(services: Services, count: int) -> list[tuple[str, str, Decimal]]:
    """(invoice TxnID, customer ListID, open balance) of ``count`` open invoices."""
    found: list[tuple[str, str, Decimal]] = []
    after = 0
    while len(found) < count:
        page = services.sync.records("Acme", "invoice", after_id=after, limit=1000)
        if not page:
            raise SystemExit(f"only {len(found)} open invoices for {count} payments")
        for view in page:
            balance = Decimal(view.data.get("open_balance") or "0")
            if balance > 0 and not view.is_deleted and view.qb_id:
                found.append((view.qb_id, view.data["customer"]["qb_id"], balance))
        after = page[-1].id
    return found[:count]


def push_payments(bench: Bench, count: int, prefix: str, name: str,
                  invoices: list[tuple[str, str, Decimal]]) -> Phase:
    for n, (txn_id, customer, balance) in enumerate(invoices[:count]):
        amount = balance if n % 3 else (balance / 2).quantize(Decimal("0.01"))  # some partial
        bench.services.sync.submit("Acme", "payment", Payment(
            external_id=f"{prefix}{n}", customer=EntityRef(qb_id=customer), amount=amount,
            date=TODAY, applications=(PaymentApplication(invoice=EntityRef(qb_id=txn_id),
                                                         amount=amount),)))
    phase = Phase(name, records=count)
    bench.sessions(phase, until=bench.settled, most=4)
    return phase


def push_deposits(bench: Bench, count: int, payments: int) -> Phase:
    per = payments // count
    for d in range(count):
        bench.services.sync.submit("Acme", "deposit", Deposit(
            external_id=f"D-{d}", bank_account=EntityRef(name=""),
            payments=tuple(DepositedPayment(payment=EntityRef(name=f"P-{d * per + i}"))
                           for i in range(per))))
    phase = Phase("push deposits", records=count)
    bench.sessions(phase, until=bench.settled, most=4)
    return phase


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument("--payments", type=int, default=1000)
    parser.add_argument("--deposits", type=int, default=100)
    parser.add_argument("--baseline-payments", type=int, default=100)
    args = parser.parse_args()
    logging.getLogger("spyne").setLevel(logging.ERROR)  # "Overwriting application": 2 apps

    def company(clock: FakeClock) -> SimulatedCompany:
        made = SimulatedCompany.generate(customers=args.customers, invoices=args.invoices,
                                         years=3, seed=1, today=TODAY, clock=clock.now)
        # The simulated QuickBooks shares the server's process (it would not in real life):
        # keep its records out of the garbage collections the server's work triggers.
        gc.collect()
        gc.freeze()
        return made

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "ours").mkdir()
        (root / "page100").mkdir()
        clock = FakeClock(START)
        ours, bench = pull(company(clock), clock, root / "ours", 500, "pull (MaxReturned 500)")
        invoices = _open_invoices(bench.services, args.payments + args.baseline_payments)
        payments = push_payments(bench, args.payments, "P-", "push payments",
                                 invoices[:args.payments])
        deposits = push_deposits(bench, args.deposits, args.payments)
        bench.services.sync.configure("Acme", batch_size=1)
        one_by_one = push_payments(bench, args.baseline_payments, "B-",
                                   "baseline: 1 per message", invoices[args.payments:])
        clock = FakeClock(START)
        baseline, _ = pull(company(clock), clock, root / "page100", 100,
                           "baseline: MaxReturned 100")

    for phase in (ours, baseline, payments, deposits, one_by_one):
        print(phase.line())
    written = payments.records + deposits.records
    write_trips = payments.roundtrips + deposits.roundtrips
    ideal = math.ceil(ours.records / 500)
    figures = {
        "push_records_per_roundtrip": f"{written / write_trips:.1f}",
        "pull_records_per_roundtrip": f"{ours.per_roundtrip:.1f}",
        "pull_roundtrips_over_ideal": f"{ours.roundtrips / ideal:.2f}",
        "pull_roundtrips_vs_page100": f"{ours.roundtrips / baseline.roundtrips:.2f}",
        "pull_time_vs_page100": f"{ours.seconds / baseline.seconds:.2f}",
        "push_roundtrips_vs_one_per_message": (
            f"{(write_trips / written) / (one_by_one.roundtrips / one_by_one.records):.3f}"),
        "push_time_per_record_vs_one_per_message": (
            f"{((payments.seconds + deposits.seconds) / written) / (one_by_one.seconds / one_by_one.records):.2f}"),  # noqa: E501
        "pull_records": ours.records,
        "pull_roundtrips": ours.roundtrips,
        "pull_ideal_roundtrips": ideal,
        "pull_sessions": ours.sessions,
        "pull_seconds": f"{ours.seconds:.1f}",
        "push_payments": payments.records,
        "push_payment_roundtrips": payments.roundtrips,
        "push_payment_session_roundtrips": payments.session_roundtrips,
        "push_payment_seconds": f"{payments.seconds:.1f}",
        "push_deposits": deposits.records,
        "push_deposit_roundtrips": deposits.roundtrips,
        "push_deposit_seconds": f"{deposits.seconds:.1f}",
    }
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
