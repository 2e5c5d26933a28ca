"""The canonical requests whose qbXML is kept under ``tests/fixtures/qbxml/golden/``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qbxml.requests import (
    Address,
    AppliedToTxnAdd,
    CustomerAdd,
    CustomerQuery,
    DepositAdd,
    DepositLineAdd,
    InvoiceAdd,
    InvoiceLineAdd,
    ReceivePaymentAdd,
    Ref,
    Request,
)

SINCE = dt.datetime(2024, 5, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
CUSTOMERS = CustomerQuery(max_returned=100, active_status="All", from_modified_date=SINCE,
                          owner_id=("0",))

GOLDEN: dict[str, dict[str, Request]] = {
    "customer_add": {
        "cust-15": CustomerAdd(
            email="ap@acme.example", name="Acme & Sons", company_name="Acme & Sons Ltd",
            first_name="Zoë", last_name="O'Brien", phone="555-0100",
            bill_address=Address(city="Springfield", addr1="12 Mill Lane", postal_code="62701",
                                 state="IL"),
            external_guid="{8D1B4B3C-2A55-4B0E-9F6A-3C2D1E0F9A8B}",
        ),
    },
    "invoice_add_lines": {
        "inv-1001": InvoiceAdd(
            ref_number="1001", txn_date=dt.date(2024, 5, 2), customer_ref=Ref(full_name="Acme"),
            memo="May work",
            lines=(
                InvoiceLineAdd(amount=Decimal("300.00"), desc="Consulting, May",
                               item_ref=Ref(full_name="Consulting"), quantity=Decimal("3"),
                               rate=Decimal("100")),
                InvoiceLineAdd(item_ref=Ref(list_id="80000005-1700000000"),
                               desc="Travel", amount=Decimal("42.50")),
            ),
        ),
    },
    "receive_payment_applied": {
        "pay-77": ReceivePaymentAdd(
            applied_to=(AppliedToTxnAdd(payment_amount=Decimal("342.50"), txn_id="1A2-1700"),),
            total_amount=Decimal("342.50"), customer_ref=Ref(full_name="Acme"),
            txn_date=dt.date(2024, 5, 20), ref_number="CHK 5521",
            payment_method_ref=Ref(full_name="Check"),
        ),
    },
    "deposit_undeposited_funds": {
        "dep-9": DepositAdd(
            lines=(DepositLineAdd.payment("1B7-1700"), DepositLineAdd.payment("1B9-1700")),
            memo="Bank run 21 May", deposit_to_account_ref=Ref(full_name="Checking"),
            txn_date=dt.date(2024, 5, 21),
        ),
    },
    "customer_query_iterator": {
        "cq-start": CUSTOMERS.start(),
        "cq-next": CUSTOMERS.continue_("{E5C7A9B2-4D3F-4A1B-8C2D-1E0F9A8B7C6D}"),
    },
}
