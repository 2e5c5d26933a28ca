"""Seeded random faults: many scenarios of platform writes, accountant changes in QuickBooks
and faulted sessions, then the same invariants as the fault matrix, plus the pull: the
platform's customers and invoices are QuickBooks' own.

Each scenario is a company with traits (see :class:`Traits`), so every run has companies
whose history is dormant or has empty years, companies whose platform edits customers and
invoices under direction ``both`` while the accountant edits them too, companies whose
QuickBooks fails on big pages, and companies whose Web Connector, when it dies mid-session,
runs again a minute later (before the session expires, so the next run takes over).

Every scenario plays sessions until ten faults have really struck. A fault's position is drawn
before the session, which nobody can know the length of in advance; when the draw lies past
the session's last message the fault never fires, the session was a clean one, and another
fault is drawn for the next session. Only sessions whose fault fired count.

Reproduce a failure with the seed it prints: ``QBWC_FAULT_SEED=<seed> pytest <this file>``.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable
from decimal import Decimal

import attrs
import pytest

from qbwc_server.clock import FakeClock
from qbwc_server.errors import ConflictError
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import Fault, FaultName
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SessionResult,
    SimulatedWebConnector,
    WebConnectorSettings,
)
from tests.acceptance.conftest import Shared, quickbooks_at
from tests.acceptance.faulted import MAX_SESSIONS, Intended, assert_books_match
from tests.acceptance.histories import RECENT_DAYS, dated_invoices
from tests.acceptance.platform_edits import BOTH, PlatformEdits
from tests.acceptance.pushing import LATER, unsettled

SEED = int(os.environ.get("QBWC_FAULT_SEED", "20260105"))
SCENARIOS, FAULTED_SESSIONS = int(os.environ.get("QBWC_FAULT_SCENARIOS", "20")), 10
# A scenario that cannot get its faults to fire in this many sessions is a broken test.
MAX_ATTEMPTS = 4 * FAULTED_SESSIONS  # about a third of the draws miss
PULL_CUSTOMERS_AND_INVOICES = {"account": "off", "item": "off"}
FAULTS = [
    "drop-answer:method=receiveResponseXML,nth={n}",
    "drop-answer:method=sendRequestXML,nth={n}",
    "crash-after-apply:nth={n}",
    "duplicate:method=receiveResponseXML,nth={n}",
    "duplicate:method=sendRequestXML,nth={n}",
    "out-of-order:variant=receive-first,nth={n}",
    "out-of-order:variant=reauthenticate,nth={n}",
    "hresult:nth={n}",
    "locked:code=3175,nth={n}",
    "locked:code=3170,nth={n},times=2",
    "cannot-open:nth=1",
    "slow-quickbooks:seconds=300",
]
#: Oversized pages: QuickBooks runs out of memory on an answer of more than 15 records, the
#: company asks for 50, so the page halves twice (50, 25, 12) for each kind it pulls.
PAGE_LIMIT, BIG_PAGE = "page-limit:records=12", 50
#: Ages in days of the invoices a company starts with, by history; each old one in a year of
#: its own, so the history needs a session per old invoice at most.
HISTORIES = {
    "recent": (35,),
    "dormant": (400, 800, 1200),  # nothing in the last 12 months
    "gappy": (30, 1500, 4000),  # empty years between invoices
}
#: The next run after a Web Connector died mid-session: before the session expires.
RERUN_SECONDS = 60


@attrs.frozen
class Traits:
    """What kind of company a scenario plays; drawn in turn, so every run has each kind."""

    history: str
    both: bool  # the platform edits customers and invoices the accountant edits too
    rerun: bool  # after a Web Connector died, the next run comes a minute later
    oversized: bool  # a big company whose QuickBooks fails on big pages

    @classmethod
    def of(cls, number: int) -> Traits:
        return cls(history=list(HISTORIES)[number % 3], both=number % 2 == 0,
                   rerun=number // 2 % 2 == 0, oversized=number % 5 == 4)


@attrs.define
class Scenario:
    """One company: its QuickBooks, what the platform intended, and a random source."""

    shared: Shared
    rng: random.Random
    name: str
    traits: Traits
    quickbooks: SimulatedCompany
    username: str
    password: str
    intended: Intended
    customers: list[str]
    history: dict[int, set[str]]  # age in days -> TxnIDs of the invoices older than 12 months
    edits: PlatformEdits
    fired: list[str] = attrs.field(factory=list)  # the faults that struck, one per session
    missed: list[str] = attrs.field(factory=list)  # drawn past the session's last message
    results: list[SessionResult] = attrs.field(factory=list)
    reruns: int = 0  # runs a minute after the Web Connector died
    rerunning: bool = False  # the next run is one of them
    history_sessions: int | None = None  # clean sessions until the whole history was here

    def connector(self, *faults: str) -> SimulatedWebConnector:
        clock = self.shared.clock
        return SimulatedWebConnector.over(
            WsgiTransport(self.shared.app), self.quickbooks,
            WebConnectorSettings(username=self.username, password=self.password),
            faults=[Fault.parse(text) for text in faults],
            sleep=lambda seconds: clock.advance(seconds) and None)

    # -- between sessions -----------------------------------------------------------

    def platform_writes(self) -> None:
        services, rng = self.shared.services, self.rng
        for _ in range(rng.randint(0, 4)):
            number = len(self.intended.payments) + 1
            customer = rng.choice(self.customers)
            amount = f"{rng.randint(1, 40)}.{rng.randint(0, 99):02d}"
            open_invoices = [s.ref_number for s in self.quickbooks.books.sales.values()
                             if s.kind == "Invoice" and s.ref_number
                             and s.ref_number.startswith(f"{customer}-")]
            applied = ({rng.choice(open_invoices): amount}
                       if open_invoices and rng.random() < 0.7 else None)
            self.intended.pay(services, self.quickbooks, f"P-{number}", customer, amount,
                              applied)
        undeposited = [p for p in self.intended.payments
                       if p not in self.intended.deposited() | self.intended.reversed]
        if len(undeposited) >= 2 and rng.random() < 0.3:
            self.intended.deposit(services, f"D-{len(self.intended.deposits) + 1}",
                                  rng.sample(undeposited, min(len(undeposited), rng.randint(1, 3))))
            undeposited = [p for p in undeposited if p not in self.intended.deposited()]
        if undeposited and rng.random() < 0.3:
            try:
                self.intended.reverse(services, rng.choice(undeposited))
            except ConflictError:
                pass  # on its way to QuickBooks: the platform tries again later
        self.edits.platform_puts(services, rng)

    def accountant_changes(self) -> None:
        quickbooks, rng = self.quickbooks, self.rng
        customer = rng.choice(self.customers)
        change = rng.choice(("invoice", "payment", "customer", "new customer", "nothing"))
        if change == "invoice":
            number = f"{customer}-{len(quickbooks.books.sales) + 1}"
            quickbooks.add_invoice(customer, [{"item": "Consulting", "amount": "1000.00"}],
                                   ref_number=number)
        elif change == "payment":
            quickbooks.receive_payment(customer, "5.00")  # a cheque the accountant took
        elif change == "customer":
            quickbooks.modify_customer(customer, Email=f"{rng.randint(1, 999)}@example.com")
        elif change == "new customer":
            name = f"C{len(self.customers) + 1}"
            quickbooks.add_customer(name)
            self.customers.append(name)
        self.edits.accountant_edits(quickbooks, rng)

    def random_fault(self) -> str:
        # A big company meets the page limit until a session holds no page too big any
        # more, then now and then: history years come later, each a page of its own.
        if self.traits.oversized and (PAGE_LIMIT not in self.missed or self.rng.random() < 0.25):
            return PAGE_LIMIT
        return self.rng.choice(FAULTS).format(n=self.rng.randint(1, 8))

    # -- sessions ----------------------------------------------------------------------

    def run(self, wc: SimulatedWebConnector) -> SessionResult:
        """One session, watching what it does to the platform's records and the history."""
        self.edits.before_session(self.quickbooks)
        result = wc.run_session()
        self.edits.after_session(self.quickbooks)
        self.results.append(result)
        assert result.outcome is not Outcome.BUSY, "a Web Connector that died holds the company"
        if self.rerunning:  # the run a minute after a crash takes over, and syncs
            assert result.outcome is not Outcome.NONE, result
            self.rerunning = False
        if self.history_sessions is None and self._history_arrived():
            self.history_sessions = sum(r.outcome is Outcome.OK for r in self.results)
        return result

    def pause_after(self, result: SessionResult) -> float:
        died = "closeConnection" not in result.methods
        if self.traits.rerun and died:
            self.reruns += 1
            self.rerunning = True
            return RERUN_SECONDS
        return LATER.total_seconds()

    def _history_arrived(self) -> bool:
        services = self.shared.services
        pulled = {view.qb_id for view in services.sync.records(self.name, "invoice", limit=1000)}
        return set().union(*self.history.values()) <= pulled

    def settle(self) -> None:
        """Clean sessions until nothing is on its way; then one more pulls what the pushes
        changed (invoice balances)."""
        clock, services = self.shared.clock, self.shared.services
        for _ in range(MAX_SESSIONS):
            self.run(self.connector())
            clock.advance(LATER.total_seconds())
            if not unsettled(services, self.name):
                break
        assert not unsettled(services, self.name), services.sync.counts(self.name)
        self.run(self.connector())


