"""List operations: accounts, items, the name-only lists, and customers with their jobs.

Shared by the qbXML handlers and by the direct "accountant" helpers, so both obey the same
rules: FullName unique among customers (3100), Mod needs the current EditSequence (3200),
a missing ListID is 3120, and deleting a customer that has jobs or transactions is refused.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from qbwc_server.simulator.company import errors
from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.model import (
    ZERO,
    Account,
    Customer,
    Deleted,
    Item,
    OtherListEntry,
)

__all__ = [
    "add_account",
    "add_customer",
    "add_item",
    "add_other",
    "delete_list_element",
    "mod_customer",
]

UNSET: Any = object()


def add_account(books: Books, name: str, account_type: str, *, special: str | None = None,
                number: str | None = None, desc: str | None = None,
                opening: Decimal = ZERO, parent: str | None = None,
                cash_flow: str = "NotApplicable", at: datetime | None = None) -> Account:
    parent_id = books.id_by_name("Account", parent) if parent else None
    full = f"{parent}:{name}" if parent else name
    if books.id_by_name("Account", full):
        raise errors.name_in_use(full)
    when = at or books.now()
    account = Account(list_id=books.ids.list_id(when), name=name, account_type=account_type,
                      parent_id=parent_id, special_type=special, number=number, desc=desc,
                      opening_balance=opening, cash_flow=cash_flow, **books.new_stamp(when))
    books.accounts[account.list_id] = account
    books.index_name("Account", full, account.list_id)
    return account


def add_item(books: Books, name: str, kind: str, *, desc: str | None = None,
             price: Decimal | None = None, account: str | None = None,
             rate_percent: Decimal | None = None, at: datetime | None = None) -> Item:
    if books.id_by_name("Item", name):
        raise errors.name_in_use(name)
    account_id = books.resolve("Account", None, account, "Item") if account else None
    when = at or books.now()
    item = Item(list_id=books.ids.list_id(when), name=name, kind=kind, desc=desc, price=price,
                account_id=account_id, rate_percent=rate_percent, **books.new_stamp(when))
    books.items[item.list_id] = item
    books.index_name("Item", name, item.list_id)
    return item


def add_other(books: Books, kind: str, name: str, *, days: int | None = None,
              at: datetime | None = None) -> OtherListEntry:
    when = at or books.now()
    entry = OtherListEntry(list_id=books.ids.list_id(when), kind=kind, name=name, days=days,
                           **books.new_stamp(when))
    books.others[entry.list_id] = entry
    books.index_name(kind, name, entry.list_id)
    return entry


def add_customer(books: Books, name: str, *, parent_id: str | None = None,
                 is_active: bool = True, job_status: str | None = None,
                 external_guid: str | None = None, extra: dict[str, Any] | None = None,
                 at: datetime | None = None) -> Customer:
    """CustomerAdd: a customer, or a job when ``parent_id`` is set (FullName ``Parent:Job``)."""
    if parent_id is not None and parent_id not in books.customers:
        raise errors.invalid_reference("Customer", parent_id, "Customer")
    full = _full_name(books, name, parent_id)
    if books.id_by_name("Customer", full):
        raise errors.name_in_use(full)
    when = at or books.now()
    customer = Customer(list_id=books.ids.list_id(when), name=name, parent_id=parent_id,
                        is_active=is_active, job_status=job_status or "None",
                        external_guid=external_guid, extra=dict(extra or {}),
                        **books.new_stamp(when))
    books.customers[customer.list_id] = customer
    books.index_name("Customer", full, customer.list_id)
    if parent_id:
        books.add_child(parent_id, customer.list_id)
    return customer


def _full_name(books: Books, name: str, parent_id: str | None) -> str:
    if parent_id is None:
        return name
    return f"{books.customer_full_name(books.customers[parent_id])}:{name}"


def check_edit(record_id: str, current: str, given: str | None) -> None:
    """3200 unless ``given`` is the current EditSequence (None skips the check: direct edits)."""
    if given is not None and given != current:
        raise errors.stale_edit_sequence(given)
    del record_id


def mod_customer(books: Books, list_id: str, edit_sequence: str | None, *,
                 name: str | None = None, parent_id: Any = UNSET, is_active: bool | None = None,
                 job_status: str | None = None, extra: dict[str, Any] | None = None,
                 at: datetime | None = None) -> Customer:
    """CustomerMod: rename, move, archive (IsActive false, jobs too) or change stored fields."""
    customer = books.customers.get(list_id)
    if customer is None:
        raise errors.not_found(list_id)
    check_edit(list_id, customer.edit_sequence, edit_sequence)
    new_parent = customer.parent_id if parent_id is UNSET else parent_id
    new_name = customer.name if name is None else name
    if new_parent is not None and (new_parent not in books.customers or new_parent == list_id
                                   or new_parent in set(books.descendants(list_id))):
        raise errors.invalid_reference("Customer", new_parent, "Customer")
    if (new_name, new_parent) != (customer.name, customer.parent_id):
        full = _full_name(books, new_name, new_parent)
        existing = books.id_by_name("Customer", full)
        if existing and existing != list_id:
            raise errors.name_in_use(full)
        subtree = [list_id, *books.descendants(list_id)]
        for member in subtree:
            books.unindex_name("Customer", books.customer_full_name(books.customers[member]))
        if customer.parent_id:
            books.remove_child(customer.parent_id, list_id)
        customer.name, customer.parent_id = new_name, new_parent
        if new_parent:
            books.add_child(new_parent, list_id)
        for member in subtree:
            books.index_name("Customer", books.customer_full_name(books.customers[member]), member)
    if extra:
        customer.extra.update(extra)
    if job_status is not None:
        customer.job_status = job_status
    when = at or books.now()
    if is_active is not None and is_active != customer.is_active:
        customer.is_active = is_active
        if not is_active:  # QuickBooks makes the jobs of an inactive customer inactive too
            for job_id in books.descendants(list_id):
                job = books.customers[job_id]
                if job.is_active:
                    job.is_active = False
                    books.touch(job, when)
    books.touch(customer, when)
    return customer


def delete_list_element(books: Books, del_type: str, list_id: str,
                        at: datetime | None = None) -> Deleted:
    """ListDel: remove an unused list element and remember it for ListDeletedQuery."""
    when = at or books.now()
    if del_type == "Customer":
        customer = books.customers.get(list_id)
        if customer is None:
            raise errors.not_found(list_id)
        full = books.customer_full_name(customer)
        if books.children(list_id) or books.txn_ids_of(list_id):
            raise errors.in_use("Customer", full)
        del books.customers[list_id]
        books.unindex_name("Customer", full)
        if customer.parent_id:
            books.remove_child(customer.parent_id, list_id)
        created = customer.time_created
    elif del_type == "Account" and list_id in books.accounts:
        account = books.accounts[list_id]
        full = books.account_full_name(account)
        if account.special_type or _account_used(books, list_id):
            raise errors.in_use("Account", full)
        del books.accounts[list_id]
        books.unindex_name("Account", full)
        created = account.time_created
    elif del_type.startswith("Item") and list_id in books.items:
        item = books.items[list_id]
        full = item.name
        if any(line.item_id == list_id for sale in books.sales.values() for line in sale.lines):
            raise errors.in_use("Item", full)
        del books.items[list_id]
        books.unindex_name("Item", full)
        created = item.time_created
    elif list_id in books.others and books.others[list_id].kind == del_type:
        other = books.others.pop(list_id)
        full = other.name
        books.unindex_name(other.kind, full)
        created = other.time_created
    else:
        raise errors.not_found(list_id)
    record = Deleted(del_type=del_type, object_id=list_id, time_created=created,
                     time_deleted=when, name=full)
    books.deleted.append(record)
    books.data_exts[:] = [ext for ext in books.data_exts if ext.object_id != list_id]
    return record


def _account_used(books: Books, list_id: str) -> bool:
    if any(item.account_id == list_id for item in books.items.values()):
        return True
    if any(p.deposit_to_id == list_id or p.ar_account_id == list_id
           for p in books.payments.values()):
        return True
    return any(d.account_id == list_id for d in books.deposits.values())
