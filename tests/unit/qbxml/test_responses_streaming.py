"""Streaming: records come out one by one, early, in flat memory; lazy Rs groups."""

from __future__ import annotations

import io
import tracemalloc
from decimal import Decimal

import pytest

from qbxml.errors import QbxmlParseError
from qbxml.parsing import CHUNK_SIZE
from qbxml.responses import (
    CustomerRet,
    RsHeader,
    iter_records,
    iter_responses,
    parse_response,
)

RECORDS = 50_000


def _customers(count: int) -> bytes:
    rows = "".join(
        f"<CustomerRet><ListID>{i}-1</ListID><EditSequence>{i}</EditSequence>"
        f"<Name>Customer {i}</Name><Balance>{i}.25</Balance></CustomerRet>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>'
        '<CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info" '
        f'iteratorRemainingCount="7" iteratorID="{{it}}">{rows}</CustomerQueryRs>'
        "</QBXMLMsgsRs></QBXML>"
    ).encode()


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes the parser has pulled so far and, given ``step``,
    hands out at most that many per read, however many are asked for."""

    def __init__(self, data: bytes, step: int | None = None) -> None:
        self._data = io.BytesIO(data)
        self._step = step
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._step is not None:
            size = self._step if size < 0 else min(size, self._step)
        chunk = self._data.read(size)
        self.consumed += len(chunk)
        return chunk


MIXED = (
    '<?xml version="1.0" encoding="windows-1252"?>\n<QBXML>\n<QBXMLMsgsRs newMessageSetID="s">\n'
    '<CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info">\n'
    "<CustomerRet><ListID>1</ListID><Name>Caf\u00e9</Name><Balance>1.50</Balance>"
    "<BillAddress><City>Lyon</City></BillAddress></CustomerRet>\n"
    "<FutureRet><A>f</A></FutureRet>"
    "<CustomerRet><ListID>2</ListID><Name>B &amp; C</Name></CustomerRet>\n"
    "</CustomerQueryRs>\n"
    '<AccountQueryRs requestID="2" statusCode="1" statusSeverity="Info"/>\n'
    '<TxnDelRs requestID="3" statusCode="0"><TxnDelType>Invoice</TxnDelType><TxnID>T-1</TxnID>'
    "<ErrorRecovery><TxnID>T-1</TxnID></ErrorRecovery><TimeDeleted>2024-05-01T10:00:00</TimeDeleted>"
    "</TxnDelRs>\n"
    '<InvoiceQueryRs requestID="4" statusCode="0"><InvoiceRet><TxnID>I-1</TxnID>'
    "<InvoiceLineRet><Amount>2.00</Amount></InvoiceLineRet>"
    "<InvoiceLineRet><Amount>3.00</Amount></InvoiceLineRet></InvoiceRet></InvoiceQueryRs>\n"
    '<VendorQueryRs requestID="5" statusCode="0"><VendorRet/></VendorQueryRs>\n'
    "</QBXMLMsgsRs>\n</QBXML>\n"
).encode("cp1252")


@pytest.mark.parametrize("step", [1, 2, 3, 7, 64, 1000])
def test_chunk_boundaries_anywhere_give_the_same_message(step: int) -> None:
    whole = parse_response(MIXED)
    assert [(rs.request_id, len(rs.records)) for rs in whole.responses] == [
        ("1", 3), ("2", 0), ("3", 2), ("4", 1), ("5", 1)
    ]
    assert parse_response(CountingReader(MIXED, step)) == whole
    assert [(h.request_id, r) for h, r in iter_records(CountingReader(MIXED, step))] == [
        (rs.request_id, r) for rs in whole.responses for r in rs.records
    ]


@pytest.mark.parametrize("head", [b" ", b"\r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  ",
                                  b" " * 70_000])
@pytest.mark.parametrize("step", [1, 2, None])
def test_a_stream_may_start_with_blanks_like_a_whole_document(head: bytes, step: int | None,
                                                              ) -> None:
    # The eager reader skips a BOM and blanks before the declaration; so must the stream.
    whole = parse_response(head + MIXED)
    assert whole == parse_response(MIXED)
    assert parse_response(CountingReader(head + MIXED, step)) == whole


def test_a_stream_of_blanks_only_is_refused() -> None:
    with pytest.raises(QbxmlParseError):
        parse_response(CountingReader(b"  \n ", 1))


@pytest.mark.parametrize("stray", [b"\xef", b"\xef\xbb"])
def test_a_stream_that_is_only_the_start_of_a_bom_is_refused(stray: bytes) -> None:
    with pytest.raises(QbxmlParseError):
        parse_response(CountingReader(stray, 1))


def test_memory_stays_flat_across_several_large_rs() -> None:
    customers = _customers(RECORDS // 2)
    body = customers[customers.index(b"<CustomerQueryRs"):customers.index(b"</QBXMLMsgsRs>")]
    # An AccountQueryRs never iterates: the copy drops the customers' iterator.
    accounts = body.replace(b"CustomerQueryRs", b"AccountQueryRs").replace(
        b"CustomerRet", b"AccountRet"
    ).replace(b'requestID="1"', b'requestID="2"').replace(
        b' iteratorRemainingCount="7" iteratorID="{it}"', b"")
    doc = customers.replace(b"</QBXMLMsgsRs>", accounts + b"</QBXMLMsgsRs>")
    counts: dict[str | None, int] = {}
    tracemalloc.start()
    try:
        for header, _record in iter_records(io.BytesIO(doc)):
            counts[header.request_id] = counts.get(header.request_id, 0) + 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts == {"1": RECORDS // 2, "2": RECORDS // 2}
    assert peak < len(doc) // 10


@pytest.fixture(scope="module")
def big() -> bytes:
    return _customers(RECORDS)


def test_first_record_arrives_before_the_document_is_read(big: bytes) -> None:
    source = CountingReader(big)
    pairs = iter_records(source)
    header, first = next(pairs)
    assert isinstance(first, CustomerRet)
    assert first.name == "Customer 0"
    assert (header.iterator_remaining_count, header.iterator_id) == (7, "{it}")
    assert source.consumed < len(big) // 10
    pairs.close()


def test_memory_stays_flat_while_streaming(big: bytes) -> None:
    count = 0
    total = Decimal(0)
    tracemalloc.start()
    try:
        for _header, record in iter_records(io.BytesIO(big)):
            assert isinstance(record, CustomerRet)
            assert record.balance is not None
            total += record.balance
            count += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == RECORDS
    assert total == sum(Decimal(f"{i}.25") for i in range(RECORDS))
    # Holding every record would take several times the document; streaming holds one.
    assert peak < len(big) // 10
    assert peak < 3 * len(big)


def test_iter_responses_groups_lazily_and_skips_unread_records() -> None:
    doc = (
        "<QBXML><QBXMLMsgsRs>"
        '<CustomerQueryRs requestID="a" statusCode="0"><CustomerRet><Name>1</Name></CustomerRet>'
        "<CustomerRet><Name>2</Name></CustomerRet></CustomerQueryRs>"
        '<AccountQueryRs requestID="b" statusCode="1"/>'
        '<CustomerQueryRs requestID="c" statusCode="0"><CustomerRet><Name>3</Name></CustomerRet>'
        "</CustomerQueryRs></QBXMLMsgsRs></QBXML>"
    )
    groups = iter_responses(doc)
    first = next(groups)
    assert first.header.request_id == "a"
    record = next(first.records)
    assert isinstance(record, CustomerRet)
    assert record.name == "1"
    # Move on without reading record "2": it is skipped.
    second = next(groups)
    assert (second.header.request_id, list(second.records)) == ("b", [])
    third = next(groups)
    assert [r.name for r in third.records] == ["3"]  # type: ignore[union-attr]
    assert next(groups, None) is None


def test_iter_responses_of_an_empty_message() -> None:
    assert list(iter_responses(b"<QBXML><QBXMLMsgsRs/></QBXML>")) == []


def test_iter_records_skips_rs_without_records() -> None:
    doc = _customers(2).replace(b"<QBXMLMsgsRs>", b'<QBXMLMsgsRs><HostQueryRs statusCode="0"/>')
    pairs = list(iter_records(doc))
    assert [(h.tag, r.name) for h, r in pairs] == [  # type: ignore[union-attr]
        ("CustomerQueryRs", "Customer 0"),
        ("CustomerQueryRs", "Customer 1"),
    ]
    assert all(isinstance(h, RsHeader) for h, _r in pairs)


def test_streaming_translates_malformed_tail() -> None:
    truncated = _customers(3)[:-30]
    seen: list[object] = []
    with pytest.raises(QbxmlParseError):
        seen.extend(iter_records(io.BytesIO(truncated)))
    # Records are delivered once the next one has started (or the document has ended cleanly):
    # the first two were delivered before the damage; the third, last read, comes with the error.
    assert len(seen) == 2


def test_a_long_batch_of_small_answers_keeps_order_across_chunks() -> None:
    answers = "".join(
        f'<CustomerAddRs requestID="{i}" statusCode="0"><CustomerRet><Name>C{i}</Name>'
        "</CustomerRet></CustomerAddRs>"
        for i in range(3000)
    )
    doc = f"<QBXML><QBXMLMsgsRs>{answers}</QBXMLMsgsRs></QBXML>".encode()
    assert len(doc) > 3 * CHUNK_SIZE  # several chunks, many answers in each
    pairs = [(h.request_id, r.name) for h, r in iter_records(doc)]  # type: ignore[union-attr]
    assert pairs == [(str(i), f"C{i}") for i in range(3000)]
