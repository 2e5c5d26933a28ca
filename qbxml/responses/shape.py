"""What an Rs of a known kind may hold: its Ret kinds, and whether it ever iterates.

Read from the generated qbXML 13.0 table (:mod:`qbxml.schema`) once, on first use. The reader
uses it to tell a damaged answer from a lenient one: an Rs kind the table does not know
(newer than 13.0, or outside our scope) is not checked at all, and a child that is no Ret of
qbXML 13.0 stays a lenient unknown; but an ``InvoiceRet`` inside a ``CustomerQueryRs``, or an
iterator count on an ``AccountQueryRs`` (which never iterates), cannot be QuickBooks' answer.
"""

from __future__ import annotations

import functools

import attrs

from qbxml.schema import load_schema

__all__ = ["RsShape", "rs_shape"]


@attrs.frozen(kw_only=True)
class RsShape:
    """The children and iterator support of one Rs kind.

    Attributes:
        children: every child element the Rs may have (Ret kinds, ``ErrorRecovery`` ...).
        iterates: whether the Rs carries ``iteratorRemainingCount``/``iteratorID``.
    """

    children: frozenset[str]
    iterates: bool


def rs_shape(tag: str) -> RsShape | None:
    """The shape of the Rs kind ``tag``, or None when the table does not know it."""
    return _shapes().get(tag)


@functools.cache
def _shapes() -> dict[str, RsShape]:
    schema = load_schema()
    shapes = {}
    for name in schema.roots():
        if name.endswith("Rs"):
            spec = schema.field(name)
            shapes[name] = RsShape(
                children=frozenset(spec.children),
                iterates=spec.attribute("iteratorRemainingCount") is not None,
            )
    return shapes
