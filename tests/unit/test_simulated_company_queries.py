"""Queries honour their filters, iterators and the no-match / not-found statuses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qbwc_server.simulator.company import SimulatedCompany
from tests.unit.simco import TickingClock, answers, company, msg, one, status


@pytest.fixture
def co() -> SimulatedCompany:
    clock = TickingClock(datetime(2026, 1, 5, 14, 0, tzinfo=UTC))
    company_ = company(clock=clock)
    company_.add_customer("Acme")
    company_.add_customer("Remodel", parent="Acme")
    company_.add_customer("Beta")
    company_.add_customer("Gamma", is_active=False)
    company_.add_invoice("Acme", [("Consulting", 2, "100")], ref_number="1001",
                         txn_date=date(2025, 12, 1))
    company_.add_invoice("Acme:Remodel", [("Hardware", 1, "250")], ref_number="1002",
                         txn_date=date(2025, 12, 15))
    company_.add_invoice("Beta", [("Cables", 4, "12.50")], ref_number="1003",
                         txn_date=date(2026, 1, 2))
    return company_


def _names(rs, tag: str = "CustomerRet") -> list[str]:
    return [ret.findtext("FullName") for ret in rs.findall(tag)]


def _refs(rs) -> list[str]:
    return [ret.findtext("RefNumber") for ret in rs.findall("InvoiceRet")]


def test_list_query_defaults_to_active_only_and_orders_by_full_name(co: SimulatedCompany) -> None:
    assert _names(one(co, "<CustomerQueryRq/>")) == ["Acme", "Acme:Remodel", "Beta"]
    all_rs = one(co, "<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>")
    assert "Gamma" in _names(all_rs)
    inactive = one(co, "<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus>"
                       "</CustomerQueryRq>")
    assert _names(inactive) == ["Gamma"]


def test_job_has_parent_ref_sublevel_and_balances_roll_up(co: SimulatedCompany) -> None:
    rs = one(co, "<CustomerQueryRq><FullName>Acme:Remodel</FullName><FullName>Acme</FullName>"
                 "</CustomerQueryRq>")
    acme, job = rs.findall("CustomerRet")
    assert job.findtext("ParentRef/FullName") == "Acme"
    assert job.findtext("Sublevel") == "1"
    assert acme.findtext("Balance") == "200.00"
    assert acme.findtext("TotalBalance") == "450.00"


def test_list_id_and_full_name_filters_report_missing(co: SimulatedCompany) -> None:
    acme = co.customer("Acme").list_id
    rs = one(co, f"<CustomerQueryRq><ListID>{acme}</ListID><ListID>80000999-1234567890</ListID>"
                 "</CustomerQueryRq>")
    assert (status(rs), rs.get("statusSeverity")) == (500, "Warn")
    assert _names(rs) == ["Acme"]
    missing = one(co, "<CustomerQueryRq><ListID>80000999-1234567890</ListID></CustomerQueryRq>")
    assert status(missing) == 3120
    assert "80000999-1234567890" in missing.get("statusMessage")
    by_name = one(co, "<CustomerQueryRq><FullName>Nobody</FullName></CustomerQueryRq>")
    assert (status(by_name), by_name.get("statusSeverity")) == (500, "Warn")


def test_name_filter_and_max_returned(co: SimulatedCompany) -> None:
    rs = one(co, "<CustomerQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion>"
                 "<Name>ac</Name></NameFilter></CustomerQueryRq>")
    assert _names(rs) == ["Acme", "Acme:Remodel"]
    limited = one(co, "<CustomerQueryRq><MaxReturned>1</MaxReturned></CustomerQueryRq>")
    assert _names(limited) == ["Acme"]


def test_no_match_is_status_1_info(co: SimulatedCompany) -> None:
    rs = one(co, "<InvoiceQueryRq><RefNumber>nope</RefNumber></InvoiceQueryRq>")
    assert rs.attrib == {"statusCode": "1", "statusSeverity": "Info",
                         "statusMessage": "A query request did not find a matching object in "
                                          "QuickBooks"}


def test_modified_date_filters_list_bare_and_txn_wrapped(co: SimulatedCompany) -> None:
    beta = co.customer("Beta")
    since = beta.time_modified.astimezone(co.books.zone).strftime("%Y-%m-%dT%H:%M:%S")
    rs = one(co, f"<CustomerQueryRq><FromModifiedDate>{since}</FromModifiedDate>"
                 "</CustomerQueryRq>")
    assert _names(rs) == ["Beta"]  # inclusive bound; Gamma is inactive
    invoice = co.invoice("1002")
    when = invoice.time_modified.astimezone(co.books.zone).isoformat()
    rs = one(co, f"<InvoiceQueryRq><ModifiedDateRangeFilter><FromModifiedDate>{when}"
                 f"</FromModifiedDate><ToModifiedDate>{when}</ToModifiedDate>"
                 "</ModifiedDateRangeFilter></InvoiceQueryRq>")
    assert _refs(rs) == ["1002"]


def test_txn_date_entity_and_paid_status_filters(co: SimulatedCompany) -> None:
    rs = one(co, "<InvoiceQueryRq><TxnDateRangeFilter><FromTxnDate>2025-12-10</FromTxnDate>"
                 "<ToTxnDate>2025-12-31</ToTxnDate></TxnDateRangeFilter></InvoiceQueryRq>")
    assert _refs(rs) == ["1002"]
    rs = one(co, "<InvoiceQueryRq><EntityFilter><FullNameWithChildren>Acme"
                 "</FullNameWithChildren></EntityFilter></InvoiceQueryRq>")
    assert _refs(rs) == ["1001", "1002"]
    rs = one(co, "<InvoiceQueryRq><EntityFilter><FullName>Acme</FullName></EntityFilter>"
                 "</InvoiceQueryRq>")
    assert _refs(rs) == ["1001"]
    co.receive_payment("Beta", "50.00", apply_to={"1003": "50.00"})
    rs = one(co, "<InvoiceQueryRq><PaidStatus>PaidOnly</PaidStatus></InvoiceQueryRq>")
    assert _refs(rs) == ["1003"]
    rs = one(co, "<InvoiceQueryRq><PaidStatus>NotPaidOnly</PaidStatus></InvoiceQueryRq>")
    assert _refs(rs) == ["1001", "1002"]


def test_include_line_items_linked_txns_and_ret_elements(co: SimulatedCompany) -> None:
    bare = one(co, "<InvoiceQueryRq><RefNumber>1001</RefNumber></InvoiceQueryRq>")
    assert bare.find("InvoiceRet/InvoiceLineRet") is None
    co.receive_payment("Acme", "20.00", apply_to={"1001": "20.00"})
    full = one(co, "<InvoiceQueryRq><RefNumber>1001</RefNumber>"
                   "<IncludeLineItems>true</IncludeLineItems>"
                   "<IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>")
    assert full.findtext("InvoiceRet/InvoiceLineRet/Amount") == "200.00"
    assert full.findtext("InvoiceRet/LinkedTxn/TxnType") == "ReceivePayment"
    assert full.findtext("InvoiceRet/LinkedTxn/Amount") == "-20.00"
    only = one(co, "<InvoiceQueryRq><RefNumber>1001</RefNumber>"
                   "<IncludeRetElement>TxnID</IncludeRetElement>"
                   "<IncludeRetElement>BalanceRemaining</IncludeRetElement></InvoiceQueryRq>")
    assert [child.tag for child in only.find("InvoiceRet")] == ["TxnID", "BalanceRemaining"]
    assert only.findtext("InvoiceRet/BalanceRemaining") == "180.00"


def test_iterator_pages_through_and_then_forgets(co: SimulatedCompany) -> None:
    for number in range(5):
        co.add_customer(f"Extra {number}")
    first = one(co, '<CustomerQueryRq requestID="1" iterator="Start">'
                    "<MaxReturned>3</MaxReturned></CustomerQueryRq>")
    iterator_id = first.get("iteratorID")
    assert iterator_id.startswith("{")
    assert iterator_id.endswith("}")
    assert first.get("iteratorRemainingCount") == "5"
    seen = _names(first)
    continue_rq = (f'<CustomerQueryRq requestID="2" iterator="Continue" iteratorID="{iterator_id}">'
                   "<MaxReturned>3</MaxReturned></CustomerQueryRq>")
    second = one(co, continue_rq)
    assert second.get("iteratorRemainingCount") == "2"
    third = one(co, continue_rq)
    assert third.get("iteratorRemainingCount") == "0"
    seen += _names(second) + _names(third)
    assert len(seen) == len(set(seen)) == 8
    assert status(one(co, continue_rq)) == 3391


def test_unknown_iterator_and_new_session_give_3391(co: SimulatedCompany) -> None:
    stale = ('<InvoiceQueryRq iterator="Continue" iteratorID="{00000000-0000-0000-0000-'
             '000000000000}"><MaxReturned>1</MaxReturned></InvoiceQueryRq>')
    rs = one(co, stale)
    assert (status(rs), rs.get("statusSeverity")) == (3391, "Error")
    first = one(co, '<InvoiceQueryRq iterator="Start"><MaxReturned>1</MaxReturned>'
                    "</InvoiceQueryRq>")
    co.close()
    co.open("")
    again = one(co, f'<InvoiceQueryRq iterator="Continue" iteratorID="{first.get("iteratorID")}">'
                    "<MaxReturned>1</MaxReturned></InvoiceQueryRq>")
    assert status(again) == 3391


def test_account_query_type_filter_and_item_query(co: SimulatedCompany) -> None:
    rs = one(co, "<AccountQueryRq><AccountType>Bank</AccountType></AccountQueryRq>")
    assert _names(rs, "AccountRet") == ["Checking", "Savings"]
    items = one(co, "<ItemQueryRq/>")
    kinds = {child.tag for child in items}
    assert {"ItemServiceRet", "ItemNonInventoryRet", "ItemOtherChargeRet", "ItemDiscountRet",
            "ItemPaymentRet", "ItemSalesTaxRet"} <= kinds


def test_unsupported_query_answers_no_match(co: SimulatedCompany) -> None:
    (rs,) = answers(co.process(msg("<VendorQueryRq/>")))
    assert status(rs) == 1
