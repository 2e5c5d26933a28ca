"""Helpers for the fault tests: what the platform meant QuickBooks to hold, and the check.

:class:`Intended` is written alongside every platform write (payments, deposits, reversals,
invoices), so after any faults and recoveries :func:`assert_books_match` can say whether
QuickBooks holds exactly that (each record once, by its ExternalGUID, with the right amounts,
applications and deposit lines) and whether the platform's records say the same (``synced``,
with the ids QuickBooks has).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

import attrs

from mappers import Deposit, DepositedPayment, EntityRef, identity_guid
from qbwc_server.app import Services
from qbwc_server.simulator.company import SimulatedCompany
from qbwc_server.simulator.webconnector import SessionResult
from tests.acceptance.pushing import assert_all_valid, payment

D = Decimal
#: Sessions allowed to settle everything after a fault (a lost write needs one to reconcile
#: and one to resend; a lock backs off; a deposit waits for its payments).
MAX_SESSIONS = 12


@attrs.define
class Intended:
    """What the platform asked QuickBooks to hold; updated with every platform write."""

    company: str = "Acme"
    #: external id -> (customer, amount, {invoice RefNumber: amount applied})
    payments: dict[str, tuple[str, Decimal, dict[str, Decimal]]] = attrs.field(factory=dict)
    reversed: set[str] = attrs.field(factory=set)
    #: external id -> the payments (external ids) it deposits
    deposits: dict[str, tuple[str, ...]] = attrs.field(factory=dict)

    def pay(self, services: Services, quickbooks: SimulatedCompany, external_id: str,
            customer: str, amount: str, invoices: dict[str, str] | None = None) -> None:
        """Submit a payment applied to invoices by TxnID (``{"INV-1": "40.00"}``)."""
        by_txn = {}
        for number in invoices or {}:
            invoice = quickbooks.invoice(number)
            assert invoice is not None, number
            by_txn[invoice.txn_id] = (invoices or {})[number]
        services.sync.submit(self.company, "payment", payment(
            external_id, customer, amount, invoices=by_txn, by_txn_id=True))
        self.payments[external_id] = (customer, D(amount),
                                      {n: D(v) for n, v in (invoices or {}).items()})

    def deposit(self, services: Services, external_id: str, payment_ids: Iterable[str]) -> None:
        """Submit a payout of ``payment_ids`` to the partner's deposit account."""
        ids = tuple(payment_ids)
        services.sync.submit(self.company, "deposit", Deposit(
            external_id=external_id, bank_account=EntityRef(name=""),
            payments=tuple(DepositedPayment(payment=EntityRef(name=p)) for p in ids)))
        self.deposits[external_id] = ids

    def reverse(self, services: Services, external_id: str) -> None:
        services.sync.reverse_payment(self.company, external_id)
        self.reversed.add(external_id)

    def deposited(self) -> set[str]:
        return {p for ids in self.deposits.values() for p in ids}


def assert_books_match(quickbooks: SimulatedCompany, services: Services, intended: Intended,
                       results: Iterable[SessionResult]) -> None:
    """QuickBooks holds exactly what was intended, the platform agrees, every message was
    valid qbXML 13.0."""
    assert_all_valid(results)
    company = intended.company
    scope = services.companies.get(company).file_id
    _assert_payments(quickbooks, services, intended, scope)
    _assert_deposits(quickbooks, services, intended, scope)


def _assert_payments(quickbooks: SimulatedCompany, services: Services, intended: Intended,
                     scope: str) -> None:
    ours = {identity_guid(scope, "payment", ext): ext for ext in intended.payments}
    held = [p for p in quickbooks.books.payments.values() if p.external_guid in ours]
    copies = Counter(ours[p.external_guid or ""] for p in held)
    alive = set(intended.payments) - intended.reversed
    assert {ext for ext, n in copies.items() if n > 1} == set(), "duplicate payments"
    assert set(copies) == alive, (f"missing {sorted(alive - set(copies))}, "
                                  f"unwanted {sorted(set(copies) - alive)}")
    for p in held:
        ext = ours[p.external_guid or ""]
        customer, amount, applied = intended.payments[ext]
        assert p.total == amount, ext
        assert quickbooks.books.full_name(p.customer_id) == customer, ext
        wanted = {_txn_id(quickbooks, n): v for n, v in applied.items()}
        assert p.applied == wanted, ext
        view = services.sync.record(intended.company, "payment", external_id=ext)
        assert (view.push_state, view.qb_id, view.is_deleted) == ("synced", p.txn_id, False), \
            view
    for ext in intended.reversed:
        view = services.sync.record(intended.company, "payment", external_id=ext)
        assert (view.push_state, view.is_deleted) == ("synced", True), view


def _assert_deposits(quickbooks: SimulatedCompany, services: Services, intended: Intended,
                     scope: str) -> None:
    ours = {identity_guid(scope, "deposit", ext): ext for ext in intended.deposits}
    held = [d for d in quickbooks.books.deposits.values() if d.external_guid in ours]
    assert sorted(ours[d.external_guid or ""] for d in held) == sorted(intended.deposits)
    for deposit in held:
        ext = ours[deposit.external_guid or ""]
        payment_ids = {services.sync.record(intended.company, "payment", external_id=p).qb_id
                       for p in intended.deposits[ext]}
        assert {line.payment_id for line in deposit.lines} == payment_ids, ext
        assert deposit.total == sum(intended.payments[p][1] for p in intended.deposits[ext])
        view = services.sync.record(intended.company, "deposit", external_id=ext)
        assert (view.push_state, view.qb_id) == ("synced", deposit.txn_id), ext


def _txn_id(quickbooks: SimulatedCompany, number: str) -> str:
    invoice = quickbooks.invoice(number)
    assert invoice is not None, number
    return invoice.txn_id
