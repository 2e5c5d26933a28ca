"""Every fault the simulator offers, at every message of a push session: nothing lost, nothing
twice (PRODUCT.md "Nothing lost, nothing twice").

The company pushes and pulls nothing, in batches of two, so its first faulted session is
exactly :data:`STEPS` messages: two payment batches (four payments: applied in full,
partial, unapplied), one deposit, one reversal. Faults strike each of those positions; pairs
of faults strike a first message and then the next session's first message, the reconcile
look-up that recovers from the first fault. Each row then runs sessions until nothing is
pending or unknown and checks QuickBooks against what the platform asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.faults import Fault, FaultName
from qbwc_server.simulator.transport import WsgiTransport
from qbwc_server.simulator.webconnector import SimulatedWebConnector, WebConnectorSettings
from tests.acceptance.conftest import Shared, quickbooks_at
from tests.acceptance.faulted import MAX_SESSIONS, Intended, assert_books_match
from tests.acceptance.pushing import books, sync_until_done

D = Decimal
PUSH_ONLY = {kind: "off" for kind in ("account", "item", "customer", "invoice")}
STEPS = 4  # two payment batches (2 + 2 payments), the deposit, the reversal

#: Faults at each position ``{n}`` = 1..STEPS.
AT_EACH_STEP = [
    "drop-answer:method=receiveResponseXML,nth={n}",  # the server read the answer; QBWC didn't
    "drop-answer:method=sendRequestXML,nth={n}",  # the message never reached QuickBooks
    "crash-after-apply:nth={n}",  # QuickBooks applied the message, then QBWC died
    "duplicate:method=sendRequestXML,nth={n}",  # QBWC asks for a message twice
    "hresult:nth={n}",  # QuickBooks could not process the message (not applied)
    "duplicate:method=receiveResponseXML,nth={n}",  # the same answer delivered twice
    "out-of-order:variant=receive-first,nth={n}",  # an answer nobody asked for
    "out-of-order:variant=reauthenticate,nth={n}",  # a stray authenticate mid-session
    "locked:code=3175,nth={n}",  # another user holds a lock: every request refused
]
#: The first message fails, and so does the next session's look-up that recovers from it.
TWICE = [
    "drop-answer:method=receiveResponseXML,nth=1+drop-answer:method=receiveResponseXML,nth=2",
    "drop-answer:method=sendRequestXML,nth=1+drop-answer:method=sendRequestXML,nth=2",
    "crash-after-apply:nth=1+crash-after-apply:nth=2",
    "hresult:nth=1+hresult:nth=2",
]
ONCE = [
    "locked:code=3170,nth=1",  # a list modified by another user
    "locked:code=3176,nth=3",  # the deposit cannot get its lock
    "hresult:nth=2,times=2",  # a failed batch, then the next session's look-up fails too
    "cannot-open:nth=1",  # the first session cannot open the company file
    "slow-quickbooks:seconds=600",  # ten minutes per message: long, but under the expiry
]
ROWS = [text.format(n=n) for text in AT_EACH_STEP for n in range(1, STEPS + 1)] + ONCE + TWICE


#: PostgreSQL runs every fault once, the positions rotating so each one is struck there too;
#: SQLite runs every row. The store code is the same; the full matrix on both engines would
#: double the suite's time for no new path.
ON_POSTGRESQL = ([text.format(n=1 + i % STEPS) for i, text in enumerate(AT_EACH_STEP)] + ONCE
                 + ROWS[-1:])
CASES = [pytest.param("sqlite", row, id=f"sqlite-{row}") for row in ROWS] + [
    pytest.param("postgresql", row, id=f"postgresql-{row}") for row in ON_POSTGRESQL]


#: Faults that strike only queries, which this push-only company does not page through.
PULL_FAULTS = {FaultName.PAGE_LIMIT}  # tests/acceptance/test_pull_page_size.py


def test_every_fault_the_simulator_offers_is_in_the_matrix() -> None:
    faults = {Fault.parse(text).name for row in ROWS for text in row.split("+")}
    assert faults == set(FaultName) - PULL_FAULTS
    assert set(ON_POSTGRESQL) <= set(ROWS)


@attrs.frozen
class Acme:
    """A company of ours pushing only, its books in QuickBooks, and a maker of Web Connectors
    (with faults) whose waits move the fake clock."""

    name: str
    quickbooks: SimulatedCompany
    services: Services
    clock: FakeClock
    make: Callable[..., SimulatedWebConnector]


@pytest.fixture
def acme(shared: Shared) -> Acme:
    name, clock = shared.new_company_name(), shared.clock
    quickbooks = quickbooks_at(clock)
    books(quickbooks, {"Alice": {"INV-1": "100.00", "INV-2": "80.00"},
                       "Bob": {"INV-3": "50.00"}, "Carol": {}})
    view, password = shared.services.companies.add(name)
    shared.services.sync.configure(name, directions=PUSH_ONLY, deposit_account="Checking",
                                   batch_size=2)

    def make(*faults: str) -> SimulatedWebConnector:
        return SimulatedWebConnector.over(
            WsgiTransport(shared.app), quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            faults=[Fault.parse(text) for text in faults],
            sleep=lambda seconds: clock.advance(seconds) and None)

    return Acme(name=name, quickbooks=quickbooks, services=shared.services, clock=clock,
                make=make)


def _platform_writes(acme: Acme) -> Intended:
    """A payment already in QuickBooks (to reverse), then the session's work."""
    services, quickbooks = acme.services, acme.quickbooks
    intended = Intended(company=acme.name)
    intended.pay(services, quickbooks, "P-R", "Carol", "9.00")
    sync_until_done(acme.make(), services, acme.clock, company=acme.name)
    intended.pay(services, quickbooks, "P-1", "Alice", "100.00", {"INV-1": "100.00"})
    intended.pay(services, quickbooks, "P-2", "Alice", "30.00", {"INV-2": "30.00"})
    intended.pay(services, quickbooks, "P-3", "Bob", "20.00")
    intended.pay(services, quickbooks, "P-4", "Bob", "50.00", {"INV-3": "50.00"})
    intended.deposit(services, "D-1", ["P-1", "P-3"])
    intended.reverse(services, "P-R")
    return intended


@pytest.mark.parametrize("module_database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_clean_session_sends_the_steps_the_matrix_strikes(acme: Acme) -> None:
    intended = _platform_writes(acme)
    results = sync_until_done(acme.make(), acme.services, acme.clock, company=acme.name,
                              sessions=1)
    assert results[0].round_trips == STEPS
    assert_books_match(acme.quickbooks, acme.services, intended, results)


@pytest.mark.parametrize(("module_database_url", "fault"), CASES, indirect=["module_database_url"])
def test_nothing_lost_nothing_twice(fault: str, acme: Acme) -> None:
    intended = _platform_writes(acme)

    results = sync_until_done(acme.make(*fault.split("+")), acme.services, acme.clock,
                              company=acme.name, sessions=MAX_SESSIONS)

    quickbooks = acme.quickbooks
    assert_books_match(quickbooks, acme.services, intended, results)
    assert quickbooks.invoice_balance("INV-1") == D("0.00")
    assert quickbooks.invoice_balance("INV-2") == D("50.00")
    assert quickbooks.invoice_balance("INV-3") == D("0.00")
    assert quickbooks.account_balance("Checking") == D("120.00")  # P-1 + P-3
    assert quickbooks.account_balance("Undeposited Funds") == D("80.00")  # P-2 + P-4
