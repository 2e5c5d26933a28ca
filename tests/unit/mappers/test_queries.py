"""Query builders: each validates against the 13.0 XSD and asks for what the engine needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from mappers import (
    EntityRef,
    accounts,
    customer_by_name,
    customers_changed_since,
    deleted_list_objects_since,
    deleted_transactions_since,
    invoice_by_number,
    invoices_changed_since,
    invoices_dated,
    invoices_of_customer_on,
    items_changed_since,
    payment_by_reference,
    payments_changed_since,
    payments_dated,
    payments_of_customer_on,
)
from qbxml.requests import Request
from tests.unit.mappers.helpers import message_xml

SINCE = dt.datetime(2024, 3, 10, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
UNTIL = SINCE + dt.timedelta(hours=1)
DAY = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        # Incremental: archived customers too, iterator pages.
        (lambda: customers_changed_since(SINCE), ['iterator="Start"', "<MaxReturned>100<",
                                                  "<ActiveStatus>All<",
                                                  "<FromModifiedDate>2024-03-10T02:30:00-05:00<"]),
        (lambda: items_changed_since(SINCE, until=UNTIL, page_size=50),
         ["<MaxReturned>50<", "<ToModifiedDate>2024-03-10T03:30:00-05:00<"]),
        (lambda: accounts(), ["<ActiveStatus>All<"]),
        (lambda: accounts(since=SINCE), ["<FromModifiedDate>"]),
        # Transactions: ModifiedDateRangeFilter, lines and links.
        (lambda: invoices_changed_since(SINCE), ["<ModifiedDateRangeFilter>",
                                                 "<IncludeLineItems>true<",
                                                 "<IncludeLinkedTxns>true<"]),
        (lambda: payments_changed_since(SINCE, until=UNTIL), ["<ToModifiedDate>",
                                                              "<IncludeLineItems>true<"]),
        # History windows for the first sync.
        (lambda: invoices_dated(DAY, DAY + dt.timedelta(days=30)),
         ["<FromTxnDate>2024-03-01<", "<ToTxnDate>2024-03-31<"]),
        (lambda: payments_dated(DAY, DAY), ["<TxnDateRangeFilter>"]),
        # Look-ups for reconciliation.
        (lambda: customer_by_name("Acme:Roof"), ["<FullName>Acme:Roof<"]),
        (lambda: invoice_by_number("1001"), ["<RefNumber>1001<"]),
        (lambda: payment_by_reference("ch_1"), ["<RefNumber>ch_1<"]),
        (lambda: payments_of_customer_on(EntityRef(qb_id="8-0", name="Acme"), DAY),
         ["<EntityFilter>", "<ListID>8-0<", "<FromTxnDate>2024-03-01<"]),
        (lambda: invoices_of_customer_on(EntityRef(name="Acme"), DAY),
         ["<EntityFilter>", "<FullName>Acme<"]),
        # Deletions.
        (lambda: deleted_transactions_since(SINCE),
         ["<TxnDelType>Invoice<", "<TxnDelType>ReceivePayment<", "<TxnDelType>Deposit<"]),
        (lambda: deleted_transactions_since(SINCE, kinds=("estimate", "credit_memo"),
                                            until=UNTIL),
         ["<TxnDelType>Estimate<", "<TxnDelType>CreditMemo<", "<ToDeletedDate>"]),
        (lambda: deleted_list_objects_since(SINCE), ["<ListDelType>Customer<"]),
        (lambda: deleted_list_objects_since(SINCE, kinds=("item", "account")),
         ["<ListDelType>ItemService<", "<ListDelType>ItemDiscount<", "<ListDelType>Account<"]),
    ],
)
def test_query_is_valid_and_asks_for(build: Callable[[], Request], expected: list[str]) -> None:
    xml = message_xml(build())
    for fragment in expected:
        assert fragment in xml


def test_next_page_repeats_the_filters() -> None:
    first = invoices_changed_since(SINCE)
    page = first.continue_("{eb05f701-e727-472f-8ade-6753c4f67a46}")
    assert page.modified_date_range_filter == first.modified_date_range_filter
    assert 'iterator="Continue"' in message_xml(page)


@pytest.mark.parametrize(
    "build",
    [
        lambda: deleted_transactions_since(SINCE, kinds=("customer",)),  # a list kind
        lambda: deleted_list_objects_since(SINCE, kinds=("invoice",)),  # a txn kind
    ],
)
def test_unknown_deleted_kind(build: Callable[[], Request]) -> None:
    with pytest.raises(ValueError, match="unknown record kind"):
        build()
