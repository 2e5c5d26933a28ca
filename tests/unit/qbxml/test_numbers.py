"""Whole numbers from untrusted text: ASCII digits, bounded, or nothing."""

from __future__ import annotations

import pytest

from qbxml.numbers import whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        ("1440", 1440),  # the maximum itself
        ("0007", 7),  # leading zeros within the length bound
        ("1441", None),  # one over the maximum
        ("10000", None),  # more digits than the maximum has
        ("", None),
        ("²", None),  # isdigit() says yes, int() raises
        ("٣", None),  # int() would read Arabic-Indic 3
        ("３", None),  # fullwidth 3
        (" 7", None),  # int() strips spaces
        ("1_0", None),  # int() reads underscores
        ("-1", None),
        ("+1", None),
        ("9" * 5000, None),  # int() raises past 4,300 digits
    ],
)
def test_only_ascii_digits_within_the_bound_are_numbers(text: str, expected: int | None) -> None:
    assert whole_number(text, maximum=1440) == expected
