"""A QuickBooks answer of several MB (a large page of long records) reaches the sync engine
over real HTTP, as ``qbwc-server serve`` runs it: the SOAP library's own 2 MiB cap once
refused it (Client.RequestTooLong), so that page failed forever and the company showed busy."""

from __future__ import annotations

from datetime import date

from qbwc_server.app import Services
from qbwc_server.clock import FakeClock
from qbwc_server.serving import BackgroundServer
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.transport import HttpTransport
from qbwc_server.simulator.webconnector import (
    Outcome,
    SimulatedWebConnector,
    WebConnectorSettings,
)

CUSTOMERS, INVOICES = 40, 2000
TWO_MIB = 2 * 1024 * 1024


def _invoice_answers(result_transcript: object) -> list[int]:
    """Sizes of the qbXML answers handed to receiveResponseXML that returned invoices."""
    return [len(str(exchange.params["response"])) for exchange in result_transcript  # type: ignore[attr-defined]
            if exchange.method == "receiveResponseXML"
            and "<InvoiceRet>" in str(exchange.params["response"])]


def test_a_page_of_several_megabytes_syncs_over_http(
    app: object, services: Services, clock: FakeClock
) -> None:
    quickbooks = SimulatedCompany.generate(customers=CUSTOMERS, invoices=INVOICES, years=1,
                                           seed=3,
                                           today=date(2026, 1, 5), clock=clock.now)
    view, password = services.companies.add("Acme")
    services.sync.configure("Acme", page_size=2000)  # the largest page a partner may set
    with BackgroundServer(app) as server:  # type: ignore[arg-type]
        wc = SimulatedWebConnector.over(
            HttpTransport(server.url + "/qbwc"), quickbooks,
            WebConnectorSettings(username=view.username, password=password),
            sleep=lambda seconds: None)
        result = wc.run_session()
    assert result.outcome is Outcome.OK, result.last_error
    sizes = _invoice_answers(result.transcript)
    assert max(sizes) > TWO_MIB  # the whole page came in one answer, well over the old cap
    counts = services.sync.counts("Acme")["invoice"]
    recent = [sale for sale in quickbooks.books.sales.values()
              if sale.kind == "Invoice" and (clock.now().date() - sale.txn_date).days <= 365]
    assert sum(n for state, n in counts.items() if state != "deleted") == len(recent) > 1000
