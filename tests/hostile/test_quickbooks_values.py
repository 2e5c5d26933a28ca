"""Over-long values QuickBooks sends inside a valid session (the company file path, the HCP
answers, a ListID or EditSequence longer than a QuickBooks id can be) are read as the
damaged answers they are: the session ends cleanly, the same on SQLite and PostgreSQL, with
no server fault and no traceback, where PostgreSQL once refused the row (a 500 fault)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from qbwc_server.store.limits import max_length
from qbwc_server.store.models import Company, SyncRecord
from tests.acceptance.conftest import app, clock, connect, quickbooks_at, services  # noqa: F401
from tests.hostile.conftest import assert_no_traceback


def test_over_long_host_and_company_answers_are_noted_and_the_sync_goes_on(
        connect: Callable[..., SimulatedWebConnector], services: Services,  # noqa: F811
        clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)
    quickbooks = quickbooks_at(clock, product_name="P" * 600, company_name="C" * 600,
                               company_file="C:\\" + "f" * 900 + ".QBW")
    quickbooks.add_customer("Ada Lovelace")
    result = connect(quickbooks).run_session()
    assert result.outcome is Outcome.OK, result.last_error
    # No QuickBooks names itself in 600 characters: the answer is damaged, so nothing of it
    # is kept (see test_damaged_answers.py); the file path the Web Connector names is cut
    # to its column.
    view = services.companies.get("Acme")
    assert view.qb_product_name is None
    assert view.qb_company_name is None
    with services.db.transaction() as session:
        path = session.scalars(select(Company.qb_file_path)).one()
    assert path is not None
    assert len(path) == max_length(Company.qb_file_path)
    assert services.sync.counts("Acme")["customer"]
    assert_no_traceback(caplog.records)


def test_a_record_with_an_impossible_id_makes_its_answer_damaged(
        connect: Callable[..., SimulatedWebConnector], services: Services,  # noqa: F811
        clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)
    quickbooks = quickbooks_at(clock)
    quickbooks.add_customer("Ada Lovelace")
    long_id = quickbooks.add_customer("Charles Babbage")
    customers = quickbooks.books.customers
    long_id.list_id = "8" * (max_length(SyncRecord.qb_id) + 1)
    customers[long_id.list_id] = customers.pop(next(k for k, v in customers.items()
                                                    if v is long_id))
    long_version = quickbooks.add_customer("Grace Hopper")
    long_version.edit_sequence = "9" * (max_length(SyncRecord.qb_version) + 1)
    result = connect(quickbooks).run_session()
    # No QuickBooks writes such ids: the whole answer is damaged, nothing of it is kept, the
    # Web Connector is told why (receiveResponseXML -1, then getLastError), and the page is
    # asked again in the next update (see test_damaged_answers.py).
    assert result.outcome is Outcome.ERROR
    assert "characters in its ListID" in (result.last_error or "")
    assert not services.sync.records("Acme", "customer", limit=100)
    assert_no_traceback(caplog.records)