def _kind(fault: str) -> FaultName:
    return FaultName(fault.partition(":")[0])


def _scenario(shared: Shared, rng: random.Random, traits: Traits) -> Scenario:
    name = shared.new_company_name()
    quickbooks = quickbooks_at(shared.clock)
    customers = [f"C{n}" for n in range(1, (24 if traits.oversized else rng.randint(2, 4)) + 1)]
    history = _opening_books(quickbooks, shared.clock, rng, traits, customers)
    view, password = shared.services.companies.add(name)
    shared.services.sync.configure(
        name, directions={**PULL_CUSTOMERS_AND_INVOICES, **(BOTH if traits.both else {})},
        deposit_account="Checking", batch_size=rng.choice((2, 3, 50)),
        page_size=BIG_PAGE if traits.oversized else None)
    if traits.rerun:
        shared.services.companies.set_cadence(name, 1)
    edits = PlatformEdits(company=name)
    if traits.both:
        edits.start(shared.services, rng)
    return Scenario(shared=shared, rng=rng, name=name, traits=traits, quickbooks=quickbooks,
                    username=view.username, password=password,
                    intended=Intended(company=name), customers=customers, history=history,
                    edits=edits)


def _opening_books(quickbooks: SimulatedCompany, clock: FakeClock, rng: random.Random,
                   traits: Traits, customers: list[str]) -> dict[int, set[str]]:
    """The customers, and invoices of the ages their history has (one of each age at least,
    so every year it holds is really there); the old ones by age."""
    ages = HISTORIES[traits.history]
    owners = {age: rng.choice(customers) for age in ages}
    invoices = {f"{owner}-h{age}": (owner, age) for age, owner in owners.items()}
    most = 3 if traits.oversized else 2
    invoices |= {f"{c}-{i}": (c, rng.choice(ages))
                 for c in customers for i in range(rng.randint(most - 2, most))}
    made = dated_invoices(quickbooks, clock, invoices, amount="1000.00")
    for customer in customers:
        if quickbooks.customer(customer) is None:
            quickbooks.add_customer(customer)
    history: dict[int, set[str]] = {}
    for number, (_, age) in invoices.items():
        if age > RECENT_DAYS:
            history.setdefault(age, set()).add(made[number])
    return history


