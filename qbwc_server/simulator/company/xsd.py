"""Checking request messages against Intuit's qbXML 13.0 schema, as QuickBooks does.

QuickBooks refuses a whole message whose elements are out of order, misspelt or too long with
HRESULT 0x80040400 (``qbwc-protocol.md`` section 7). The four schema files are shipped beside
this module (Intuit's public qbXML SDK schemas, copied unchanged with their notices). The
schema is compiled once per process, on first use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

__all__ = ["XSD_DIR", "schema_errors"]

XSD_DIR = Path(__file__).resolve().parent / "xsd"


@cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "qbxmlops130.xsd"), parser))


def schema_errors(root: etree._Element) -> list[str]:
    """The schema's complaints about a parsed qbXML document (empty when valid)."""
    schema = _schema()
    if schema.validate(root):
        return []
    errors: list[str] = [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]
    return errors
