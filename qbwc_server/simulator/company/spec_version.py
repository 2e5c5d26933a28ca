"""What an older QuickBooks refuses: elements and attributes newer than the message's version.

QuickBooks validates a message against the spec its ``<?qbxml version?>`` names
(``qbwc-protocol.md`` section 6), so a QuickBooks 2005 (qbXML 4.1) fails a whole message that
carries ``iterator="Start"`` (qbXML 5.0) with the parse error, as it would for any element it
does not know. The 13.0 XSD cannot tell; the version column of our schema table can.
"""

from __future__ import annotations

from lxml import etree

from qbxml.schema import Schema, load_schema
from qbxml.versions import Version

__all__ = ["newer_than"]


def newer_than(messages: etree._Element, version: Version) -> str | None:
    """The path of the first element or attribute of ``QBXMLMsgsRq`` newer than ``version``.

    Requests outside our schema table are not judged (their handlers refuse them anyway).
    """
    schema = load_schema()
    for rq in messages:
        found = _newer(schema, rq, str(rq.tag), version)
        if found is not None:
            return found
    return None


def _newer(schema: Schema, element: etree._Element, path: str, version: Version) -> str | None:
    try:
        spec = schema.field(path)
    except KeyError:
        return None
    if spec.version > version:
        return path
    for name in element.attrib:
        attribute = spec.attribute(str(name))
        if attribute is not None and attribute.version > version:
            return f"{path}@{name}"
    for child in element:
        found = _newer(schema, child, f"{path}/{child.tag}", version)
        if found is not None:
            return found
    return None