def _play(scenario: Scenario) -> None:
    clock = scenario.shared.clock
    while len(scenario.fired) < FAULTED_SESSIONS:
        assert len(scenario.fired) + len(scenario.missed) < MAX_ATTEMPTS, (
            f"only {len(scenario.fired)} of {FAULTED_SESSIONS} faults fired in {MAX_ATTEMPTS} "
            f"sessions; these never got their turn: {scenario.missed}")
        scenario.platform_writes()
        scenario.accountant_changes()
        fault = scenario.random_fault()
        result = scenario.run(scenario.connector(fault))
        # One fault per session; slow-quickbooks strikes every message it slows.
        assert set(result.faults_fired) <= {_kind(fault)}, result.faults_fired
        (scenario.fired if result.faults_fired else scenario.missed).append(fault)
        clock.advance(scenario.pause_after(result))
    scenario.settle()
    _assert_settled(scenario)


def _assert_settled(scenario: Scenario) -> None:
    services = scenario.shared.services
    # Every session that counts as faulted had its fault fire, and no other did.
    assert sum(bool(r.faults_fired) for r in scenario.results) == len(scenario.fired) \
        == FAULTED_SESSIONS
    if scenario.traits.oversized:
        # Pages QuickBooks failed on shrank until a session under the limit went through.
        assert PAGE_LIMIT in scenario.fired, "no page was too big"
        assert PAGE_LIMIT in scenario.missed, "QuickBooks failed on a page in every session"
    assert_books_match(scenario.quickbooks, services, scenario.intended, scenario.results)
    _assert_pulled(scenario)
    scenario.edits.assert_rule_held(scenario.quickbooks, services)
    # The first clean session brings the last 12 months, each later one at least one older
    # year that has invoices, however many empty years lie between.
    sessions, years = scenario.history_sessions, len(scenario.history)
    assert sessions is not None, "the history never arrived"
    assert sessions <= 1 + years, f"{sessions} clean sessions for {years} older years"


