"""Helpers for the simulated-company tests: a ticking clock, message wrapping, Rs lookup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lxml import etree

from qbwc_server.simulator.company import SimulatedCompany


class TickingClock:
    """Starts at 2026-01-05 14:00 UTC and moves one minute per call: no sleeps needed."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def company(**options: object) -> SimulatedCompany:
    options.setdefault("clock", TickingClock())
    return SimulatedCompany(**options)  # type: ignore[arg-type]


def msg(*requests: str, on_error: str = "stopOnError", version: str = "13.0") -> str:
    body = "".join(requests)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>')


def answers(text: str) -> list[etree._Element]:
    """The Rs elements of a response message."""
    root = etree.fromstring(text.split("?>", 1)[1].encode())
    return list(root.find("QBXMLMsgsRs"))


def one(co: SimulatedCompany, request: str) -> etree._Element:
    """Process a single request and return its Rs."""
    (answer,) = answers(co.process(msg(request)))
    return answer


def status(rs: etree._Element) -> int:
    return int(rs.get("statusCode", "-1"))


def add_customer_rq(name: str, extra: str = "") -> str:
    return f"<CustomerAddRq><CustomerAdd><Name>{name}</Name>{extra}</CustomerAdd></CustomerAddRq>"


def invoice_rq(customer: str, ref: str, lines: str, header: str = "") -> str:
    return (f"<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>{customer}</FullName></CustomerRef>"
            f"{header}<RefNumber>{ref}</RefNumber>{lines}</InvoiceAdd></InvoiceAddRq>")


def line(item: str, quantity: str, rate: str) -> str:
    return (f"<InvoiceLineAdd><ItemRef><FullName>{item}</FullName></ItemRef>"
            f"<Quantity>{quantity}</Quantity><Rate>{rate}</Rate></InvoiceLineAdd>")


def payment_rq(customer: str, total: str, body: str) -> str:
    return (f"<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>{customer}"
            f"</FullName></CustomerRef><TotalAmount>{total}</TotalAmount>{body}"
            "</ReceivePaymentAdd></ReceivePaymentAddRq>")


def applied(txn_id: str, amount: str) -> str:
    return (f"<AppliedToTxnAdd><TxnID>{txn_id}</TxnID><PaymentAmount>{amount}</PaymentAmount>"
            "</AppliedToTxnAdd>")
