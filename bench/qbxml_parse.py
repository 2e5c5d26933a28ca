"""Benchmark: streaming qbXML response parsing against a plain lxml iterparse.

Generates a CustomerQueryRs and an InvoiceQueryRs of 50,000 records each (invoices with two
lines), then reads each document

* with ``qbxml.responses.iter_records`` (typed, frozen records; the loop touches the fields
  it sums so nothing can hide behind laziness), and
* with ``lxml.etree.iterparse(tag=<Ret>)``, clearing each record and its preceding siblings
  (the fair baseline: same bytes, same streaming, no typing).

For scale it also times a *floor*: the baseline plus a Python loop that only reads ``tag`` and
``text`` of every element inside each record, which any typed reader built on lxml pays before
converting a single value (``*_floor_ratio``, relative to the baseline).

Time is the best of ``--repeat`` rounds without tracing (the three readers take turns in each
round); peak memory is measured in a separate run under tracemalloc (Python allocations;
libxml2's own buffers are not traced). The last line is
``time_ratio_vs_lxml=... peak_mem_ratio=...`` followed by more figures: time ratio = our total
time / lxml's; peak_mem_ratio = our worst peak / that document's size.

Usage: ``.venv/bin/python bench/qbxml_parse.py [--records N] [--repeat R]``
"""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from qbxml.responses import CustomerRet, InvoiceLineRet, InvoiceRet, iter_records


def customers(count: int) -> bytes:
    """A CustomerQueryRs shaped like real QuickBooks output (cf. the qbwc gem sample)."""
    rows = "".join(
        f"<CustomerRet><ListID>8000{i:04X}-1405768916</ListID>"
        "<TimeCreated>2014-07-19T07:21:56-05:00</TimeCreated>"
        "<TimeModified>2014-07-19T07:21:56-05:00</TimeModified>"
        f"<EditSequence>1405768916</EditSequence><Name>Customer {i}</Name>"
        f"<FullName>Customer {i}</FullName><IsActive>true</IsActive><Sublevel>0</Sublevel>"
        "<CompanyName>Joes Garage</CompanyName><FirstName>Joe</FirstName>"
        "<LastName>Customer</LastName><BillAddress><Addr1>123 Main St.</Addr1>"
        "<City>Mountain View</City><State>CA</State><PostalCode>94566</PostalCode>"
        "</BillAddress><Phone>860-634-1602</Phone><Email>joe@example.com</Email>"
        f"<Balance>{i % 1000}.25</Balance><TotalBalance>{i % 1000}.25</TotalBalance>"
        "<SalesTaxCodeRef><ListID>10000-1211065841</ListID><FullName>Tax</FullName>"
        "</SalesTaxCodeRef><AccountNumber>89087</AccountNumber>"
        "<CreditLimit>2000.00</CreditLimit><JobStatus>None</JobStatus></CustomerRet>"
        for i in range(count)
    )
    return _message("CustomerQueryRs", rows)


def invoices(count: int) -> bytes:
    """An InvoiceQueryRs of invoices with two lines each (cf. the flowlink sample)."""
    line = (
        "<InvoiceLineRet><TxnLineID>C7-{i}</TxnLineID><ItemRef><ListID>80000034-1415899267"
        "</ListID><FullName>SPREE-T-SHIRT</FullName></ItemRef><Desc>T-shirt</Desc>"
        "<Quantity>2</Quantity><Rate>51.50</Rate><Amount>103.00</Amount>"
        "<SalesTaxCodeRef><ListID>80000002-1414518221</ListID><FullName>Non</FullName>"
        "</SalesTaxCodeRef></InvoiceLineRet>"
    )
    rows = "".join(
        f"<InvoiceRet><TxnID>C5-{i}</TxnID><TimeCreated>2014-11-27T18:03:44-02:00</TimeCreated>"
        "<TimeModified>2014-11-27T18:03:44-02:00</TimeModified>"
        f"<EditSequence>1417118624</EditSequence><TxnNumber>{i}</TxnNumber>"
        "<CustomerRef><ListID>80000013-1416570432</ListID><FullName>spree@example.com"
        "</FullName></CustomerRef><ARAccountRef><ListID>8000001D-1415742793</ListID>"
        "<FullName>Accounts Receivable</FullName></ARAccountRef>"
        f"<TxnDate>2014-02-03</TxnDate><RefNumber>R{i}</RefNumber>"
        "<BillAddress><Addr1>1234 Awesome Street</Addr1><City>Hollywood</City>"
        "<State>CA</State><PostalCode>90210</PostalCode><Country>USA</Country></BillAddress>"
        "<IsPending>false</IsPending><DueDate>2014-02-03</DueDate>"
        "<Subtotal>206.00</Subtotal><SalesTaxPercentage>0.00</SalesTaxPercentage>"
        "<SalesTaxTotal>0.00</SalesTaxTotal><AppliedAmount>0.00</AppliedAmount>"
        "<BalanceRemaining>206.00</BalanceRemaining><IsPaid>false</IsPaid>"
        + line.format(i=f"{i}a") + line.format(i=f"{i}b") + "</InvoiceRet>"
        for i in range(count)
    )
    return _message("InvoiceQueryRs", rows)


