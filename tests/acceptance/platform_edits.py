"""Platform edits under direction ``both``, meeting the accountant's edits of the same records.

The platform owns a few customers and their invoices. It PUTs them, then PUTs them again
(a PUT carries the whole record) with a new email, or a new memo and due date. In the same
round the accountant may change that same field in QuickBooks (a real conflict) and a field
the platform never states (the customer's phone, the invoice's date). The conflict rule of
docs/sync.md says what QuickBooks ends with: the platform's last value of each field it
changed, QuickBooks' own value of the others, each record once. And no value the accountant
typed is replaced silently: one a session wrote over is in a ``conflict`` entry of the change
feed, as QuickBooks' side.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs

from mappers import Customer, EntityRef, Invoice, InvoiceLine, identity_guid
from qbwc_server.app import Services
from qbwc_server.errors import ConflictError
from qbwc_server.simulator.company import SimulatedCompany

BOTH = {"customer": "both", "invoice": "both"}
DUE = date(2026, 2, 1)
#: The field the platform changes and the accountant may change too, per kind.
CONTESTED = {"customer": "email", "invoice": "memo"}


@attrs.define
class Owned:
    """A record the platform owns, and what QuickBooks must end with for it."""

    kind: str
    external_id: str
    name: str  # the customer's name, or the invoice's RefNumber
    customer: str
    platform: dict[str, Any]  # the values of the platform's last accepted PUT
    accountant: dict[str, Any] = attrs.field(factory=dict)  # fields only QuickBooks changes
    typed: set[Any] = attrs.field(factory=set)  # every contested value the accountant typed
    put_this_round: bool = False

    def record(self) -> Customer | Invoice:
        """The whole record, as the platform PUTs it."""
        if self.kind == "customer":
            return Customer(external_id=self.external_id, name=self.name,
                            email=self.platform["email"])
        return Invoice(external_id=self.external_id, customer=EntityRef(name=self.customer),
                       number=self.name, memo=self.platform["memo"],
                       due_date=self.platform["due_date"],
                       lines=(InvoiceLine(item=EntityRef(name="Consulting"),
                                          quantity=Decimal("2"), rate=Decimal("150.00")),))


@attrs.define
class PlatformEdits:
    """The platform's records of one company, its PUTs, the accountant's edits, the check."""

    company: str
    owned: list[Owned] = attrs.field(factory=list)
    #: (record, field, value): accountant values QuickBooks held when a session began and
    #: no longer held when it ended, so the server wrote over them.
    replaced: list[tuple[Owned, str, Any]] = attrs.field(factory=list)
    _before: dict[str, Any] = attrs.field(factory=dict)
    _round: int = 0

    def start(self, services: Services, rng: random.Random) -> None:
        for number in range(1, rng.randint(1, 2) + 1):
            name = f"P{number}"
            customer = Owned(kind="customer", external_id=f"PC-{number}", name=name,
                             customer=name, platform={"email": f"{name}@platform.example"})
            invoice = Owned(kind="invoice", external_id=f"PI-{number}", name=f"{name}-1",
                            customer=name, platform={"memo": "first", "due_date": DUE})
            for record in (customer, invoice):
                services.sync.submit(self.company, record.kind, record.record())
                self.owned.append(record)

    # -- a round: the platform PUTs, the accountant edits, a session runs ------------------

    def platform_puts(self, services: Services, rng: random.Random) -> None:
        self._round += 1
        for record in self.owned:
            if rng.random() >= 0.35:
                continue
            wanted = ({"email": f"{record.name}.{self._round}@platform.example"}
                      if record.kind == "customer"
                      else {"memo": f"platform {self._round}",
                            "due_date": DUE + timedelta(days=self._round)})
            before = record.platform
            record.platform = wanted
            try:
                services.sync.submit(self.company, record.kind, record.record())
            except ConflictError:
                record.platform = before  # on its way to QuickBooks: the platform tries later
                continue
            record.put_this_round = True

    def accountant_edits(self, quickbooks: SimulatedCompany, rng: random.Random) -> None:
        for record in self.owned:
            if _held(quickbooks, record) is None:
                continue  # not in QuickBooks yet
            if record.put_this_round and rng.random() < 0.6:
                if record.kind == "customer":
                    value = f"{record.name}.{self._round}@accountant.example"
                    quickbooks.modify_customer(record.name, Email=value)
                else:
                    value = f"accountant {self._round}"
                    quickbooks.modify_invoice(record.name, memo=value)
                record.typed.add(value)
            if rng.random() < 0.3:
                self._quickbooks_only_edit(quickbooks, record)

    def _quickbooks_only_edit(self, quickbooks: SimulatedCompany, record: Owned) -> None:
        if record.kind == "customer":
            record.accountant["phone"] = f"555-{self._round:04d}"
            quickbooks.modify_customer(record.name, Phone=record.accountant["phone"])
        else:
            record.accountant["txn_date"] = DUE - timedelta(days=40 + self._round)
            quickbooks.modify_invoice(record.name, txn_date=record.accountant["txn_date"])

    def before_session(self, quickbooks: SimulatedCompany) -> None:
        self._before = {record.external_id: _contested(quickbooks, record)
                        for record in self.owned}

    def after_session(self, quickbooks: SimulatedCompany) -> None:
        for record in self.owned:
            before = self._before.get(record.external_id)
            if before in record.typed and _contested(quickbooks, record) != before:
                self.replaced.append((record, CONTESTED[record.kind], before))
            record.put_this_round = False

    # -- the check -------------------------------------------------------------------------

    def assert_rule_held(self, quickbooks: SimulatedCompany, services: Services) -> None:
        """QuickBooks holds each record once, with the platform's last values of the fields
        it changed and the accountant's of the others; the platform's records agree; every
        accountant value a session wrote over is in a conflict entry."""
        scope = services.companies.get(self.company).file_id
        for record in self.owned:
            view = services.sync.record(self.company, record.kind,
                                        external_id=record.external_id)
            held = _held(quickbooks, record)
            assert held is not None, record.external_id
            assert (view.push_state, view.qb_id) == ("synced", _qb_id(held)), view
            if record.kind == "customer":
                assert [c.name for c in quickbooks.books.customers.values()
                        if c.name == record.name] == [record.name]
                extra = held.extra
                got = {"email": extra.get("Email"), "phone": extra.get("Phone")}
                wanted = {"email": record.platform["email"],
                          "phone": record.accountant.get("phone")}
            else:
                copies = [s for s in quickbooks.books.sales.values()
                          if s.external_guid == identity_guid(scope, "invoice",
                                                             record.external_id)]
                assert copies == [held], f"{record.external_id}: {len(copies)} copies"
                got = {"memo": held.memo, "due_date": held.due_date}
                wanted = dict(record.platform)
                if "txn_date" in record.accountant:
                    got["txn_date"] = held.txn_date
                    wanted["txn_date"] = record.accountant["txn_date"]
            assert got == wanted, f"{record.external_id}: QuickBooks holds {got}, not {wanted}"
            pulled = {key: view.data.get(key) for key in got}
            assert pulled == {key: _text(value) for key, value in got.items()}, view
        self._assert_reported(services)

    def _assert_reported(self, services: Services) -> None:
        conflicts: list[tuple[str, str | None, dict[str, Any]]] = []
        after = 0
        while page := services.sync.changes(self.company, after=after, limit=1000):
            conflicts += [(c.kind, c.external_id, c.data["quickbooks"]) for c in page
                          if c.change == "conflict"]
            after = page[-1].id
        for record, field, value in self.replaced:
            assert any(kind == record.kind and ext == record.external_id
                       and theirs.get(field) == value for kind, ext, theirs in conflicts), (
                f"{record.external_id}: the accountant's {field} {value!r} was written over "
                f"without a conflict entry")


def _held(quickbooks: SimulatedCompany, record: Owned) -> Any:
    return (quickbooks.customer(record.name) if record.kind == "customer"
            else quickbooks.invoice(record.name))


def _contested(quickbooks: SimulatedCompany, record: Owned) -> Any:
    held = _held(quickbooks, record)
    if held is None:
        return None
    return held.extra.get("Email") if record.kind == "customer" else held.memo


def _qb_id(held: Any) -> str:
    return str(getattr(held, "list_id", None) or held.txn_id)


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
