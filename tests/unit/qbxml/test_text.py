"""Windows-1252 rules, length limits and escaping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from qbxml.errors import FieldTooLongError, UnencodableTextError
from qbxml.text import escape, fit_length, in_windows_1252, to_windows_1252

TRANSLITERATED = [
    ("Café", "Café", ""),  # é is in Windows-1252: kept
    ("Nguyễn", "Nguyen", "ễ"),  # Vietnamese: accent stripped (issue #36)
    ("Łódź", "Lódz", "Łź"),  # Ł has no decomposition: table; ź decomposes
    ("a\u2011b", "a-b", "\u2011"),  # non-breaking hyphen: table
    ("x\u2212y", "x-y", "\u2212"),  # minus sign: table
    ("ﬁne", "fine", "ﬁ"),  # ligature: NFKD expands it
    ("日本", "??", "日本"),  # nothing to transliterate to
    ("a\x00b", "a?b", "\x00"),  # control characters cannot travel in XML 1.0
    ("tab\tnew\nline\r", "tab\tnew\nline\r", ""),  # the whitespace controls XML allows
    ("“q” – — … € ™", "“q” – — … € ™", ""),  # cp1252 punctuation kept
]


@pytest.mark.parametrize(("text", "expected", "changed"), TRANSLITERATED)
def test_transliterate(text: str, expected: str, changed: str) -> None:
    assert to_windows_1252(text, path="p", policy="transliterate") == (expected, changed)


def test_replace_policy() -> None:
    assert to_windows_1252("Žluť", path="p", policy="replace") == ("Žlu?", "ť")


def test_refuse_policy_names_field_and_characters() -> None:
    with pytest.raises(UnencodableTextError) as caught:
        to_windows_1252("Nguyễn Thị", path="CustomerAdd/Name", policy="refuse")
    assert (caught.value.path, caught.value.characters) == ("CustomerAdd/Name", "ễị")


def test_refuse_policy_passes_storable_text() -> None:
    assert to_windows_1252("Zoë", path="p", policy="refuse") == ("Zoë", "")


@given(st.text())
def test_transliterated_text_is_always_storable(text: str) -> None:
    result, _ = to_windows_1252(text, path="p", policy="transliterate")
    assert all(in_windows_1252(char) for char in result)
    result.encode("cp1252")


@pytest.mark.parametrize(
    ("text", "max_length", "policy", "expected"),
    [
        ("abc", 3, "refuse", "abc"),  # at the limit
        ("abc", None, "refuse", "abc"),  # no limit known
        ("abcd", 3, "truncate", "abc"),  # cut when asked
    ],
)
def test_fit_length(text: str, max_length: int | None, policy: str, expected: str) -> None:
    assert fit_length(text, path="p", max_length=max_length, policy=policy) == expected  # type: ignore[arg-type]


def test_fit_length_refuses_with_path() -> None:
    with pytest.raises(FieldTooLongError, match="CustomerAdd/Name is 4 characters long; "
                                                "QuickBooks allows at most 3"):
        fit_length("abcd", path="CustomerAdd/Name", max_length=3, policy="refuse")


def test_escape_never_uses_apos() -> None:
    assert escape("""Tom's "A&B" <x>""") == "Tom's &quot;A&amp;B&quot; &lt;x&gt;"


@given(st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cc",))))
def test_escaped_text_parses_back(text: str) -> None:
    element = etree.fromstring(f'<a b="{escape(text)}">{escape(text)}</a>')
    assert element.text in (text, None if text == "" else text)
    assert element.get("b") == text
