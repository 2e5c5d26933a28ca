"""The steps of a session, in the order they run: reconcile, pull, push."""

from __future__ import annotations

from mappers.customers import Customer
from mappers.payments import Payment
from mappers.sales import Invoice
from qbwc_server.sync.deletions import DeletionsStep
from qbwc_server.sync.pull import PullSpec, PullStep, list_query, txn_query
from qbwc_server.sync.step import Step
from qbxml.requests import CustomerQuery, InvoiceQuery, ReceivePaymentQuery

PULLS = (
    PullSpec(kind="customer", to_record=Customer.from_qbxml, query=list_query(CustomerQuery),
             is_txn=False),
    PullSpec(kind="invoice", to_record=Invoice.from_qbxml,
             query=txn_query(InvoiceQuery, include_linked_txns=True), is_txn=True),
    PullSpec(kind="payment", to_record=Payment.from_qbxml, query=txn_query(ReceivePaymentQuery),
             is_txn=True),
)


def default_steps() -> list[Step]:
    """Every step the engine knows; each company's profile picks the ones that apply."""
    steps: list[Step] = [PullStep(spec) for spec in PULLS]
    steps.append(DeletionsStep())
    return steps

