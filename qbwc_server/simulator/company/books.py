"""The company's books: every record, the indexes over them, and the balances they imply.

Balances are derived, never stored twice: an invoice's balance is its lines minus what payments
and credits applied to it; a customer's balance is its open invoices minus its unused payments
and credits; an account's balance follows from the transactions that post to it. Only the
links (payment -> invoices, invoice -> credits, payment -> deposit) are stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

from qbwc_server.simulator.company import errors
from qbwc_server.simulator.company.ids import IdFactory, next_edit_sequence, parse_time
from qbwc_server.simulator.company.model import (
    ZERO,
    Account,
    Customer,
    DataExt,
    DataExtDef,
    Deleted,
    Deposit,
    Item,
    OtherListEntry,
    Payment,
    SalesTxn,
    Stamp,
)
from qbxml.numbers import whole_number

__all__ = ["Books", "BALANCE_SHEET_TYPES", "UNDEPOSITED_FUNDS"]

UNDEPOSITED_FUNDS = "Undeposited Funds"
ACCOUNTS_RECEIVABLE = "Accounts Receivable"
BALANCE_SHEET_TYPES = frozenset({
    "Bank", "AccountsReceivable", "OtherCurrentAsset", "FixedAsset", "OtherAsset",
    "AccountsPayable", "CreditCard", "OtherCurrentLiability", "LongTermLiability", "Equity",
})

Clock = Callable[[], datetime]

MAX_REF_NUMBER = 10**11 - 1  # a RefNumber holds 11 characters


def _real_clock() -> datetime:
    return datetime.now(UTC)


class Books:
    """All records of one company file, with lookups and derived balances."""

    def __init__(self, *, clock: Clock | None = None, zone: tzinfo | None = None,
                 dst_error: bool = False) -> None:
        self.clock: Clock = clock or _real_clock
        self.zone: tzinfo = zone or UTC
        self.dst_error = dst_error
        self.ids = IdFactory()
        self.accounts: dict[str, Account] = {}
        self.items: dict[str, Item] = {}
        self.others: dict[str, OtherListEntry] = {}
        self.customers: dict[str, Customer] = {}
        self.sales: dict[str, SalesTxn] = {}
        self.payments: dict[str, Payment] = {}
        self.deposits: dict[str, Deposit] = {}
        self.data_ext_defs: list[DataExtDef] = []
        self.data_exts: list[DataExt] = []
        self.deleted: list[Deleted] = []
        self.next_ref: dict[str, int] = {}
        # Object id -> the TimeModified text QuickBooks reports for it (damaged or odd data).
        self.reported_times: dict[str, str] = {}
        # Indexes rebuilt from the records (never saved).
        self._names: dict[str, dict[str, str]] = defaultdict(dict)  # kind -> lower name -> id
        self._children: dict[str, set[str]] = defaultdict(set)  # customer -> jobs
        self._by_customer: dict[str, set[str]] = defaultdict(set)  # customer -> txn ids
        self._invoice_payments: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self._credit_uses: dict[str, dict[str, Decimal]] = defaultdict(dict)

    # ----------------------------------------------------------------- time and stamps
    def now(self) -> datetime:
        value = self.clock()
        if value.tzinfo is None:
            raise ValueError("the clock must return timezone-aware datetimes")
        return value

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def stamp_text(self, at: datetime) -> str:
        """A TimeCreated/TimeModified/TimeDeleted as QuickBooks writes it. With ``dst_error``
        the wall clock is right but the offset is always standard time: an hour off while
        daylight-saving time is on (``qbwc-protocol.md`` section 9)."""
        local = at.astimezone(self.zone)
        if not self.dst_error:
            return local.isoformat(timespec="seconds")
        standard = (local.utcoffset() or timedelta(0)) - (local.dst() or timedelta(0))
        return local.replace(tzinfo=timezone(standard)).isoformat(timespec="seconds")

    def filter_bound(self, text: str, *, end_of_day: bool = False) -> datetime:
        """A filter's date or date-time, comparable with :meth:`time_key`. With ``dst_error``
        QuickBooks reads the wall clock and ignores any offset."""
        value = parse_time(text, self.zone, end_of_day=end_of_day)
        if not self.dst_error:
            return value
        text = text.strip()
        return datetime.fromisoformat(text[:19]) if len(text) > 10 else value.replace(tzinfo=None)

    def time_key(self, at: datetime) -> datetime:
        """A record's time as the filters compare it (the wall clock with ``dst_error``)."""
        return at.astimezone(self.zone).replace(tzinfo=None) if self.dst_error else at

    def new_stamp(self, at: datetime | None = None) -> dict[str, Any]:
        """Keyword arguments of :class:`Stamp` for an object created now (or ``at``)."""
        when = at or self.now()
        return {"time_created": when, "time_modified": when,
                "edit_sequence": next_edit_sequence(None, when)}

    def touch(self, record: Stamp, at: datetime | None = None) -> None:
        """Record a modification: TimeModified moves forward and EditSequence changes."""
        when = at or self.now()
        if when <= record.time_modified:
            when = record.time_modified + timedelta(seconds=1)
        record.time_modified = when
        record.edit_sequence = next_edit_sequence(record.edit_sequence, when)

    # ----------------------------------------------------------------- indexes
    def reindex(self) -> None:
        """Rebuild every index from the records (after loading a saved state)."""
        self._names.clear()
        self._children.clear()
        self._by_customer.clear()
        self._invoice_payments.clear()
        self._credit_uses.clear()
        for account in self.accounts.values():
            self._names["Account"][self.account_full_name(account).lower()] = account.list_id
        for item in self.items.values():
            self._names["Item"][item.name.lower()] = item.list_id
        for other in self.others.values():
            self._names[other.kind][other.name.lower()] = other.list_id
        for customer in self.customers.values():
            if customer.parent_id:
                self._children[customer.parent_id].add(customer.list_id)
        for customer in self.customers.values():
            self._names["Customer"][self.customer_full_name(customer).lower()] = customer.list_id
        for txn in self.sales.values():
            self.index_sales(txn)
        for payment in self.payments.values():
            self.index_payment(payment)

    def index_name(self, kind: str, name: str, object_id: str) -> None:
        self._names[kind][name.lower()] = object_id

    def unindex_name(self, kind: str, name: str) -> None:
        self._names[kind].pop(name.lower(), None)

    def id_by_name(self, kind: str, name: str) -> str | None:
        return self._names[kind].get(name.lower())

    def index_sales(self, txn: SalesTxn) -> None:
        self._by_customer[txn.customer_id].add(txn.txn_id)
        for credit_id, amount in txn.credits.items():
            self._credit_uses[credit_id][txn.txn_id] = amount

    def unindex_sales(self, txn: SalesTxn) -> None:
        self._by_customer[txn.customer_id].discard(txn.txn_id)
        for credit_id in txn.credits:
            self._credit_uses[credit_id].pop(txn.txn_id, None)

    def index_payment(self, payment: Payment) -> None:
        self._by_customer[payment.customer_id].add(payment.txn_id)
        for invoice_id, amount in payment.applied.items():
            self._invoice_payments[invoice_id][payment.txn_id] = amount

    def unindex_payment(self, payment: Payment) -> None:
        self._by_customer[payment.customer_id].discard(payment.txn_id)
        for invoice_id in payment.applied:
            self._invoice_payments[invoice_id].pop(payment.txn_id, None)

    def add_child(self, parent_id: str, child_id: str) -> None:
        self._children[parent_id].add(child_id)

    def remove_child(self, parent_id: str, child_id: str) -> None:
        self._children[parent_id].discard(child_id)

    def children(self, customer_id: str) -> set[str]:
        return self._children.get(customer_id, set())

    def descendants(self, customer_id: str) -> Iterator[str]:
        for child in sorted(self.children(customer_id)):
            yield child
            yield from self.descendants(child)

    def txn_ids_of(self, customer_id: str) -> set[str]:
        return self._by_customer.get(customer_id, set())

    def payments_on(self, invoice_id: str) -> dict[str, Decimal]:
        """Payment TxnID -> amount applied to the invoice."""
        return self._invoice_payments.get(invoice_id, {})

    def credit_uses(self, credit_id: str) -> dict[str, Decimal]:
        """Invoice TxnID -> amount of this credit memo (or payment) applied as a credit."""
        return self._credit_uses.get(credit_id, {})

    # ----------------------------------------------------------------- names
    def customer_full_name(self, customer: Customer) -> str:
        names = [customer.name]
        parent_id = customer.parent_id
        while parent_id:
            parent = self.customers[parent_id]
            names.append(parent.name)
            parent_id = parent.parent_id
        return ":".join(reversed(names))

    def sublevel(self, customer: Customer | Account) -> int:
        level, parent_id = 0, customer.parent_id
        table: dict[str, Customer] | dict[str, Account] = (
            self.customers if isinstance(customer, Customer) else self.accounts
        )
        while parent_id:
            level += 1
            parent_id = table[parent_id].parent_id
        return level

    def account_full_name(self, account: Account) -> str:
        if account.parent_id:
            return f"{self.account_full_name(self.accounts[account.parent_id])}:{account.name}"
        return account.name

    def full_name(self, object_id: str) -> str:
        """FullName of any list element by ListID (Name for the flat lists)."""
        if object_id in self.customers:
            return self.customer_full_name(self.customers[object_id])
        if object_id in self.accounts:
            return self.account_full_name(self.accounts[object_id])
        if object_id in self.items:
            return self.items[object_id].name
        return self.others[object_id].name

    def special_account(self, special: str) -> Account:
        for account in self.accounts.values():
            if account.special_type == special:
                return account
        raise LookupError(special)

    def undeposited_funds(self) -> Account:
        return self.special_account("UndepositedFunds")

    def receivables(self) -> Account:
        return self.special_account("AccountsReceivable")

    # ----------------------------------------------------------------- lookups raising status
    def resolve(self, kind: str, list_id: str | None, full_name: str | None, where: str) -> str:
        """The ListID a Ref points at, or 3140 naming the missing element."""
        tables: dict[str, dict[str, Any]] = {
            "Customer": self.customers, "Account": self.accounts, "Item": self.items}
        table = tables.get(kind, self.others)
        if list_id:
            if list_id in table and (kind in ("Customer", "Account", "Item")
                                     or self.others[list_id].kind == kind):
                return list_id
            raise errors.invalid_reference(kind, list_id, where)
        found = self.id_by_name(kind, full_name or "")
        if found is None:
            raise errors.invalid_reference(kind, full_name or "", where)
        return found

    def txn(self, txn_id: str) -> SalesTxn | Payment | Deposit:
        found = self.sales.get(txn_id) or self.payments.get(txn_id) or self.deposits.get(txn_id)
        if found is None:
            raise errors.not_found(txn_id)
        return found

    # ----------------------------------------------------------------- derived amounts
    def applied_to(self, invoice: SalesTxn) -> Decimal:
        """Payments and credits applied to an invoice (positive)."""
        paid = sum(self.payments_on(invoice.txn_id).values(), ZERO)
        return paid + sum(invoice.credits.values(), ZERO)

    def balance_remaining(self, invoice: SalesTxn) -> Decimal:
        return invoice.subtotal - self.applied_to(invoice)

    def credit_remaining(self, credit: SalesTxn) -> Decimal:
        return credit.subtotal - sum(self.credit_uses(credit.txn_id).values(), ZERO)

    def unused_payment(self, payment: Payment) -> Decimal:
        used = sum(payment.applied.values(), ZERO)
        return payment.total - used - sum(self.credit_uses(payment.txn_id).values(), ZERO)

    def customer_balance(self, customer_id: str) -> Decimal:
        """What the customer (not its jobs) owes: open invoices less unused payments/credits."""
        total = ZERO
        for txn_id in self.txn_ids_of(customer_id):
            sale = self.sales.get(txn_id)
            if sale is not None:
                if sale.kind == "Invoice":
                    total += self.balance_remaining(sale)
                elif sale.kind == "CreditMemo":
                    total -= self.credit_remaining(sale)
            else:
                total -= self.unused_payment(self.payments[txn_id])
        return total

    def customer_total_balance(self, customer_id: str) -> Decimal:
        return self.customer_balance(customer_id) + sum(
            (self.customer_balance(job) for job in self.descendants(customer_id)), ZERO
        )

    def account_balances(self) -> dict[str, Decimal]:
        """Balance of every balance-sheet account; income and expense accounts show 0."""
        balances = {list_id: account.opening_balance for list_id, account in self.accounts.items()}
        receivable = self.receivables().list_id
        for sale in self.sales.values():
            if sale.kind == "Invoice":
                balances[sale.ar_account_id or receivable] += sale.subtotal
            elif sale.kind == "CreditMemo":
                balances[sale.ar_account_id or receivable] -= sale.subtotal
        for payment in self.payments.values():
            balances[payment.ar_account_id or receivable] -= payment.total
            if payment.deposit_to_id:
                balances[payment.deposit_to_id] += payment.total
        undeposited = self.undeposited_funds().list_id
        for deposit in self.deposits.values():
            for line in deposit.lines:
                balances[deposit.account_id] += line.amount
                if line.payment_id:
                    balances[undeposited] -= line.amount
                elif line.account_id:
                    balances[line.account_id] += line.amount
        for list_id, account in self.accounts.items():
            if account.account_type not in BALANCE_SHEET_TYPES:
                balances[list_id] = ZERO
        return balances

    def next_ref_number(self, kind: str) -> str:
        value = self.next_ref.get(kind, 1)
        self.next_ref[kind] = value + 1
        return str(value)

    def note_ref_number(self, kind: str, ref: str) -> None:
        """Keep the auto-numbering above a number given by the request, as QuickBooks does."""
        number = whole_number(ref, maximum=MAX_REF_NUMBER)
        if number is not None:
            self.next_ref[kind] = max(self.next_ref.get(kind, 1), number + 1)
