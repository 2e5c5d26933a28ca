"""Base classes of the request objects, and how their attributes name qbXML elements.

A request is a frozen, keyword-only attrs class whose ``RQ`` names its request element
(``CustomerAddRq``). Its attributes are the elements of the request and of its body
(``CustomerAdd``) together; nested aggregates (refs, addresses, lines) are attrs classes too.
An attribute names its element by spelling: ``ar_account_ref`` is ``ARAccountRef`` because the
two agree once underscores and case are dropped. The element names and their order come from
the schema table (:mod:`qbxml.schema`); only a few attributes pick a friendlier name through
:func:`element` metadata (``lines`` for ``InvoiceLineAdd``).
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from attrs import evolve, field, frozen

#: Metadata key: the element an attribute stands for, when its name does not spell it.
ELEMENT = "qbxml_element"
#: Metadata key: the XML attribute of the request element an attribute stands for.
XML_ATTRIBUTE = "qbxml_attribute"

Iterator = Literal["Start", "Continue", "Stop"]
MetaData = Literal["NoMetaData", "MetaDataOnly", "MetaDataAndResponseData"]


def element(name: str) -> dict[str, str]:
    """Metadata for an attribute that stands for element ``name``."""
    return {ELEMENT: name}


def xml_attribute(name: str) -> dict[str, str]:
    """Metadata for an attribute that stands for XML attribute ``name`` of the request."""
    return {XML_ATTRIBUTE: name}


class Request:
    """A qbXML request; ``RQ`` is its element name in the schema table."""

    RQ: ClassVar[str]


@frozen(kw_only=True, slots=False)
class Query(Request):
    """A query: ``meta_data`` asks for counts instead of (or with) the objects."""

    meta_data: MetaData | None = field(default=None, metadata=xml_attribute("metaData"))


@frozen(kw_only=True, slots=False)
class IteratorQuery(Query):
    """A query that can page through results with ``iterator="Start"`` / ``"Continue"``.

    QuickBooks wants the original filters repeated on every page (``qbwc-protocol.md``
    section 9), so a page request is the first one plus the iterator attributes.
    """

    iterator: Iterator | None = field(default=None, metadata=xml_attribute("iterator"))
    iterator_id: str | None = field(default=None, metadata=xml_attribute("iteratorID"))

    def start(self) -> Self:
        """This query as the first page of an iterator (set ``max_returned`` for the size)."""
        return evolve(self, iterator="Start", iterator_id=None)

    def continue_(self, iterator_id: str) -> Self:
        """The next page: same filters, ``iterator="Continue"`` and QuickBooks' ``iteratorID``."""
        return evolve(self, iterator="Continue", iterator_id=iterator_id)

    def stop(self, iterator_id: str) -> Self:
        """Release an iterator before its last page."""
        return evolve(self, iterator="Stop", iterator_id=iterator_id)
