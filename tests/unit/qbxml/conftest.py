"""Fixtures for the qbxml unit tests."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.qbxml_schema import qbxml_xsd


@pytest.fixture(scope="session")
def xsd() -> etree.XMLSchema:
    """Intuit's qbXML 13.0 schema, loaded once per session."""
    return qbxml_xsd()
