"""Whether a response can be QuickBooks' answer to the request message it came back for.

The reader refuses what no qbXML answer can hold (:mod:`qbxml.responses.reader`); this module
holds an answer against its own request. QuickBooks answers each request once, echoing its
``requestID``, with the Rs of the request's own kind (``CustomerQueryRq`` -> ``CustomerQueryRs``),
and with an iterator only when the request started or continued one; under ``continueOnError``
it answers every request, under ``stopOnError`` it stops after the first that failed. An Rs
kind of the 13.0 table holds only the records the table lists for it. And the
values a sync keeps from each record fit qbXML's own forms: a ListID or TxnID of at most 36
characters and an EditSequence of at most 16 (so they fit the store), a modified or deleted
time in DATETIMETYPE form with its UTC offset (so it can be a watermark, and sent back).
"""

from __future__ import annotations

import functools

import attrs

from qbxml.errors import DamagedAnswerError
from qbxml.parsing import parse_xml
from qbxml.responses.generic import GenericRet
from qbxml.responses.reader import ResponseMessage, Rs
from qbxml.responses.shape import rs_shape
from qbxml.schema import load_schema

__all__ = ["check_answer"]

# ``YYYY-MM-DDThh:mm:ss`` with an offset, as QuickBooks writes it (fractions allowed).
# Far enough from datetime's limits that a watermark minus an overlap is still a date.
# TxnDelRs answers (reversals) carry a TimeDeleted that is never kept as a watermark.


@attrs.frozen
class _Asked:
    """One request of the message: its element name and whether it uses an iterator."""

    tag: str
    iterates: bool


def check_answer(request_xml: str | bytes, answer: ResponseMessage) -> None:
    """Refuse ``answer`` unless it can be QuickBooks' answer to ``request_xml``.

    Args:
        request_xml: the request message exactly as it was sent (our own, so trusted).
        answer: the response as :func:`~qbxml.responses.reader.parse_response` read it.

    Raises:
        DamagedAnswerError: saying what in the answer cannot be QuickBooks' own.
    """
    asked, stops_on_error = _requests(request_xml)
    answered: set[str] = set()
    for rs in answer.responses:
        if asked:
            _check_correlation(rs, asked, answered)
        _check_records(rs)
    missing = [request_id for request_id in asked if request_id not in answered]
    failed = any(rs.status_severity == "Error" for rs in answer.responses)
    if missing and not (stops_on_error and failed):
        raise DamagedAnswerError(
            f"it has no answer to requestID {missing[0]!r}"
            + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
        )


def _requests(request_xml: str | bytes) -> tuple[dict[str, _Asked], bool]:
    """The requests of a message by requestID, and whether QuickBooks stops at an error."""
    msgs = parse_xml(request_xml).find("QBXMLMsgsRq")
    if msgs is None:
        return {}, False
    asked = {
        rq.get("requestID", ""): _Asked(tag=rq.tag, iterates=rq.get("iterator") is not None)
        for rq in msgs
        if rq.get("requestID")
    }
    return asked, msgs.get("onError", "stopOnError") != "continueOnError"


def _check_correlation(rs: Rs, asked: dict[str, _Asked], answered: set[str]) -> None:
    if rs.request_id is None:
        raise DamagedAnswerError(f"its <{rs.tag}> carries no requestID")
    request = asked.get(rs.request_id)
    if request is None:
        raise DamagedAnswerError(f"its <{rs.tag}> answers requestID {rs.request_id[:50]!r}, "
                                 "which the request did not send")
    if rs.request_id in answered:
        raise DamagedAnswerError(f"it answers requestID {rs.request_id!r} twice")
    answered.add(rs.request_id)
    if rs.tag != request.tag.removesuffix("Rq") + "Rs":
        raise DamagedAnswerError(f"<{rs.tag}> cannot answer <{request.tag}> "
                                 f"(requestID {rs.request_id!r})")
    if not request.iterates and (rs.iterator_id or rs.iterator_remaining_count is not None):
        raise DamagedAnswerError(f"its <{rs.tag}> carries an iterator, but requestID "
                                 f"{rs.request_id!r} asked for none")


def _check_records(rs: Rs) -> None:
    shape = rs_shape(rs.tag)
    for record in rs.records:
        if shape is not None and isinstance(record, GenericRet):
            _check_unknown(rs, record, shape.children)
        for attribute, name, limit in _id_limits():
            value = getattr(record, attribute, None)
            if isinstance(value, str) and len(value) > limit:
                raise DamagedAnswerError(f"a record in <{rs.tag}> has {len(value)} characters "
                                         f"in its {name}; qbXML allows {limit}")


def _check_unknown(rs: Rs, record: GenericRet, children: frozenset[str]) -> None:
    """The reader keeps elements it does not type, as a record or (leaves) as the Rs's loose
    body; in an Rs kind the table knows, each must be one the table lists for it."""
    names = [name for name, _value in record.fields] if record.tag == rs.tag else [record.tag]
    for name in names:
        if name not in children:
            raise DamagedAnswerError(f"<{name}> cannot be part of an answer <{rs.tag}>")


@functools.cache
def _id_limits() -> tuple[tuple[str, str, int], ...]:
    """``(attribute, element, max length)`` of the identities a record carries, per the table."""
    schema = load_schema()
    limits = []
    for attribute, path in (("list_id", "CustomerRet/ListID"), ("txn_id", "InvoiceRet/TxnID"),
                            ("edit_sequence", "CustomerRet/EditSequence")):
        spec = schema.field(path)
        assert spec.max_length is not None  # the table gives every identity a length
        limits.append((attribute, spec.name, spec.max_length))
    return tuple(limits)
