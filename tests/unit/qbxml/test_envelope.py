"""The message envelope, request IDs, error-recovery attributes and golden messages."""

from __future__ import annotations

from pathlib import Path

import pytest

import qbxml
import qbxml.requests
from qbxml.envelope import MAX_REQUEST_ID_LENGTH, build_message
from qbxml.errors import FieldTooLongError, InvalidFieldValueError, UnsupportedVersionError
from qbxml.requests import BuildPolicy, CustomerAdd, HostQuery, Ref, TxnDel
from qbxml.versions import Version
from tests.paths import REPO
from tests.qbxml_schema import assert_valid_qbxml, canonical_qbxml
from tests.unit.qbxml.golden_requests import GOLDEN

GOLDEN_DIR = REPO / "tests" / "fixtures" / "qbxml" / "golden"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_messages(name: str) -> None:
    built = build_message(GOLDEN[name])
    expected = (GOLDEN_DIR / f"{name}.xml").read_text(encoding="utf-8")
    assert canonical_qbxml(built.xml) == canonical_qbxml(expected)
    assert_valid_qbxml(expected)


def test_golden_files_all_have_requests() -> None:
    assert sorted(path.stem for path in GOLDEN_DIR.glob("*.xml")) == sorted(GOLDEN)


def test_prolog_and_defaults() -> None:
    lines = build_message({"1": HostQuery()}).xml.splitlines()
    assert lines[:4] == [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?qbxml version="13.0"?>',
        "<QBXML>",
        '  <QBXMLMsgsRq onError="continueOnError">',
    ]
    assert lines[-2:] == ["  </QBXMLMsgsRq>", "</QBXML>"]


def test_error_recovery_and_options() -> None:
    built = build_message(
        [("a", TxnDel(txn_del_type="Invoice", txn_id="1-2")), ("b", HostQuery())],
        version=Version(12, 0),
        on_error="stopOnError",
        new_message_set_id="msgset-2024-05-21-7",
        old_message_set_id="msgset-2024-05-21-6",
        response_data="includeNone",
    )
    assert '<?qbxml version="12.0"?>' in built.xml
    assert ('<QBXMLMsgsRq onError="stopOnError" newMessageSetID="msgset-2024-05-21-7" '
            'oldMessageSetID="msgset-2024-05-21-6" responseData="includeNone">') in built.xml
    assert built.request_ids == ("a", "b")
    assert built.version == Version(12, 0)
    assert_valid_qbxml(built.xml)


def test_request_ids_are_escaped() -> None:
    xml = build_message({'Q3VzdG9tZXJBZGR8MTU="&': HostQuery()}).xml
    assert '<HostQueryRq requestID="Q3VzdG9tZXJBZGR8MTU=&quot;&amp;"/>' in xml
    assert_valid_qbxml(xml)


def test_request_id_of_50_characters_is_accepted() -> None:
    request_id = "x" * MAX_REQUEST_ID_LENGTH
    assert build_message({request_id: HostQuery()}).request_ids == (request_id,)


REFUSED = [
    # requestID over 50 characters (QuickBooks status 1060)
    ({"x" * 51: HostQuery()}, {}, FieldTooLongError,
     "HostQueryRq@requestID is 51 characters long; QuickBooks allows at most 50"),
    # empty requestID
    ({"": HostQuery()}, {}, InvalidFieldValueError,
     "HostQueryRq@requestID: must be a non-empty string"),
    # the same requestID twice: responses could not be told apart
    ([("1", HostQuery()), ("1", HostQuery())], {}, InvalidFieldValueError,
     "HostQueryRq@requestID: '1' is used twice in one message"),
    # our own IDs are never altered, so text QuickBooks cannot store is refused
    ({"ключ": HostQuery()}, {}, Exception,
     "HostQueryRq@requestID holds characters QuickBooks Desktop cannot store: 'ключ'"),
    # rollbackOnError is unconfirmed in QuickBooks Desktop (protocol doc section 15)
    ({"1": HostQuery()}, {"on_error": "rollbackOnError"}, InvalidFieldValueError,
     "QBXMLMsgsRq@onError: 'rollbackOnError' is not one of ('stopOnError', 'continueOnError')"),
    ({"1": HostQuery()}, {"response_data": "some"}, InvalidFieldValueError,
     "QBXMLMsgsRq@responseData: 'some' is not one of ('includeAll', 'includeNone')"),
    ({"1": HostQuery()}, {"new_message_set_id": ""}, InvalidFieldValueError,
     "QBXMLMsgsRq@newMessageSetID: must be a non-empty string"),
    # never claim a version we have no schema for
    ({"1": HostQuery()}, {"version": Version(14, 0)}, UnsupportedVersionError,
     "qbXML 14.0 is newer than our schema (13.0)"),
]


@pytest.mark.parametrize(("requests", "options", "error", "message"), REFUSED)
def test_refused(requests: object, options: dict[str, object], error: type[Exception],
                 message: str) -> None:
    with pytest.raises(error) as caught:
        build_message(requests, **options)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_warnings_carry_their_request_ids() -> None:
    built = build_message(
        {"c1": CustomerAdd(name="Nguyễn"), "c2": CustomerAdd(name="Ok"),
         "c3": CustomerAdd(name="Łukasz", parent_ref=Ref(full_name="Đà Nẵng"))},
        policy=BuildPolicy(),
    )
    assert [(w.request_id, w.path, w.kind) for w in built.warnings] == [
        ("c1", "CustomerAdd/Name", "transliterated"),
        ("c3", "CustomerAdd/Name", "transliterated"),
        ("c3", "CustomerAdd/ParentRef/FullName", "transliterated"),
    ]
    assert "<FullName>Dà Nang</FullName>" in built.xml  # à is in Windows-1252


def test_empty_message_is_valid() -> None:
    built = build_message({}, old_message_set_id="msgset-6")
    assert built.request_ids == ()
    assert_valid_qbxml(built.xml)


def test_exports_are_sorted_and_importable() -> None:
    for module in (qbxml, qbxml.requests):
        assert list(module.__all__) == sorted(module.__all__)
        assert all(hasattr(module, name) for name in module.__all__)
    assert {"build_message", "BuiltMessage", "Version", "choose_version", "load_schema",
            "BuildPolicy"} <= set(qbxml.__all__)


def test_golden_dir_exists() -> None:
    assert isinstance(GOLDEN_DIR, Path)
    assert GOLDEN_DIR.is_dir()
