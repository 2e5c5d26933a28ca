"""The fallback record for Ret kinds without a typed class: element name plus raw content."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Self

from lxml import etree

from qbxml.responses.base import RawPair, RawValue, raw_value

__all__ = ["GenericRet"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class GenericRet:
    """A record we do not type (``SalesOrderRet``, ``VendorRet``...), kept as found.

    ``fields`` holds the children as ``(name, value)`` pairs in document order (values are text
    for leaves, nested pairs otherwise); ``xml`` is the element serialised, for logs and for
    typing it later without a new capture.
    """

    tag: str
    fields: tuple[RawPair, ...] = ()
    xml: str = ""

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Keep a whole element."""
        return cls(
            tag=element.tag,
            fields=tuple((child.tag, raw_value(child)) for child in element),
            xml=etree.tostring(element, encoding="unicode"),
        )

    @classmethod
    def from_children(cls, tag: str, children: Iterable[etree._Element]) -> Self:
        """Keep loose children, e.g. the body of a ``TxnVoidRs``, under the Rs name ``tag``."""
        return cls(tag=tag, fields=tuple((child.tag, raw_value(child)) for child in children))

    def get(self, name: str) -> RawValue | None:
        """The first child called ``name``, or ``None``."""
        for key, value in self.fields:
            if key == name:
                return value
        return None
