"""Read qbXML responses: eagerly (:func:`parse_response`) or record by record (streaming).

One streaming core serves both. lxml ``iterparse`` wakes us only at the start of Ret elements (a
tag filter applied in C); each Ret directly under an Rs is complete, typed and deleted as soon as
the next one starts (the last one when the document ends), so memory stays flat in the number
of records. On a document damaged after a record, that record comes with the error, not before.
Whatever the filter skipped (``ErrorRecovery``, the loose body of a ``TxnDelRs``, Ret kinds
newer than qbXML 13.0, Rs without records) is swept up in document order when the reader moves
past it.

Leniency, by design: unknown children are kept raw, missing children stay ``None``, comments are
dropped, and a bare ``...Rs`` element without the ``QBXML``/``QBXMLMsgsRs`` wrapper (as in the
consolibyte 3180 sample) is read as a one-Rs message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from qbxml.errors import QbxmlParseError
from qbxml.parsing import ElementStream
from qbxml.responses.common import ErrorRecovery
from qbxml.responses.generic import GenericRet
from qbxml.responses.kinds import BODY_BUILDERS, RECORD_BUILDERS, STREAMED_TAGS, Item
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


def _optional_int(text: str | None) -> int | None:
    return int(text) if text else None


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
        code = attrib.get("statusCode")
        if code is None:
            raise QbxmlParseError(f"<{element.tag}> has no statusCode")
        return cls(
            tag=element.tag,
            status_code=int(code),
            status_severity=attrib.get("statusSeverity", ""),
            status_message=attrib.get("statusMessage"),
            request_id=attrib.get("requestID"),
            iterator_id=attrib.get("iteratorID"),
            iterator_remaining_count=_optional_int(attrib.get("iteratorRemainingCount")),
            ret_count=_optional_int(attrib.get("retCount")),
        )

    @property
    def status(self) -> StatusInfo:
        """What the status code means and what the caller should do about it."""
        return classify(self.status_code, self.status_severity)


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
        self.message_set: etree._Element | None = None

    def items(self) -> Iterator[RsHeader | Item]:
        """Translate conversion errors once, for the whole stream."""
        try:
            yield from self._items()
        except (ValueError, ArithmeticError) as exc:
            # int(), Decimal(), date/datetime.fromisoformat() on a malformed value.
            raise QbxmlParseError(f"invalid value in qbXML response: {exc!r}") from exc

    def _items(self) -> Iterator[RsHeader | Item]:
        current: etree._Element | None = None  # the Rs whose Ret records are streaming
        pending: etree._Element | None = None  # its last Ret: complete once the next one starts
        # Woken at the *start* of each Ret: lxml matches the ~100 Ret names once per element
        # instead of twice (at start and end), a third of a plain parse's cost. A record is
        # therefore built when the next one starts, or when the stream ends.
        stream = ElementStream(self._source, STREAMED_TAGS, event="start")
        for element in stream:
            rs = element.getparent()
            if rs is None:  # the root itself is a Ret: not a response, refused below
                continue
            if rs is not current:
                container = rs.getparent()
                if container is None:
                    if not rs.tag.endswith("Rs"):
                        continue
                elif container.tag != _MSGS:
                    continue  # a nested Ret, e.g. DataExtRet inside CustomerRet
                else:
                    self.message_set = container
                if current is not None:
                    yield from self._finish(current, pending)
                if container is not None:
                    yield from self._complete_before(container, rs, current)
                current, pending = rs, None
                yield RsHeader.from_element(rs)
            # Everything before this Ret is complete: the previous record, then whatever the tag
            # filter skipped. Each is read, then deleted (freeing it), so memory stays flat.
            while (first := rs[0]) is not element:
                if first is pending:  # _record(first), inlined: one call per record
                    yield _BUILDERS_GET(first.tag, _GENERIC)(first)
                else:
                    yield from self._side(first)
                del rs[0]
            pending = element
        assert stream.root is not None  # set once the iteration completes
        yield from self._rest(stream.root, current, pending)

    def _rest(
        self,
        root: etree._Element,
        current: etree._Element | None,
        pending: etree._Element | None,
    ) -> Iterator[RsHeader | Item]:
        """Finish the streaming Rs, then read every Rs that had no streamed Ret."""
        if current is not None:
            yield from self._finish(current, pending)
        if root.tag == "QBXML":
            container = root.find(_MSGS)
        elif root.tag == _MSGS or root.tag.endswith("Rs"):
            container = root
        else:
            raise QbxmlParseError(f"<{root.tag}> is not a qbXML response")
        if container is None:  # e.g. only SignonMsgsRs: no request answers
            return
        if container.tag != _MSGS:  # a bare ...Rs fragment
            if container is not current:
                yield from self._complete(container)
            return
        self.message_set = container
        for rs in container:
            if rs is not current:
                yield from self._complete(rs)

    def _complete_before(
        self, container: etree._Element, rs: etree._Element, done: etree._Element | None
    ) -> Iterator[RsHeader | Item]:
        """Read the complete Rs siblings before ``rs`` (except ``done``); drop them all."""
        while (first := container[0]) is not rs:
            if first is not done:
                yield from self._complete(first)
            del container[0]

    def _complete(self, rs: etree._Element) -> Iterator[RsHeader | Item]:
        """Read an Rs none of whose children was streamed."""
        yield RsHeader.from_element(rs)
        yield from self._finish(rs, None)

    def _finish(
        self, rs: etree._Element, pending: etree._Element | None
    ) -> Iterator[RsHeader | Item]:
        """Read the children of ``rs`` left (``pending`` is a Ret), then its loose body, if any."""
        for child in rs:
            if child is pending:
                yield _record(child)
            else:
                yield from self._side(child)
        if self._body:
            body, self._body = self._body, []
            build = BODY_BUILDERS.get(rs.tag)
            yield build(body) if build else GenericRet.from_children(rs.tag, body)

    def _side(self, child: etree._Element) -> Iterator[Item]:
        """A child the tag filter skipped: ErrorRecovery, a body leaf or an unknown Ret."""
        if child.tag == "ErrorRecovery":
            yield ErrorRecovery.from_element(child)
        elif len(child):
            yield GenericRet.from_element(child)
        else:
            self._body.append(child)


def _record(element: etree._Element) -> Item:
    """Type a complete Ret element; kinds without a class become :class:`GenericRet`."""
    return _BUILDERS_GET(element.tag, _GENERIC)(element)


_BUILDERS_GET = RECORD_BUILDERS.get
_GENERIC = GenericRet.from_element


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
        message_set_status_code=_optional_int(msgs.get("messageSetStatusCode")),
    )
