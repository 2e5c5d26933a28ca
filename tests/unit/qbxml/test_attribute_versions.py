"""Attributes have versions too: a 4.1 message never carries an iterator."""

from __future__ import annotations

import pytest

from qbxml.envelope import build_message
from qbxml.errors import UnsupportedFieldError
from qbxml.requests import CustomerQuery, InvoiceQuery
from qbxml.requests.policy import BuildPolicy
from qbxml.schema import load_schema
from qbxml.versions import Version

PAGE = CustomerQuery(active_status="All", max_returned=50)


@pytest.mark.parametrize(("request_object", "version", "message"), [
    # iterators came with qbXML 5.0 (QuickBooks 2006), whatever the query's own age
    (PAGE.start(), Version(4, 1),
     "CustomerQueryRq@iterator needs qbXML 5.0 but the message is qbXML 4.1"),
    # a Continue page is refused the same way, before its iteratorID is looked at
    (InvoiceQuery(max_returned=50).continue_("{A}"), Version(4, 0),
     "InvoiceQueryRq@iterator needs qbXML 5.0 but the message is qbXML 4.0"),
    # metaData came with 4.0
    (CustomerQuery(meta_data="MetaDataOnly"), Version(3, 0),
     "CustomerQueryRq@metaData needs qbXML 4.0 but the message is qbXML 3.0"),
])
def test_an_attribute_newer_than_the_message_is_refused(
    request_object: CustomerQuery | InvoiceQuery, version: Version, message: str
) -> None:
    with pytest.raises(UnsupportedFieldError) as caught:
        build_message({"q": request_object}, version=version)
    assert str(caught.value) == message


def test_a_newer_attribute_is_refused_even_when_newer_fields_may_be_dropped() -> None:
    # Dropping the iterator would turn "the next page" into "the first page again".
    with pytest.raises(UnsupportedFieldError):
        build_message({"q": PAGE.start()}, version=Version(4, 1),
                      policy=BuildPolicy(newer_fields="drop"))


@pytest.mark.parametrize(("request_object", "version", "attribute"), [
    (PAGE.start(), Version(5, 0), 'iterator="Start"'),
    (PAGE.continue_("{A}"), Version(13, 0), 'iteratorID="{A}"'),
    (CustomerQuery(meta_data="MetaDataOnly"), Version(4, 0), 'metaData="MetaDataOnly"'),
    # the same query without an iterator is fine for an old QuickBooks
    (PAGE, Version(4, 1), 'requestID="q"'),
])
def test_an_attribute_as_old_as_the_message_is_written(
    request_object: CustomerQuery, version: Version, attribute: str
) -> None:
    assert attribute in build_message({"q": request_object}, version=version).xml


@pytest.mark.parametrize(("path", "attribute", "version", "expected"), [
    ("CustomerQueryRq", "iterator", Version(5, 0), True),
    ("CustomerQueryRq", "iterator", Version(4, 1), False),
    ("CustomerQueryRq", "requestID", Version(1, 0), True),
    # AccountQuery pages with no iterator in any version
    ("AccountQueryRq", "iterator", Version(13, 0), False),
])
def test_the_table_says_which_attributes_a_version_takes(
    path: str, attribute: str, version: Version, expected: bool
) -> None:
    assert load_schema().field(path).takes_attribute(attribute, version) is expected
