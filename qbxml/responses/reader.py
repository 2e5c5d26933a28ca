"""Read qbXML responses: eagerly (:func:`parse_response`) or record by record (streaming).

One streaming core serves both. The document is parsed a chunk at a time
(:class:`~qbxml.parsing.GrowingTree`); after each chunk, every child of an Rs that is followed by
a sibling is complete, so it is typed, handed out and deleted, and memory stays flat in the
number of records. The last child of the open Rs waits for the next chunk (or the end of the
document). lxml wakes Python once per chunk rather than once per record, and matches elements
against two names only (``QBXML``, ``QBXMLMsgsRs``), so streaming costs little over parsing.
On a document damaged after some records, the records completed before the damaged chunk have
been handed out; the error comes instead of the rest.

Leniency, by design: unknown children are kept raw, missing children stay ``None``, comments are
dropped, Ret kinds newer than qbXML 13.0 come as :class:`GenericRet`, and a bare ``...Rs``
element without the ``QBXML``/``QBXMLMsgsRs`` wrapper (as in the consolibyte 3180 sample) is
read as a one-Rs message (once the document has ended: such fragments are small).

Strictness, where an answer cannot be QuickBooks' own: status codes and counts are whole
numbers in ASCII digits; an Rs kind of the 13.0 table holds no Ret kind of 13.0 that the table
does not list for it (no ``InvoiceRet`` in a ``CustomerQueryRs``) and no iterator unless it can
iterate; an iterator with records remaining names its ``iteratorID``
(:mod:`qbxml.responses.shape`). Such an answer raises :class:`~qbxml.errors.QbxmlParseError`
like a malformed document. Whether an answer fits the request it came back for is
:func:`qbxml.responses.answers.check_answer`'s question.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from qbxml.errors import QbxmlParseError
from qbxml.numbers import whole_number
from qbxml.parsing import GrowingTree
from qbxml.responses.common import ErrorRecovery
from qbxml.responses.generic import GenericRet
from qbxml.responses.kinds import BODY_BUILDERS, QBXML_RET_TAGS, RECORD_BUILDERS, Item
from qbxml.responses.shape import rs_shape
from qbxml.status import StatusInfo, classify

__all__ = [
    "ResponseMessage",
    "Rs",
    "RsHeader",
    "Source",
    "StreamedRs",
    "iter_records",
    "iter_responses",
    "parse_response",
]

Source = bytes | str | BinaryIO
"""A whole document (bytes or str) or a binary file-like object read incrementally."""

_MSGS = "QBXMLMsgsRs"
# Status codes have four digits so far; a count beyond 2**31 - 1 is no count QuickBooks keeps.
_MAX_STATUS_CODE = 99_999
_MAX_COUNT = 2**31 - 1


def _whole(element: etree._Element, name: str, maximum: int) -> int | None:
    """The attribute ``name`` as a whole number (ASCII digits, no sign), None when absent.

    ``int()`` would take ``" 7"``, ``"1_000"``, ``"-3"`` and ``"٣"``: none of them is a count
    or a status code QuickBooks writes, so any of them means the answer is damaged.
    """
    text = element.get(name)
    if text is None:
        return None
    value = whole_number(text, maximum=maximum)
    if value is None:
        raise QbxmlParseError(
            f"<{element.tag}> has {name}={text[:20]!r}, not a whole number from 0 to {maximum}"
        )
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class RsHeader:
    """The attributes of one ``...Rs`` element: status, correlation and iterator state."""

    tag: str
    status_code: int
    status_severity: str = ""
    status_message: str | None = None
    request_id: str | None = None
    iterator_id: str | None = None
    iterator_remaining_count: int | None = None
    ret_count: int | None = None

    @classmethod
    def from_element(cls, element: etree._Element) -> RsHeader:
        """Read the Rs attributes; ``statusCode`` is the only one we insist on."""
        attrib = element.attrib
        code = _whole(element, "statusCode", _MAX_STATUS_CODE)
        if code is None:
            raise QbxmlParseError(f"<{element.tag}> has no statusCode")
        header = cls(
            tag=element.tag,
            status_code=code,
            status_severity=attrib.get("statusSeverity", ""),
            status_message=attrib.get("statusMessage"),
            request_id=attrib.get("requestID"),
            iterator_id=attrib.get("iteratorID"),
            iterator_remaining_count=_whole(element, "iteratorRemainingCount", _MAX_COUNT),
            ret_count=_whole(element, "retCount", _MAX_COUNT),
        )
        header._check_iterator()
        return header

    def _check_iterator(self) -> None:
        """An iterator answer names its iterator, on an Rs kind that can iterate at all."""
        if self.iterator_remaining_count is None and self.iterator_id is None:
            return
        shape = rs_shape(self.tag)
        if shape is not None and not shape.iterates:
            raise QbxmlParseError(f"<{self.tag}> carries an iterator, but it never iterates")
        if self.iterator_remaining_count and not self.iterator_id:
            raise QbxmlParseError(
                f"<{self.tag}> says {self.iterator_remaining_count} records remain "
                "but names no iteratorID to fetch them with"
            )

    @property
    def status(self) -> StatusInfo:
        """What the status code means and what the caller should do about it."""
        return classify(self.status_code, self.status_severity, self.status_message)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rs(RsHeader):
    """One Rs read completely: its header and everything it returned, in document order."""

    records: tuple[Item, ...] = ()

    @classmethod
    def from_parts(cls, header: RsHeader, records: tuple[Item, ...]) -> Rs:
        """Attach records to a header read earlier."""
        fields = {f.name: getattr(header, f.name) for f in dataclasses.fields(RsHeader)}
        return cls(**fields, records=records)

    @property
    def error_recovery(self) -> ErrorRecovery | None:
        """The ``ErrorRecovery`` block of an Add/Mod answer, if any."""
        for record in self.records:
            if isinstance(record, ErrorRecovery):
                return record
        return None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResponseMessage:
    """A whole ``QBXMLMsgsRs``: message-set attributes and every Rs in order."""

    responses: tuple[Rs, ...] = ()
    new_message_set_id: str | None = None
    message_set_status_code: int | None = None

    def by_request_id(self, request_id: str) -> Rs | None:
        """The Rs echoing ``request_id`` (the HCP answer uses 0, 1 and 2), if any."""
        for rs in self.responses:
            if rs.request_id == request_id:
                return rs
        return None


class _Reader:
    """The streaming core: yields each :class:`RsHeader`, then what that Rs returned."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._body: list[etree._Element] = []
        self._current: etree._Element | None = None  # the Rs whose header was yielded last
        self._children: frozenset[str] | None = None  # what the current Rs may hold, if known
        self.message_set: etree._Element | None = None

    def items(self) -> Iterator[RsHeader | Item]:
        """Translate conversion errors once, for the whole stream."""
        try:
            yield from self._items()
        except (ValueError, ArithmeticError) as exc:
            # int(), Decimal(), date/datetime.fromisoformat() on a malformed value.
            raise QbxmlParseError(f"invalid value in qbXML response: {exc!r}") from exc

    def _items(self) -> Iterator[RsHeader | Item]:
        tree = GrowingTree(self._source, _CONTAINERS)
        msgs: etree._Element | None = None
        for started in tree:
            if msgs is None:
                msgs = _message_set(started)
                if msgs is None:
                    continue
                self.message_set = msgs
            # Between chunks: every Rs but the last is complete, and so is every child of the
            # last Rs but its last one. Read them, then delete them: memory stays flat.
            yield from self._drain(msgs, final=False)
        root = tree.root
        assert root is not None  # set once the iteration completes
        if msgs is not None:
            yield from self._drain(msgs, final=True)
        elif root.tag.endswith("Rs") and root.tag != _MSGS:
            yield from self._drain_rs(root, complete=True)  # a bare ...Rs fragment, read whole
        elif root.tag != "QBXML":
            raise QbxmlParseError(f"<{root.tag}> is not a qbXML response")
        # else: a QBXML without QBXMLMsgsRs (e.g. only SignonMsgsRs) answers no request

    def _drain(self, msgs: etree._Element, *, final: bool) -> Iterator[RsHeader | Item]:
        """Read the complete part of the message set; ``final`` when the document has ended."""
        # Listed once per chunk (lxml counts children by walking them): a batch of hundreds of
        # small Add answers costs linear time.
        responses: list[etree._Element] = msgs[:]  # type: ignore[index, assignment]
        done = responses if final else responses[:-1]
        for rs in done:
            yield from self._drain_rs(rs, complete=True)
        del msgs[: len(done)]
        if not final and responses:
            yield from self._drain_rs(responses[-1], complete=False)

    def _drain_rs(self, rs: etree._Element, *, complete: bool) -> Iterator[RsHeader | Item]:
        """Yield the header of ``rs`` once, then its complete children, deleting them."""
        if rs is not self._current:
            self._current = rs
            header = RsHeader.from_element(rs)
            shape = rs_shape(header.tag)
            self._children = shape.children if shape is not None else None
            yield header
        # One C call lists the children (lxml-stubs lacks _Element slicing).
        children = rs[:] if complete else rs[:-1]  # type: ignore[index]
        allowed = self._children
        for child in children:
            tag = child.tag
            if allowed is not None and tag not in allowed and tag in QBXML_RET_TAGS:
                raise QbxmlParseError(f"<{tag}> cannot be part of an answer <{rs.tag}>")
            build = _BUILDERS_GET(tag)
            if build is not None:
                yield build(child)
            elif (item := self._untyped(child)) is not None:
                yield item
        del rs[: len(children)]
        if complete and self._body:
            body, self._body = self._body, []
            build_body = BODY_BUILDERS.get(rs.tag)
            yield build_body(body) if build_body else GenericRet.from_children(rs.tag, body)

    def _untyped(self, child: etree._Element) -> Item | None:
        """ErrorRecovery, a Ret kind without a class, or a leaf of a loose body (kept: None)."""
        if child.tag == "ErrorRecovery":
            return ErrorRecovery.from_element(child)
        if child.tag in QBXML_RET_TAGS or len(child):
            return GenericRet.from_element(child)
        self._body.append(child)
        return None


