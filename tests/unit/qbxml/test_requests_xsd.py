"""Every request type, with every field set, is valid qbXML 13.0 by Intuit's XSD."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import qbxml.requests as requests_module
from qbxml.envelope import build_message
from qbxml.requests import BuildPolicy, Request
from qbxml.requests.writer import element_attributes
from qbxml.schema import load_schema
from tests.qbxml_schema import assert_valid_qbxml, validation_errors
from tests.unit.qbxml import samples

SAMPLES = samples.all_samples()


def _label(request: Request) -> str:
    return type(request).__name__


@pytest.mark.parametrize("request_object", SAMPLES, ids=[_label(r) for r in SAMPLES])
def test_full_sample_is_valid(request_object: Request, xsd: etree.XMLSchema) -> None:
    message = build_message({"r1": request_object})
    assert message.warnings == ()
    assert_valid_qbxml(message.xml)


def test_all_samples_in_one_message_are_valid() -> None:
    message = build_message({f"r{i}": request for i, request in enumerate(SAMPLES)})
    assert validation_errors(message.xml) == []
    assert message.request_ids == tuple(f"r{i}" for i in range(len(SAMPLES)))


def _set_attributes(obj: object, found: set[tuple[str, str]]) -> None:
    """Collect (class, attribute) pairs holding a value, recursively."""
    for field in attrs.fields(type(obj)):  # type: ignore[misc]
        value = getattr(obj, field.name)
        if value is None or value == ():
            continue
        found.add((type(obj).__name__, field.name))
        for item in value if isinstance(value, tuple) else (value,):
            if attrs.has(type(item)):
                _set_attributes(item, found)


def test_samples_set_every_attribute_of_every_exported_class() -> None:
    found: set[tuple[str, str]] = set()
    for request in SAMPLES:
        _set_attributes(request, found)
    missing = []
    for name in requests_module.__all__:
        cls = getattr(requests_module, name)
        if not attrs.has(cls) or name in ("Query", "IteratorQuery", "BuildPolicy", "BuildWarning"):
            continue
        missing.extend(
            f"{name}.{field.name}" for field in attrs.fields(cls) if (name, field.name) not in found
        )
    assert missing == []


# Requests to shuffle: the fields that must stay (required, or one branch of a required choice).
SHUFFLED = [
    (samples.customer_add(), {"name"}),  # CustomerAdd: Name required
    (samples.customer_mod(), {"list_id", "edit_sequence"}),  # CustomerMod: ids required
    (samples.sales()[0], {"customer_ref"}),  # InvoiceAdd with three kinds of lines
    (samples.payments()[0], {"customer_ref", "applied_to"}),  # ReceivePaymentAdd applied
    (samples.payments()[2], {"deposit_to_account_ref"}),  # DepositAdd of UF payments
    (samples.list_queries()[2], set()),  # CustomerQuery with filters, iterator Start
    (samples.txn_queries()[3], set()),  # InvoiceQuery with filters
]


def _text_fields(request: Request) -> set[str]:
    """Attributes of ``request`` (top level) whose element is free text."""
    schema = load_schema()
    rq = schema.field(request.RQ)
    body = rq.name[:-2]
    names = set()
    for path in (rq.path, body) if body in rq.children else (rq.path,):
        for element, attribute in element_attributes(request, path).items():
            if schema.field(f"{path}/{element}").type == "string":
                names.add(attribute)
    return names


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_subsets_in_any_order_with_any_text_are_valid(data: st.DataObject) -> None:
    original, keep = data.draw(st.sampled_from(SHUFFLED), label="request")
    values = attrs.asdict(original, recurse=False)
    text_fields = _text_fields(original)
    chosen: dict[str, Any] = {}
    for name in data.draw(st.permutations(sorted(values)), label="order"):
        if name not in keep and not data.draw(st.booleans(), label=f"keep {name}"):
            continue
        value = values[name]
        if name in text_fields and isinstance(value, str):
            value = data.draw(st.text(max_size=60), label=name)
        chosen[name] = value
    request = type(original)(**chosen)
    policy = BuildPolicy(too_long="truncate")
    message = build_message({"r": request}, policy=policy)
    assert_valid_qbxml(message.xml)
    # Whatever was set is sent, in schema order regardless of the order given.
    sent = etree.fromstring(message.xml.encode())
    assert sent.find(f".//{request.RQ}") is not None


def test_datetime_in_sample_keeps_its_offset() -> None:
    query = samples.list_queries()[2]
    xml = build_message({"q": query}).xml
    assert "<FromModifiedDate>2024-03-01T09:30:15-05:00</FromModifiedDate>" in xml
    assert isinstance(samples.WHEN, dt.datetime)
