"""The one hardened lxml entry point every qbxml reader goes through.

QuickBooks answers are untrusted input: they cross the network inside SOAP and may be replayed or
forged. So every document is parsed with entity resolution, DTD loading, network access and
huge-tree mode switched off, and any document that declares a DOCTYPE (the carrier of billion
laughs and XXE payloads) is refused with :class:`~qbxml.errors.QbxmlParseError` before a single
record is handed out. lxml errors are translated here, once, with ``raise ... from exc``.

Text handling follows ``qbwc-protocol.md`` section 12: responses arrive as bytes or as a Python
``str`` (QBWC hands the qbXML to SOAP as a string) and may declare ``encoding="windows-1252"``.
lxml refuses a ``str`` that still carries an encoding declaration (ValueError), so
:func:`to_bytes` drops the declaration of a ``str`` and encodes it as UTF-8; bytes keep their
declaration so libxml2 decodes windows-1252 itself. A leading BOM or whitespace is skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

from lxml import etree

from qbxml.errors import QbxmlParseError

__all__ = ["CHUNK_SIZE", "GrowingTree", "parse_xml", "to_bytes", "wrap_errors"]

CHUNK_SIZE = 64 * 1024
"""Bytes parsed per step by :class:`GrowingTree`: a few dozen records, well inside CPU caches."""

_UTF8_BOM = b"\xef\xbb\xbf"
_BLANK = b" \t\r\n"
# Applied once per document to the head of a str, never per field.
_XML_DECLARATION = re.compile(r"<\?xml\s[^>]*\?>")

# Shared by the tree parser and iterparse: nothing is fetched, nothing is expanded.
_HARDENED = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


@contextmanager
def wrap_errors(what: str = "qbXML") -> Iterator[None]:
    """Translate lxml and decoding errors raised inside the block into QbxmlParseError."""
    try:
        yield
    except (etree.LxmlError, ValueError, LookupError) as exc:
        # XMLSyntaxError (malformed), ValueError (str with an encoding declaration, bad
        # bytes), LookupError (unknown encoding name).
        raise QbxmlParseError(f"cannot parse {what}: {exc}") from exc


def to_bytes(data: bytes | str) -> bytes:
    """Return the document as bytes lxml accepts, without a leading BOM or whitespace.

    Args:
        data: the document. A ``str`` loses its XML declaration (its encoding name no longer
            applies once the text is decoded) and is encoded as UTF-8.
    """
    if isinstance(data, str):
        text = data.lstrip("\ufeff \t\r\n")
        match = _XML_DECLARATION.match(text)
        if match:
            text = text[match.end():]
        return text.encode("utf-8")
    start = 3 if data.startswith(_UTF8_BOM) else 0
    while data[start:start + 1] and data[start:start + 1] in _BLANK:
        start += 1
    # Slicing copies, so only slice when there is something to skip.
    return data[start:] if start else data


def _reject_doctype(element: etree._Element) -> None:
    """Refuse documents that declare a DOCTYPE: QuickBooks never sends one."""
    # lxml-stubs lacks DocInfo.doctype; it is '' when the document declares none.
    if element.getroottree().docinfo.doctype:  # type: ignore[attr-defined]
        raise QbxmlParseError("refusing a qbXML document that declares a DOCTYPE or entities")


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse a whole document into a tree with the hardened settings; return its root.

    Raises:
        QbxmlParseError: malformed XML, an undecodable document or a DOCTYPE.
    """
    parser = etree.XMLParser(**_HARDENED)  # type: ignore[arg-type]
    with wrap_errors():
        root = etree.fromstring(to_bytes(data), parser)
    _reject_doctype(root)
    return root


def _without_head(read: Callable[[int], bytes], size: int) -> Iterator[bytes]:
    """The stream's chunks, the first without a leading BOM or blanks, as :func:`to_bytes`
    does for a whole document (blanks may fill several chunks, a BOM may straddle two)."""
    head = b""
    while chunk := read(size):
        head += chunk
        if _UTF8_BOM.startswith(head):
            continue  # all or part of a BOM so far: wait for what follows it
        head = to_bytes(head)
        if head:
            yield head
            break
    else:
        if head:
            yield head  # a stray start of a BOM: let the parser say what is wrong
        return
    while chunk := read(size):
        yield chunk


class GrowingTree:
    """Parse a document a chunk at a time, pausing after each chunk so the caller can read and
    prune the tree built so far.

    Iterating yields, after each chunk, the elements named in ``watch`` whose start tag was in
    that chunk (usually none). Between two steps the caller owns the partial tree: an element
    followed by a sibling is complete, the last child of an open element may not be, and
    deleting complete elements keeps memory flat however long the document. After the
    iteration, :attr:`root` holds the document's root element, complete.

    This is cheaper than ``iterparse`` with a tag filter for record streams: lxml matches each
    element against ``watch`` (keep it short) and wakes Python once per chunk, not per record.

    Args:
        source: a binary file-like object (read incrementally, ``chunk_size`` bytes at a time)
            or a whole document (see :func:`to_bytes`).
        watch: element names to report when they start.
        chunk_size: bytes handed to the parser per step.

    Raises:
        QbxmlParseError: while iterating: malformed XML, an undecodable document or a DOCTYPE
            (refused before the first watched element is reported).
    """

    def __init__(
        self,
        source: BinaryIO | bytes | str,
        watch: Collection[str],
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self._source = source
        self._watch = tuple(watch)
        self._chunk_size = chunk_size
        self.root: etree._Element | None = None

    def __iter__(self) -> Iterator[list[etree._Element]]:
        source = self._source
        stream = source if not isinstance(source, bytes | str) else io.BytesIO(to_bytes(source))
        read, size = stream.read, self._chunk_size
        checked = False
        with wrap_errors():
            parser = etree.XMLPullParser(
                events=("start",), tag=self._watch, **_HARDENED  # type: ignore[arg-type]
            )
        for chunk in _without_head(read, size):
            with wrap_errors():
                parser.feed(chunk)
                # Only "start" events were asked for: each comes with an element.
                started = [cast(etree._Element, element) for _e, element in parser.read_events()]
            if started and not checked:
                _reject_doctype(started[0])
                checked = True
            yield started
        with wrap_errors():
            root = parser.close()
        _reject_doctype(root)
        self.root = root
