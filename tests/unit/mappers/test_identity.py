"""identity_guid: deterministic, distinct per scope/kind/id, a valid GUIDTYPE."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mappers import find_marker, identity_guid, identity_marker, recover_external_id, with_marker

GUIDTYPE = re.compile(r"^\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$")
names = st.text(min_size=1, max_size=30)


def test_known_value_never_changes() -> None:
    # Changing the namespace or the recipe would make the engine forget its own records.
    assert identity_guid("FILE-1", "invoice", "inv_1") == "{4B5E8EAD-AC86-5D0B-B62F-B75DACC42E2E}"


@given(scope=names, kind=names, external_id=names)
def test_valid_guidtype(scope: str, kind: str, external_id: str) -> None:
    guid = identity_guid(scope, kind, external_id)
    assert GUIDTYPE.match(guid)
    assert guid == identity_guid(scope, kind, external_id)


@given(a=st.tuples(names, names, names), b=st.tuples(names, names, names))
def test_distinct_per_scope_kind_and_id(a: tuple[str, str, str], b: tuple[str, str, str]) -> None:
    if a != b:
        assert identity_guid(*a) != identity_guid(*b)


def test_parts_do_not_run_into_each_other() -> None:
    assert identity_guid("ab", "c", "d") != identity_guid("a", "bc", "d")


@pytest.mark.parametrize("parts", [("", "k", "i"), ("s", "", "i"), ("s", "k", "")])
def test_empty_parts_refused(parts: tuple[str, str, str]) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        identity_guid(*parts)


def test_marker() -> None:
    guid = identity_guid("FILE-1", "invoice", "inv_1")
    marker = identity_marker(guid)
    assert re.fullmatch(r"\[qbwc:[0-9A-F]{12}\]", marker)
    assert marker == identity_marker(guid.lower().strip("{}"))
    assert with_marker(None, marker) == marker
    assert with_marker("", marker) == marker
    assert with_marker("Thanks", marker) == f"Thanks {marker}"
    assert with_marker(f"Thanks {marker}", marker) == f"Thanks {marker}"  # once
    assert find_marker(f"Thanks {marker}") == marker
    assert find_marker("Thanks") is None
    assert find_marker(None) is None


@pytest.mark.parametrize(
    ("known", "guid", "memo", "expected"),
    [
        # Nothing known: nothing recovered.
        (None, "{A}", None, None),
        ({}, "{A}", None, None),
        # The GUID, in any case, with or without braces.
        ({"{AB}": "x"}, "{ab}", None, "x"),
        ({"{AB}": "x"}, "ab", None, "x"),
        # "0" is QuickBooks' empty GUID; the memo marker is the fallback.
        ({"[qbwc:0123456789AB]": "y"}, "0", "memo [qbwc:0123456789AB]", "y"),
        ({"[qbwc:0123456789AB]": "y"}, None, "no marker", None),
        # A GUID we do not know, and no marker.
        ({"{AB}": "x"}, "{CD}", None, None),
    ],
)
def test_recover_external_id(
    known: dict[str, str] | None, guid: str | None, memo: str | None, expected: str | None
) -> None:
    assert recover_external_id(known, guid, memo) == expected
