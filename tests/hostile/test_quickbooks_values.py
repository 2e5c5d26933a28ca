"""Over-long values QuickBooks sends inside a valid session (the company file path, the HCP
answers, a ListID or EditSequence longer than a QuickBooks id can be) are read as the
damaged answers they are: the session ends cleanly, the same on SQLite and PostgreSQL, with
no server fault and no traceback, where PostgreSQL once refused the row (a 500 fault)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.simulator.webconnector import Outcome, SimulatedWebConnector
from qbwc_server.store.limits import max_length
from qbwc_server.store.models import Company, SyncRecord
from tests.acceptance.conftest import app, clock, connect, quickbooks_at, services  # noqa: F401
from tests.hostile.conftest import assert_no_traceback


def test_over_long_host_and_company_answers_are_cut_to_fit(
        connect: Callable[..., SimulatedWebConnector], services: Services,  # noqa: F811
        clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)
    quickbooks = quickbooks_at(clock, product_name="P" * 600, company_name="C" * 600,
                               company_file="C:\\" + "f" * 900 + ".QBW")
    quickbooks.add_customer("Ada Lovelace")
    result = connect(quickbooks).run_session()
    assert result.outcome is Outcome.OK, result.last_error
    view = services.companies.get("Acme")
    assert view.qb_product_name == "P" * max_length(Company.qb_product_name)
    assert view.qb_company_name == "C" * max_length(Company.qb_company_name)
    assert services.sync.counts("Acme")["customer"]
    assert_no_traceback(caplog.records)


def test_a_record_with_an_impossible_id_is_skipped_and_the_rest_arrive(
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
    assert result.outcome is Outcome.OK, result.last_error
    names = {record.label for record in services.sync.records("Acme", "customer", limit=100)}
    assert "Ada Lovelace" in names
    assert not names & {"Charles Babbage", "Grace Hopper"}
    skipped = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    assert len(skipped) == 2, skipped
    assert_no_traceback(caplog.records)
