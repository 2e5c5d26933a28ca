"""The page-limit fault: QuickBooks runs out of memory on answers above a number of records."""

from __future__ import annotations

import pytest

from qbwc_server.simulator.faults import OUT_OF_MEMORY, Fault, FaultContext
from qbwc_server.simulator.interface import QuickBooks, QuickBooksError
from qbwc_server.simulator.transcript import Transcript
from tests.unit.simco import answers, company, msg


def _limited(records: int) -> QuickBooks:
    co = company()
    for name in ("Ada", "Bob", "Cy"):
        co.add_customer(name)
    context = FaultContext(transcript=Transcript(), sleep=lambda _: None)
    _, quickbooks = Fault.parse(f"page-limit:records={records}").apply(
        None, co, context)  # type: ignore[arg-type]
    return quickbooks


def test_an_answer_above_the_limit_fails_with_out_of_memory() -> None:
    with pytest.raises(QuickBooksError) as caught:
        _limited(2).process(msg("<CustomerQueryRq/>"))
    assert (caught.value.hresult, caught.value.message) == OUT_OF_MEMORY


def test_a_page_within_the_limit_is_answered() -> None:
    quickbooks = _limited(2)
    (rs,) = answers(quickbooks.process(msg("<CustomerQueryRq><MaxReturned>2</MaxReturned>"
                                           "</CustomerQueryRq>")))
    assert len(rs.findall("CustomerRet")) == 2
    (everything,) = answers(_limited(3).process(msg("<CustomerQueryRq/>")))
    assert len(everything.findall("CustomerRet")) == 3


def test_writes_are_never_failed_after_quickbooks_applied_them() -> None:
    quickbooks = _limited(0)
    (rs,) = answers(quickbooks.process(msg(
        "<CustomerAddRq><CustomerAdd><Name>Dee</Name></CustomerAdd></CustomerAddRq>")))
    assert rs.find("CustomerRet/Name").text == "Dee"