def _message_set(started: list[etree._Element]) -> etree._Element | None:
    """The ``QBXMLMsgsRs`` among the elements just started, if it is the root or under QBXML."""
    for element in started:
        if element.tag == _MSGS:
            parent = element.getparent()
            if parent is None or parent.tag == "QBXML":
                return element
    return None


_CONTAINERS = ("QBXML", _MSGS)
_BUILDERS_GET = RECORD_BUILDERS.get


def iter_records(source: Source) -> Iterator[tuple[RsHeader, Item]]:
    """Stream ``(header, record)`` pairs; an Rs that returned nothing yields nothing.

    Raises:
        QbxmlParseError: malformed or hostile XML, or a malformed value.
    """
    header: RsHeader | None = None
    for item in _Reader(source).items():
        if isinstance(item, RsHeader):
            header = item
        else:
            assert header is not None  # the reader always yields the header first
            yield header, item


class StreamedRs:
    """One Rs being streamed: its :attr:`header` now, its :attr:`records` lazily.

    Like :func:`itertools.groupby`, the records must be read before moving to the next Rs;
    moving on skips whatever was not read.
    """

    def __init__(self, header: RsHeader, items: Iterator[RsHeader | Item]) -> None:
        self.header = header
        self.next_header: RsHeader | None = None
        self._items = items
        self.records: Iterator[Item] = self._records()

    def _records(self) -> Iterator[Item]:
        for item in self._items:
            if isinstance(item, RsHeader):
                self.next_header = item
                return
            yield item

    def skip(self) -> RsHeader | None:
        """Drain the unread records; return the next Rs header, if any."""
        for _record in self.records:
            pass
        return self.next_header


