"""Pull: what QuickBooks holds arrives in the platform's records and change feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.pages import history
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from qbwc_server.sync import watermarks
from tests.acceptance.conftest import generated, quickbooks_at
from tests.acceptance.histories import dated_invoices


def _alive(counts: dict[str, dict[str, int]], kind: str) -> int:
    return sum(n for state, n in counts.get(kind, {}).items() if state != "deleted")


def test_first_sync_pulls_customers_and_the_last_twelve_months(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=40, invoices=300)
    wc = connect(quickbooks)
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    assert result.progress[-1] == 100
    counts = services.sync.counts("Acme")
    held = quickbooks.summary()
    assert _alive(counts, "customer") == held["Customer"] + held["Job"]
    recent = [sale for sale in quickbooks.books.sales.values()
              if sale.kind == "Invoice" and (clock.now().date() - sale.txn_date).days <= 365]
    assert 0 < _alive(counts, "invoice") == len(recent) < held["Invoice"]


def _changes(services: Services, after: int = 0) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.change, c.qb_id) for c in services.sync.changes("Acme", after=after,
                                                                         limit=1000)]


def _last_cursor(services: Services) -> int:
    feed = services.sync.changes("Acme", limit=1000)
    while len(feed) == 1000:
        feed = services.sync.changes("Acme", after=feed[-1].id, limit=1000)
    return feed[-1].id if feed else 0


def test_changes_made_in_quickbooks_arrive_in_the_next_session(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Ada Lovelace", email="ada@example.com")
    quickbooks.add_customer("Charles Babbage")
    inv = quickbooks.add_invoice("Ada Lovelace", [{"item": "Consulting", "quantity": "2",
                                                   "rate": "150.00"}], ref_number="1001")
    quickbooks.add_invoice("Charles Babbage", [{"item": "Consulting", "quantity": "1",
                                                "rate": "80.00"}], ref_number="1002")
    wc = connect(quickbooks)
    assert wc.run_session().outcome is Outcome.OK
    invoice = services.sync.record("Acme", "invoice", qb_id=inv.txn_id)
    assert invoice.data["total"] == "300.00"
    assert invoice.data["is_paid"] is False
    cursor = _last_cursor(services)

    # Nothing changed: an early run of the Web Connector is told there is nothing to do.
    clock.advance(minutes=1)
    assert wc.run_session().outcome is Outcome.NONE

    clock.advance(minutes=5)
    quickbooks.modify_customer("Charles Babbage", email="cb@example.com")
    quickbooks.receive_payment("Ada Lovelace", "100.00", apply_to={"1001": "100.00"})
    quickbooks.modify_invoice("1002", lines=[{"item": "Consulting", "quantity": "1",
                                               "rate": "95.00"}])
    quickbooks.archive_customer("Ada Lovelace")
    assert wc.run_session().outcome is Outcome.OK

    changes = _changes(services, after=cursor)
    kinds = {(kind, change) for kind, change, _ in changes}
    assert ("customer", "updated") in kinds
    assert ("customer", "archived") in kinds
    assert ("invoice", "updated") in kinds
    # The overlap re-reads recent records, but unchanged ones never reach the feed twice.
    assert len(changes) == len(set(changes))
    paid = services.sync.record("Acme", "invoice", qb_id=inv.txn_id)
    assert paid.data["open_balance"] == "200.00"
    assert paid.data["is_paid"] is False
    assert services.sync.record("Acme", "invoice", external_id=None,
                                qb_id=quickbooks.invoice("1002").txn_id).data["total"] == "95.00"
    ada = services.sync.record("Acme", "customer", qb_id=quickbooks.customer("Ada Lovelace")
                               .list_id)
    assert ada.data["is_active"] is False


def test_paying_in_full_and_deleting_show_up_as_paid_and_deleted(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Grace Hopper")
    quickbooks.add_invoice("Grace Hopper", [{"item": "Consulting", "amount": "50.00"}],
                           ref_number="2001")
    gone = quickbooks.add_invoice("Grace Hopper", [{"item": "Consulting", "amount": "70.00"}],
                                  ref_number="2002")
    wc = connect(quickbooks)
    assert wc.run_session().outcome is Outcome.OK
    clock.advance(minutes=6)
    quickbooks.receive_payment("Grace Hopper", "50.00", apply_to={"2001": "50.00"})
    quickbooks.delete_invoice("2002")
    assert wc.run_session().outcome is Outcome.OK
    paid = services.sync.record("Acme", "invoice", qb_id=quickbooks.invoice("2001").txn_id)
    assert paid.data["is_paid"] is True
    assert paid.data["open_balance"] == "0.00"
    deleted = services.sync.record("Acme", "invoice", qb_id=gone.txn_id)
    assert deleted.is_deleted is True
    assert ("invoice", "deleted", gone.txn_id) in _changes(services)
    # The payment made in QuickBooks is not pulled: payments are pushed by default.
    assert "payment" not in services.sync.counts("Acme")


def test_older_history_follows_in_later_sessions(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = generated(clock, customers=20, invoices=240)
    wc = connect(quickbooks)
    held = quickbooks.summary()["Invoice"]
    pulled = []
    for _ in range(5):
        assert wc.run_session().outcome is Outcome.OK
        pulled.append(sum(services.sync.counts("Acme").get("invoice", {}).values()))
        clock.advance(minutes=6)
    # Recent first, then a year further back per session, until everything is here.
    assert pulled[0] < pulled[1] < pulled[2] == held
    assert pulled[3] == pulled[4] == held


def test_every_kind_of_item_deleted_in_quickbooks_is_deleted_here(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    kinds = ("ItemInventoryAssemblyRet", "ItemFixedAssetRet", "ItemSalesTaxGroupRet",
             "ItemServiceRet")
    made = {kind: quickbooks.add_item(f"Doomed {kind[4:-3]}", kind) for kind in kinds}
    wc = connect(quickbooks)
    assert wc.run_session().outcome is Outcome.OK
    for item in made.values():
        assert services.sync.record("Acme", "item", qb_id=item.list_id).is_deleted is False
    clock.advance(minutes=6)
    for item in made.values():
        quickbooks.delete_item(item.name)
    assert wc.run_session().outcome is Outcome.OK
    still_alive = [kind for kind, item in made.items()
                   if not services.sync.record("Acme", "item", qb_id=item.list_id).is_deleted]
    assert still_alive == []
    deleted = {qb_id for kind, change, qb_id in _changes(services) if change == "deleted"}
    assert deleted == {item.list_id for item in made.values()}


@pytest.mark.parametrize(("odd", "reported"), [
    ("2026-01-05T09:59:00", False),  # no UTC offset: read in the company's own time
    ("0001-01-01T00:00:00", True),  # year 1 from a damaged file
    ("2099-01-01T00:00:00-05:00", True),  # a PC clock set far ahead
    ("garbage", True),  # not a date at all: the record is kept, its time is not
    ("2026-02-30T10:00:00-05:00", True),  # a date no calendar has
], ids=["naive", "year-1", "far-future", "not-a-date", "no-such-day"])
def test_an_odd_modified_time_never_stops_the_pull(
    odd: str, reported: bool, connect: Callable[..., SimulatedWebConnector],
    services: Services, clock: FakeClock,
) -> None:
    quickbooks = quickbooks_at(clock)
    odd_one = quickbooks.add_customer("Ada Lovelace")
    quickbooks.report_time_modified(odd_one.list_id, odd)
    wc = connect(quickbooks)
    later = ["Charles Babbage", "Marie Curie"]
    assert wc.run_session().outcome is Outcome.OK
    for name in later:
        clock.advance(minutes=6)
        added = quickbooks.add_customer(name)
        result = wc.run_session()
        assert result.outcome is Outcome.OK, result.last_error
        assert services.sync.record("Acme", "customer", qb_id=added.list_id).label == name
    problems = [problem for row in history.sessions(services.db, "Acme")
                for problem in row.problems]
    assert bool(problems) is reported
    assert all(odd in problem and problem.startswith("customer: ") for problem in problems)


class _OlderQuickBooksLater(SimulatedCompany):
    """A company file that, once ``downgrade`` is called, is opened by QuickBooks 2009
    (qbXML 8.0) whose Host/Company/Preferences answer arrives damaged."""

    damaged = False

    def downgrade(self) -> None:
        self.hcp_info.qbxml_version = (8, 0)
        self.damaged = True

    def hcp_response(self) -> str:
        return "<QBXML><QBXMLMsgsRs><HostQueryRs" if self.damaged else super().hcp_response()


def test_an_unreadable_host_answer_never_reuses_an_earlier_quickbooks(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = _OlderQuickBooksLater(clock=clock.now)
    wc = connect(quickbooks)
    assert wc.run_session().outcome is Outcome.OK
    assert "13.0" in services.companies.get("Acme").qb_versions
    clock.advance(minutes=6)
    quickbooks.downgrade()
    quickbooks.add_customer("Grace Hopper")
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    view = services.companies.get("Acme")
    assert view.qb_versions == ()
    assert view.qb_product_name is None
    assert services.sync.record("Acme", "customer",
                                qb_id=quickbooks.customer("Grace Hopper").list_id).label


def _invoices_dated(quickbooks: SimulatedCompany, clock: FakeClock, days_ago: list[int]
                    ) -> dict[int, str]:
    """One invoice of Old Timer's per age in days, entered on its date; age -> TxnID."""
    made = dated_invoices(quickbooks, clock, {f"H{age}": ("Old Timer", age) for age in days_ago})
    return {age: made[f"H{age}"] for age in days_ago}


