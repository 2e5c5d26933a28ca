"""The steps of a session, in the order they run: reconcile, pull, push."""

from __future__ import annotations

from mappers.catalog import Account, Item
from mappers.customers import Customer
from mappers.payments import Payment
from mappers.sales import Invoice
from qbwc_server.sync.deletions import DeletionsStep
from qbwc_server.sync.pull import PullSpec, PullStep, list_query, txn_query
from qbwc_server.sync.push import PushStep
from qbwc_server.sync.push_kinds import KINDS
from qbwc_server.sync.reconcile import ReconcileStep
from qbwc_server.sync.step import Step
from qbxml.requests import AccountQuery, CustomerQuery, InvoiceQuery, ItemQuery, ReceivePaymentQuery
from qbxml.responses import ItemKind

PULLS = (
    PullSpec(kind="account", to_record=Account.from_qbxml, query=list_query(AccountQuery),
             is_txn=False, deleted_as=("Account",)),
    # Every kind of item the item pull reads (one ListDelType each).
    PullSpec(kind="item", to_record=Item.from_qbxml, query=list_query(ItemQuery), is_txn=False,
             deleted_as=tuple(kind.list_del_type for kind in ItemKind)),
    PullSpec(kind="customer", to_record=Customer.from_qbxml, query=list_query(CustomerQuery),
             is_txn=False, deleted_as=("Customer",)),
    PullSpec(kind="invoice", to_record=Invoice.from_qbxml,
             query=txn_query(InvoiceQuery, include_linked_txns=True), is_txn=True,
             deleted_as=("Invoice",)),
    PullSpec(kind="payment", to_record=Payment.from_qbxml, query=txn_query(ReceivePaymentQuery),
             is_txn=True, deleted_as=("ReceivePayment",)),
)


def default_steps() -> list[Step]:
    """Every step the engine knows; each company's profile picks the ones that apply."""
    steps: list[Step] = [ReconcileStep()]
    steps.extend(PullStep(spec) for spec in PULLS)
    steps.append(DeletionsStep(PULLS))
    # Pushes in dependency order: customer, invoice, payment, deposit, reversal.
    steps.extend(PushStep(kind) for kind in KINDS)
    return steps