def iter_responses(source: Source) -> Iterator[StreamedRs]:
    """Stream the Rs of a response one by one, each with a lazy iterator of its records.

    Raises:
        QbxmlParseError: malformed or hostile XML, or a malformed value.
    """
    items = _Reader(source).items()
    header = next(items, None)
    while header is not None:
        assert isinstance(header, RsHeader)  # headers open every group
        group = StreamedRs(header, items)
        yield group
        header = group.skip()


def parse_response(source: Source) -> ResponseMessage:
    """Read a whole qbXML response (``QBXMLMsgsRs``) into memory.

    Args:
        source: bytes, str (an encoding declaration is fine) or a binary file-like object.

    Raises:
        QbxmlParseError: malformed or hostile XML, an Rs without statusCode, a bad value.
    """
    reader = _Reader(source)
    responses: list[Rs] = []
    header: RsHeader | None = None
    records: list[Item] = []
    for item in reader.items():
        if isinstance(item, RsHeader):
            if header is not None:
                responses.append(Rs.from_parts(header, tuple(records)))
            header, records = item, []
        else:
            records.append(item)
    if header is not None:
        responses.append(Rs.from_parts(header, tuple(records)))
    msgs = reader.message_set
    if msgs is None:
        return ResponseMessage(responses=tuple(responses))
    return ResponseMessage(
        responses=tuple(responses),
        new_message_set_id=msgs.get("newMessageSetID"),
        message_set_status_code=_whole(msgs, "messageSetStatusCode", _MAX_STATUS_CODE),
    )
