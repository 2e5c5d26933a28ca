"""Validate qbXML against Intuit's 13.0 XSD, and compare qbXML documents as trees.

Other test suites (simulated QuickBooks, sync engine) use :func:`assert_valid_qbxml` on what
they send. Loading the XSD takes a moment, so it is loaded once per process.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from tests.paths import QBXML_XSD


@cache
def qbxml_xsd() -> etree.XMLSchema:
    """The qbXML 13.0 schema (root ``QBXML``; the ``<?qbxml?>`` PI is allowed before it)."""
    return etree.XMLSchema(etree.parse(str(QBXML_XSD)))


def _parse(text: str | bytes) -> etree._Element:
    data = text.encode("utf-8") if isinstance(text, str) else text
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def validation_errors(text: str | bytes) -> list[str]:
    """The XSD's complaints about a qbXML document (empty when it is valid)."""
    schema = qbxml_xsd()
    if schema.validate(_parse(text)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def assert_valid_qbxml(text: str | bytes) -> None:
    """Fail with the XSD's messages unless ``text`` is valid qbXML 13.0."""
    errors = validation_errors(text)
    assert errors == [], "\n".join(errors) + "\n\n" + (
        text if isinstance(text, str) else text.decode("utf-8", "replace")
    )


def canonical_qbxml(text: str | bytes) -> str:
    """The document as canonical XML (C14N) without ignorable whitespace; PIs are kept."""
    # Serialise the tree, not the root: C14N of a lone PI node crashes lxml 6.1.
    return etree.tostring(_parse(text).getroottree(), method="c14n").decode("utf-8")
