"""Message-level behaviour, the QuickBooks seam, generation and persistence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.interface import QuickBooks, QuickBooksError, QuickBooksUnavailable
from tests.qbxml_schema import assert_valid_qbxml
from tests.unit.simco import TickingClock, add_customer_rq, answers, company, msg, status

PARSE = ("0x80040400", "QuickBooks found an error when parsing the provided XML text stream.")


def test_is_a_quickbooks() -> None:
    co: QuickBooks = company()
    assert co.country == "US"
    assert co.qbxml_version == (13, 0)
    assert co.open("").endswith(".QBW")
    co.close()


def test_stop_on_error_stops_after_the_first_error() -> None:
    co = company()
    text = co.process(msg(add_customer_rq("A"), add_customer_rq("A"), add_customer_rq("B"),
                          on_error="stopOnError"))
    assert [status(rs) for rs in answers(text)] == [0, 3100]
    assert co.customer("B") is None


def test_continue_on_error_goes_on() -> None:
    co = company()
    text = co.process(msg(add_customer_rq("A"), add_customer_rq("A"), add_customer_rq("B"),
                          on_error="continueOnError"))
    assert [status(rs) for rs in answers(text)] == [0, 3100, 0]
    assert co.customer("B") is not None


def test_request_ids_are_echoed() -> None:
    co = company()
    text = co.process(msg('<CustomerQueryRq requestID="abc"/>', '<HostQueryRq requestID="7"/>',
                          on_error="continueOnError"))
    assert [rs.get("requestID") for rs in answers(text)] == ["abc", "7"]


@pytest.mark.parametrize("request_xml", [
    # out of order: CompanyName before Name
    msg("<CustomerAddRq><CustomerAdd><CompanyName>X</CompanyName><Name>X</Name></CustomerAdd>"
        "</CustomerAddRq>"),
    # Name longer than 41 characters
    msg(add_customer_rq("N" * 42)),
    # not XML at all
    "<?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq",
    # no onError attribute
    '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq><HostQueryRq/></QBXMLMsgsRq></QBXML>',
    # a version above what this QuickBooks speaks
    msg("<HostQueryRq/>", version="14.0"),
])
def test_bad_message_fails_whole_with_0x80040400(request_xml: str) -> None:
    co = company()
    with pytest.raises(QuickBooksError) as caught:
        co.process(request_xml)
    assert (caught.value.hresult, caught.value.message) == PARSE
    assert co.customer("X") is None


def test_old_quickbooks_speaks_8_0_and_refuses_13_0() -> None:
    co = company(qbxml_version=(8, 0))
    hcp = co.hcp_response()
    assert_valid_qbxml(hcp)
    host = answers(hcp)[0].find("HostRet")
    versions = [v.text for v in host.findall("SupportedQBXMLVersion")]
    assert versions[-1] == "8.0"
    assert "13.0" not in versions
    assert host.findtext("ProductName") == "QuickBooks Pro 2009"
    assert status(answers(co.process(msg("<HostQueryRq/>", version="8.0")))[0]) == 0
    with pytest.raises(QuickBooksError):
        co.process(msg("<HostQueryRq/>", version="13.0"))


def test_hcp_answers_as_normal_requests_and_file_id_by_owner() -> None:
    co = company(country="CA", product_name="QuickBooks Premier 2014")
    owner = "{68b5925b-4347-4784-e58d-35a2d190962f}"
    co.stamp_file_id(owner, "{ee032e95-47f7-2564-096f-2d4545fcb021}")
    text = co.process(msg('<HostQueryRq requestID="0"/>',
                          f'<CompanyQueryRq requestID="1"><OwnerID>{owner}</OwnerID>'
                          "</CompanyQueryRq>", '<CompanyQueryRq requestID="2"/>',
                          '<PreferencesQueryRq requestID="3"/>'))
    assert_valid_qbxml(text)
    host, with_owner, without, prefs = answers(text)
    assert host.findtext("HostRet/Country") == "CA"
    assert host.findtext("HostRet/ProductName") == "QuickBooks Premier 2014"
    assert with_owner.findtext("CompanyRet/DataExtRet/DataExtName") == "FileID"
    assert without.find("CompanyRet/DataExtRet") is None
    assert prefs.find("PreferencesRet/AccountingPreferences") is not None


def test_cannot_open() -> None:
    co = company(cannot_open=True)
    with pytest.raises(QuickBooksUnavailable) as caught:
        co.open("")
    assert (caught.value.hresult, caught.value.message) == ("0x80040408",
                                                            "Could not start QuickBooks.")


def test_generate_is_deterministic_and_realistic(tmp_path: Path) -> None:
    first = SimulatedCompany.generate(customers=60, invoices=400, seed=7, today=date(2026, 1, 5))
    second = SimulatedCompany.generate(customers=60, invoices=400, seed=7, today=date(2026, 1, 5))
    first.save(tmp_path / "a.json")
    second.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    other = SimulatedCompany.generate(customers=60, invoices=400, seed=8, today=date(2026, 1, 5))
    other.save(tmp_path / "c.json")
    assert (tmp_path / "c.json").read_bytes() != (tmp_path / "a.json").read_bytes()
    summary = first.summary()
    assert summary["Customer"] + summary["Job"] == 60
    assert summary["Job"] > 0
    assert summary["Invoice"] == 400
    assert summary["ReceivePayment"] > 200
    assert summary["Deposit"] > 0
    books = first.books
    assert any(not c.is_active for c in books.customers.values())
    balances = [books.balance_remaining(s) for s in books.sales.values() if s.kind == "Invoice"]
    assert any(b == 0 for b in balances)
    assert any(b > 0 for b in balances)
    partial = [s for s in books.sales.values()
               if s.kind == "Invoice" and 0 < books.balance_remaining(s) < s.subtotal]
    assert partial


def test_save_load_round_trip(tmp_path: Path) -> None:
    co = company()
    co.add_customer("Acme", Email="a@acme.test", BillAddress={"Addr1": "1 Road"})
    co.add_customer("Job", parent="Acme")
    co.add_invoice("Acme:Job", [("Consulting", 2, "100")], ref_number="1001")
    payment = co.receive_payment("Acme:Job", "50.00", apply_to={"1001": "50.00"})
    co.deposit("Checking", [payment.txn_id])
    co.stamp_file_id("{68b5925b-4347-4784-e58d-35a2d190962f}",
                     "{ee032e95-47f7-2564-096f-2d4545fcb021}")
    path = tmp_path / "company.json"
    co.save(path)
    loaded = SimulatedCompany.load(path, clock=TickingClock())
    assert loaded.summary() == co.summary()
    assert loaded.invoice_balance("1001") == co.invoice_balance("1001")
    assert loaded.account_balance("Checking") == co.account_balance("Checking")
    assert loaded.customer("Acme:Job").list_id == co.customer("Acme:Job").list_id
    query = msg('<CustomerQueryRq requestID="1"><ActiveStatus>All</ActiveStatus>'
                "</CustomerQueryRq>", '<InvoiceQueryRq requestID="2"><IncludeLineItems>true'
                "</IncludeLineItems></InvoiceQueryRq>", '<CompanyQueryRq requestID="3"/>')
    assert loaded.process(query) == co.process(query)
    newer = loaded.add_customer("Later")
    assert newer.list_id not in {c.list_id for c in co.books.customers.values()}
    loaded.save(tmp_path / "again.json")
    assert json.loads((tmp_path / "again.json").read_text())["format"]


def test_from_fixture(tmp_path: Path) -> None:
    fixture = {
        "company_name": "Fixture Co",
        "customers": [{"name": "Acme", "fields": {"Email": "a@acme.test"},
                       "jobs": [{"name": "Remodel"}]},
                      {"name": "Old", "is_active": False}],
        "invoices": [{"customer": "Acme:Remodel", "ref_number": "1001",
                      "txn_date": "2025-12-01",
                      "lines": [{"item": "Consulting", "quantity": 2, "rate": "150"}]}],
        "payments": [{"customer": "Acme:Remodel", "amount": "100",
                      "apply_to": {"1001": "100"}}],
        "deposits": [{"account": "Checking", "payments": [0]}],
    }
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(fixture))
    co = SimulatedCompany.from_fixture(path, clock=TickingClock())
    assert co.invoice_balance("1001") == 200
    assert co.account_balance("Checking") == 100
    assert co.customer("Old").is_active is False
    assert co.summary()["Job"] == 1


def test_public_api_is_the_facade() -> None:
    import qbwc_server.simulator.company as package

    assert package.__all__ == ["SimulatedCompany"]