def _message(rs: str, rows: str) -> bytes:
    return (
        f'<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><{rs} requestID="1" statusCode="0" '
        f'statusSeverity="Info" statusMessage="Status OK" iteratorRemainingCount="0" '
        f'iteratorID="{{eb05f701-e727-472f-8ade-6753c4f67a46}}">{rows}</{rs}>'
        "</QBXMLMsgsRs></QBXML>"
    ).encode()


def ours(data: bytes) -> tuple[int, Decimal]:
    """Stream typed records; sum money fields so every record is really read."""
    count, total = 0, Decimal(0)
    for _header, record in iter_records(io.BytesIO(data)):
        count += 1
        if isinstance(record, CustomerRet):
            assert record.balance is not None
            assert record.time_modified is not None
            total += record.balance
        elif isinstance(record, InvoiceRet):
            for line in record.lines:
                assert isinstance(line, InvoiceLineRet)
                assert line.amount is not None
                total += line.amount
    return count, total


def baseline(tag: str) -> Callable[[bytes], tuple[int, Decimal]]:
    """Plain iterparse of ``tag``, clearing each record and its preceding siblings."""

    def run(data: bytes) -> tuple[int, Decimal]:
        count = 0
        for _event, element in etree.iterparse(io.BytesIO(data), events=("end",), tag=tag):
            count += 1
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]  # type: ignore[union-attr]
        return count, Decimal(0)

    return run


def floor(tag: str) -> Callable[[bytes], tuple[int, Decimal]]:
    """The baseline plus reading the tag and text of every element of each record, typing none."""

    def run(data: bytes) -> tuple[int, Decimal]:
        count = 0
        for _event, element in etree.iterparse(io.BytesIO(data), events=("end",), tag=tag):
            count += 1
            for node in element.iter():
                _pair = (node.tag, node.text)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]  # type: ignore[union-attr]
        return count, Decimal(0)

    return run


def best_times(
    runs: dict[str, Callable[[bytes], tuple[int, Decimal]]], data: bytes, repeat: int
) -> dict[str, float]:
    """Best wall-clock time of each run over ``repeat`` rounds.

    The runs take turns within each round, so a slow spell of a shared machine hits them all
    rather than whichever happened to be measured during it.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run(data)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak(run: Callable[[bytes], tuple[int, Decimal]], data: bytes) -> int:
    tracemalloc.start()
    try:
        run(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    ours_total = lxml_total = 0.0
    worst_mem_ratio = 0.0
    figures: dict[str, str] = {}
    for label, tag, data in (
        ("customers", "CustomerRet", customers(args.records)),
        ("invoices", "InvoiceRet", invoices(args.records)),
    ):
        count, _sum = ours(data)
        assert count == args.records, count
        times = best_times(
            {"ours": ours, "lxml": baseline(tag), "floor": floor(tag)}, data, args.repeat
        )
        t_ours, t_lxml, t_floor = times["ours"], times["lxml"], times["floor"]
        m_ours, m_lxml = peak(ours, data), peak(baseline(tag), data)
        ours_total += t_ours
        lxml_total += t_lxml
        worst_mem_ratio = max(worst_mem_ratio, m_ours / len(data))
        print(
            f"{label}: {args.records} records, {len(data) / 1e6:.1f} MB | "
            f"qbxml {args.records / t_ours:,.0f} rec/s, {t_ours:.3f} s, "
            f"peak {m_ours / 1e6:.2f} MB | "
            f"lxml {args.records / t_lxml:,.0f} rec/s, {t_lxml:.3f} s, "
            f"peak {m_lxml / 1e6:.2f} MB | time x{t_ours / t_lxml:.2f} "
            f"(floor x{t_floor / t_lxml:.2f})"
        )
        figures[f"{label}_time_ratio"] = f"{t_ours / t_lxml:.2f}"
        figures[f"{label}_floor_ratio"] = f"{t_floor / t_lxml:.2f}"
        figures[f"{label}_qbxml_rec_per_s"] = f"{args.records / t_ours:.0f}"
        figures[f"{label}_lxml_rec_per_s"] = f"{args.records / t_lxml:.0f}"
        figures[f"{label}_peak_bytes"] = str(m_ours)
        figures[f"{label}_doc_bytes"] = str(len(data))
    extra = " ".join(f"{key}={value}" for key, value in figures.items())
    print(
        f"time_ratio_vs_lxml={ours_total / lxml_total:.2f} "
        f"peak_mem_ratio={worst_mem_ratio:.4f} {extra}"
    )


if __name__ == "__main__":
    main()