def _sessions_until_pulled(wc: SimulatedWebConnector, services: Services, clock: FakeClock,
                           wanted: set[str], limit: int) -> int:
    for number in range(1, limit + 1):
        assert wc.run_session().outcome is Outcome.OK
        pulled = {r.qb_id for r in services.sync.records("Acme", "invoice", limit=1000)}
        if wanted <= pulled:
            return number
        clock.advance(minutes=6)
    raise AssertionError(f"still missing after {limit} sessions: {wanted - pulled}")


@pytest.mark.parametrize("days_ago", [
    [400, 800, 1200],  # dormant: nothing in the last 12 months
    [30, 1500, 4000],  # gaps of several empty years between invoices
], ids=["dormant", "gappy"])
def test_history_reaches_the_oldest_invoice_whatever_the_gaps(
    days_ago: list[int], connect: Callable[..., SimulatedWebConnector], services: Services,
    clock: FakeClock,
) -> None:
    quickbooks = quickbooks_at(clock)
    made = _invoices_dated(quickbooks, clock, days_ago)
    wc = connect(quickbooks)
    # The first session pulls the last 12 months; each later one at least one older year
    # that has invoices, however many empty years lie before it.
    sessions = _sessions_until_pulled(wc, services, clock, set(made.values()), limit=5)
    assert sessions <= 1 + len([age for age in days_ago if age > 365])


