"""Companies with a past: invoices entered on their own dates, years ago, with gaps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from qbwc_server.clock import FakeClock
from qbwc_server.simulator.company import SimulatedCompany

#: The first sync pulls this far back; anything older is history.
RECENT_DAYS = 365


def dated_invoices(quickbooks: SimulatedCompany, clock: FakeClock,
                   wanted: Mapping[str, tuple[str, int]], amount: str = "10.00"
                   ) -> dict[str, str]:
    """Invoices ``{RefNumber: (customer, age in days)}``, each entered (and last modified) on
    its date, a customer missing from QuickBooks on the date of its oldest; RefNumber ->
    TxnID.

    Entering them on their dates matters: a company that really sat dormant has old
    modified times too, so only the history pull, never a modified-date pull, finds them.
    """
    today = clock.now()
    made = {}
    try:
        for number, (customer, age) in sorted(wanted.items(), key=lambda item: -item[1][1]):
            moment = today - timedelta(days=age)
            quickbooks.books.clock = lambda moment=moment: moment  # type: ignore[misc]
            if quickbooks.customer(customer) is None:
                quickbooks.add_customer(customer)
            made[number] = quickbooks.add_invoice(
                customer, [{"item": "Consulting", "amount": amount}], ref_number=number,
                txn_date=moment.date()).txn_id
    finally:
        quickbooks.books.clock = clock.now
    return made

