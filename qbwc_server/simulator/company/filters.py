"""Query filters as predicates over records (see :mod:`.queries` for the rules)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lxml import etree

from qbwc_server.simulator.company import errors, xmlin
from qbwc_server.simulator.company.books import MAX_REF_NUMBER, Books
from qbwc_server.simulator.company.errors import StatusError
from qbwc_server.simulator.company.model import Customer, Deposit, Payment, SalesTxn
from qbxml.numbers import whole_number

__all__ = ["list_filters", "missing_status", "txn_filters"]

Predicate = Callable[[Any], bool]


def missing_status(missing: list[str], found_some: bool, by_id: bool) -> StatusError | None:
    """500 (Warn) when some named objects are missing; 3120 when no object named by ID exists."""
    if not missing:
        return None
    if by_id and not found_some:
        return errors.not_found(missing[0])
    return StatusError(
        500, "The query request has not been fully completed. There was a required element "
        f'("{missing[0]}") that could not be found in QuickBooks.', "Warn")


def _date_window(books: Books, element: etree._Element | None, low_tag: str, high_tag: str
                 ) -> tuple[datetime | None, datetime | None]:
    if element is None:
        return None, None
    low, high = xmlin.text(element, low_tag), xmlin.text(element, high_tag)
    start = books.filter_bound(low) if low else None
    end = books.filter_bound(high, end_of_day=True) if high else None
    if start and end and start > end:
        raise StatusError(3030, "Invalid date range: From date is greater than To date.")
    return start, end


def _name_match(rq: etree._Element) -> Predicate | None:
    name_filter = xmlin.child(rq, "NameFilter")
    if name_filter is not None:
        how = xmlin.text(name_filter, "MatchCriterion") or "StartsWith"
        wanted = (xmlin.text(name_filter, "Name") or "").lower()
        tests = {"StartsWith": str.startswith, "Contains": str.__contains__,
                 "EndsWith": str.endswith}
        test = tests[how]
        return lambda name: test(name.lower(), wanted)
    name_range = xmlin.child(rq, "NameRangeFilter")
    if name_range is not None:
        low = (xmlin.text(name_range, "FromName") or "").lower()
        high = (xmlin.text(name_range, "ToName") or "").lower()
        return lambda name: name.lower() >= low and (not high or name.lower() <= high)
    return None


def _compare(operator: str, value: Decimal, amount: Decimal) -> bool:
    return {"LessThan": value < amount, "LessThanEqual": value <= amount,
            "Equal": value == amount, "GreaterThan": value > amount,
            "GreaterThanEqual": value >= amount}[operator]


def list_filters(books: Books, rq: etree._Element, kind: str) -> Predicate:
    """ActiveStatus (default ActiveOnly), From/ToModifiedDate, NameFilter, NameRangeFilter,
    TotalBalanceFilter (customers), AccountType (accounts)."""
    active = xmlin.text(rq, "ActiveStatus") or "ActiveOnly"
    low, high = _date_window(books, rq, "FromModifiedDate", "ToModifiedDate")
    by_name = _name_match(rq)
    account_types = set(xmlin.texts(rq, "AccountType"))
    balance_filter = xmlin.child(rq, "TotalBalanceFilter")

    def predicate(record: Any) -> bool:
        if active == "ActiveOnly" and not record.is_active:
            return False
        if active == "InactiveOnly" and record.is_active:
            return False
        if low is not None and books.time_key(record.time_modified) < low:
            return False
        if high is not None and books.time_key(record.time_modified) > high:
            return False
        if by_name is not None and not by_name(books.full_name(record.list_id)):
            return False
        if account_types and getattr(record, "account_type", None) not in account_types:
            return False
        if balance_filter is not None and isinstance(record, Customer):
            total = books.customer_total_balance(record.list_id)
            operator = xmlin.text(balance_filter, "Operator") or "Equal"
            return _compare(operator, total, xmlin.money(balance_filter, "Amount") or Decimal(0))
        return True

    return predicate


def _named_ids(books: Books, element: etree._Element, kind: str) -> set[str]:
    """ListIDs given by ListID children plus those named by FullName children."""
    ids = set(xmlin.texts(element, "ListID"))
    for name in xmlin.texts(element, "FullName"):
        found = books.id_by_name(kind, name)
        if found:
            ids.add(found)
    return ids


def _entity_ids(books: Books, entity: etree._Element | None) -> set[str] | None:
    if entity is None:
        return None
    ids = _named_ids(books, entity, "Customer")
    with_children = {xmlin.text(entity, "ListIDWithChildren")}
    name = xmlin.text(entity, "FullNameWithChildren")
    if name:
        with_children.add(books.id_by_name("Customer", name))
    for root in with_children - {None, ""}:
        assert root is not None
        ids.add(root)
        ids.update(books.descendants(root))
    return ids


def _date_macro(macro: str, today: date) -> tuple[date | None, date | None]:
    """The DateMacro values a sync engine uses; others mean no bound."""
    if macro == "Today":
        return today, today
    if macro == "Yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if macro in ("ThisMonth", "ThisMonthToDate"):
        return today.replace(day=1), today
    if macro in ("ThisYear", "ThisYearToDate"):
        return today.replace(month=1, day=1), today
    return None, None


def _txn_dates(books: Books, rq: etree._Element) -> tuple[date | None, date | None]:
    window = xmlin.child(rq, "TxnDateRangeFilter")
    if window is None:
        return None, None
    macro = xmlin.text(window, "DateMacro")
    if macro:
        return _date_macro(macro, books.today())
    low, high = xmlin.day(window, "FromTxnDate"), xmlin.day(window, "ToTxnDate")
    if low and high and low > high:
        raise StatusError(3030, "Invalid date range: From date is greater than To date.")
    return low, high


def _ref_test(rq: etree._Element) -> Callable[[str | None], bool] | None:
    refs = xmlin.texts(rq, "RefNumber")
    if refs:
        wanted = {r.lower() for r in refs}
        return lambda ref: (ref or "").lower() in wanted
    exact = xmlin.texts(rq, "RefNumberCaseSensitive")
    if exact:
        return lambda ref: ref in exact
    ref_filter = xmlin.child(rq, "RefNumberFilter")
    if ref_filter is not None:
        how = xmlin.text(ref_filter, "MatchCriterion") or "StartsWith"
        wanted_text = (xmlin.text(ref_filter, "RefNumber") or "").lower()
        tests = {"StartsWith": str.startswith, "Contains": str.__contains__,
                 "EndsWith": str.endswith}
        return lambda ref: tests[how]((ref or "").lower(), wanted_text)
    ref_range = xmlin.child(rq, "RefNumberRangeFilter")
    if ref_range is not None:
        low = xmlin.text(ref_range, "FromRefNumber") or ""
        high = xmlin.text(ref_range, "ToRefNumber") or ""
        return lambda ref: _in_range(ref or "", low, high)
    return None


def _in_range(ref: str, low: str, high: str) -> bool:
    number, from_number, to_number = (whole_number(text, maximum=MAX_REF_NUMBER)
                                      for text in (ref, low, high))
    if number is not None and (from_number is not None or not low) and (
            to_number is not None or not high):
        return ((from_number is None or number >= from_number)
                and (to_number is None or number <= to_number))
    return (not low or ref >= low) and (not high or ref <= high)


def txn_filters(books: Books, rq: etree._Element, kind: str) -> Predicate:
    """ModifiedDateRangeFilter, TxnDateRangeFilter, EntityFilter, AccountFilter, RefNumber...,
    PaidStatus (invoices)."""
    low, high = _date_window(books, xmlin.child(rq, "ModifiedDateRangeFilter"),
                             "FromModifiedDate", "ToModifiedDate")
    first_day, last_day = _txn_dates(books, rq)
    entities = _entity_ids(books, xmlin.child(rq, "EntityFilter"))
    accounts = _entity_ids_accounts(books, xmlin.child(rq, "AccountFilter"))
    ref_test = _ref_test(rq)
    paid = xmlin.text(rq, "PaidStatus") or "All"

    def predicate(record: SalesTxn | Payment | Deposit) -> bool:
        if low is not None and books.time_key(record.time_modified) < low:
            return False
        if high is not None and books.time_key(record.time_modified) > high:
            return False
        if first_day is not None and record.txn_date < first_day:
            return False
        if last_day is not None and record.txn_date > last_day:
            return False
        if entities is not None and getattr(record, "customer_id", None) not in entities:
            return False
        if accounts is not None and not accounts & _accounts_of(record):
            return False
        if ref_test is not None and not ref_test(getattr(record, "ref_number", None)):
            return False
        if paid != "All" and isinstance(record, SalesTxn):
            is_paid = books.balance_remaining(record) <= 0
            return is_paid if paid == "PaidOnly" else not is_paid
        return True

    return predicate


def _entity_ids_accounts(books: Books, element: etree._Element | None) -> set[str] | None:
    return None if element is None else _named_ids(books, element, "Account")


def _accounts_of(record: SalesTxn | Payment | Deposit) -> set[str]:
    if isinstance(record, Deposit):
        return {record.account_id}
    if isinstance(record, Payment):
        return {a for a in (record.ar_account_id, record.deposit_to_id) if a}
    return {record.ar_account_id} if record.ar_account_id else set()