def test_history_stops_at_the_sync_start_date(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = quickbooks_at(clock)
    made = _invoices_dated(quickbooks, clock, [30, 700, 1200])
    wc = connect(quickbooks)
    start = clock.now().date() - timedelta(days=1000)
    services.sync.configure("Acme", sync_after=start.isoformat())
    _sessions_until_pulled(wc, services, clock, {made[30], made[700]}, limit=3)
    for _ in range(3):
        clock.advance(minutes=6)
        assert wc.run_session().outcome is Outcome.OK
    pulled = {r.qb_id for r in services.sync.records("Acme", "invoice", limit=1000)}
    assert made[1200] not in pulled


@pytest.mark.parametrize(("overlap", "caught"), [
    (watermarks.OVERLAP, True),
    (timedelta(0), False),  # the guard: without the overlap the record is lost
], ids=["overlap", "no-overlap"])
def test_the_overlap_catches_a_change_made_in_the_hour_that_repeats(
    overlap: timedelta, caught: bool, connect: Callable[..., SimulatedWebConnector],
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(watermarks, "OVERLAP", overlap)
    # New York, the night clocks go back: 01:00-01:59 happens twice (EDT, then EST), and
    # QuickBooks writes -05:00 all year long, an hour off before the change.
    clock.advance(seconds=(datetime(2026, 11, 1, 5, 40, tzinfo=UTC) - clock.now())
                  .total_seconds())  # 01:40 EDT
    quickbooks = SimulatedCompany(clock=clock.now, zone=ZoneInfo("America/New_York"),
                                  dst_error=True)
    wc = connect(quickbooks)
    clock.advance(minutes=9)  # 01:49 EDT
    before = quickbooks.add_customer("Before The Change")
    clock.advance(minutes=1)
    assert wc.run_session().outcome is Outcome.OK
    assert services.sync.record("Acme", "customer", qb_id=before.list_id).label
    clock.advance(minutes=11)  # 06:01Z = 01:01 EST: an earlier wall clock than the watermark
    after = quickbooks.add_customer("After The Change")
    assert quickbooks.books.stamp_text(after.time_modified) == "2026-11-01T01:01:00-05:00"
    clock.advance(minutes=1)
    assert wc.run_session().outcome is Outcome.OK
    pulled = {r.qb_id for r in services.sync.records("Acme", "customer", limit=1000)}
    assert (after.list_id in pulled) is caught


class _ForgetsIteratorsOnce(SimulatedCompany):
    """A QuickBooks that loses its open iterators once, after the first page it hands out
    (as after a restart): the next Continue gets 3391."""

    forgot = False

    def process(self, request_xml: str) -> str:
        answer = super().process(request_xml)
        if not self.forgot and 'iteratorRemainingCount="' in answer \
                and 'iteratorRemainingCount="0"' not in answer:
            self.iterators.clear()
            self.forgot = True
        return answer


def test_an_expired_iterator_restarts_the_pull_in_the_same_session(
    connect: Callable[..., SimulatedWebConnector], services: Services, clock: FakeClock
) -> None:
    quickbooks = _ForgetsIteratorsOnce(clock=clock.now)
    made = {quickbooks.add_customer(f"Customer {n:02d}").list_id for n in range(25)}
    wc = connect(quickbooks)
    services.sync.configure("Acme", page_size=10)
    result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    assert quickbooks.forgot
    answers = [str(x.params.get("response", "")) for x in wc.transcript.exchanges
               if x.method == "receiveResponseXML"]
    assert any('statusCode="3391"' in answer for answer in answers)
    pulled = {r.qb_id for r in services.sync.records("Acme", "customer", limit=1000)}
    assert made <= pulled