def _assert_pulled(scenario: Scenario) -> None:
    """The platform's customers and invoices are QuickBooks' (same ids, versions, balances)."""
    services, books_ = scenario.shared.services, scenario.quickbooks.books
    for customer in books_.customers.values():
        view = services.sync.record(scenario.name, "customer", qb_id=customer.list_id)
        assert (view.data.get("qb_version"), view.is_deleted) == (customer.edit_sequence,
                                                                  False), customer.name
    for sale in books_.sales.values():
        if sale.kind != "Invoice":
            continue
        view = services.sync.record(scenario.name, "invoice", qb_id=sale.txn_id)
        assert Decimal(view.data["open_balance"]) == books_.balance_remaining(sale), \
            sale.ref_number


def _play_all(shared: Shared, numbers: Iterable[int]) -> list[Scenario]:
    rng = random.Random(SEED)
    played = []
    for number in numbers:
        scenario = _scenario(shared, rng, Traits.of(number))
        try:
            _play(scenario)
        except AssertionError as exc:
            raise AssertionError(
                f"seed {SEED}, scenario {number} ({scenario.name}, {scenario.traits}) failed; "
                f"reproduce with QBWC_FAULT_SEED={SEED}: {exc}") from exc
        played.append(scenario)
    return played


@pytest.mark.parametrize("module_database_url", ["sqlite"], indirect=True)
def test_random_faults_lose_nothing_and_double_nothing(shared: Shared) -> None:
    played = _play_all(shared, range(SCENARIOS))
    # Each scenario stopped at its tenth fault that fired (or failed above): 200 in all, and
    # every kind of fault struck, not only those whose position is always reached.
    fired = {_kind(text) for scenario in played for text in scenario.fired}
    assert fired == {_kind(text) for text in [*FAULTS, PAGE_LIMIT]}
    # The traits were really played: a platform edit met an accountant's edit of the same
    # field, and a Web Connector that died was followed by a run a minute later.
    assert any(scenario.edits.replaced for scenario in played)
    assert any(scenario.reruns for scenario in played)


@pytest.mark.parametrize("module_database_url", ["postgresql"], indirect=True)
def test_random_faults_on_postgresql(shared: Shared) -> None:
    # Two rich scenarios (history with gaps or dormant, platform edits, reruns, big pages):
    # the whole run is on SQLite, for time; the fault matrix covers PostgreSQL too.
    _play_all(shared, (2, 4))
