"""Response (``...Rs``) elements: status attributes in QuickBooks' order, and the session
state a handler may touch (the books and the open iterators)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from lxml import etree

from qbwc_server.simulator.company.books import Books
from qbwc_server.simulator.company.errors import StatusError

__all__ = ["NO_MATCH", "Context", "IteratorState", "error_rs", "rs", "rs_tag"]

STATUS_OK = "Status OK"
NO_MATCH = "A query request did not find a matching object in QuickBooks"


@dataclasses.dataclass(kw_only=True)
class IteratorState:
    """What an open iterator still has to hand out."""

    rq_tag: str
    remaining: list[str]


@dataclasses.dataclass(kw_only=True)
class Context:
    """What a request handler works on."""

    books: Books
    iterators: dict[str, IteratorState]
    new_guid: Any  # () -> "{...}"
    hcp: Any = None  # the HCP answers (hcp.HcpInfo)


def rs_tag(rq: etree._Element) -> str:
    """``CustomerQueryRq`` -> ``CustomerQueryRs``."""
    return f"{str(rq.tag)[:-2]}Rs"


def rs(rq: etree._Element, code: int = 0, severity: str = "Info", message: str = STATUS_OK,
       attrs: Mapping[str, str] | None = None) -> etree._Element:
    """An Rs echoing the request's requestID, with the status attributes in QuickBooks' order."""
    element = etree.Element(rs_tag(rq))
    request_id = rq.get("requestID")
    if request_id is not None:
        element.set("requestID", request_id)
    element.set("statusCode", str(code))
    element.set("statusSeverity", severity)
    element.set("statusMessage", message)
    for name in ("retCount", "iteratorRemainingCount", "iteratorID"):
        if attrs and name in attrs:
            element.set(name, attrs[name])
    return element


def error_rs(rq: etree._Element, error: StatusError) -> etree._Element:
    return rs(rq, error.code, error.severity, error.message)
