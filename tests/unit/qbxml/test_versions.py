"""qbXML version values and the choice of the message version."""

from __future__ import annotations

import pytest

from qbxml.errors import UnsupportedVersionError
from qbxml.versions import DEFAULT_VERSION, MAX_VERSION, Version, choose_version


def test_parse_print_and_order() -> None:
    assert Version.parse("13.0") == Version(13, 0)
    assert Version.parse(" 2.1 ") == Version(2, 1)
    assert str(Version(8, 0)) == "8.0"
    assert Version(2, 1) < Version(10, 0) < Version(13, 0)
    assert sorted([Version(13, 0), Version(2, 0), Version(8, 1)]) == [
        Version(2, 0), Version(8, 1), Version(13, 0)]
    assert DEFAULT_VERSION == MAX_VERSION == Version(13, 0)


@pytest.mark.parametrize(
    "text", ["CA3.0", "13", "", "v13.0", "1.x", "-3.0", "٣.0", "9" * 5000 + ".0", "1.1234"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a qbXML version"):
        Version.parse(text)


CHOICES = [
    ((), None, None, Version(13, 0)),  # nothing known yet: our default
    (("1.0", "2.0", "13.0", "14.0", "16.0"), None, None, Version(13, 0)),  # never above 13.0
    (("1.0", "2.0", "8.0", "CA3.0", "UK2.0"), None, None, Version(8, 0)),  # older QuickBooks
    (("1.0", "13.0"), 10, 0, Version(1, 0)),  # the Web Connector's limit also counts
    (("12.0", "13.0"), 12, None, Version(12, 0)),  # minor defaults to 0
    ((), 7, 1, Version(7, 1)),  # only QBWC's numbers known
    (("junk", "AU2.0"), None, None, Version(13, 0)),  # nothing usable listed: default
    (("1.0", "8.0", "8.5", "12.9"), None, None, Version(8, 0)),  # unpublished: damaged, ignored
    (("1.299", "٣.0"), None, None, Version(13, 0)),  # only damaged ones listed: default
]


@pytest.mark.parametrize(("supported", "major", "minor", "expected"), CHOICES)
def test_choose_version(
    supported: tuple[str, ...], major: int | None, minor: int | None, expected: Version
) -> None:
    assert choose_version(supported, major, minor) == expected


def test_ceiling_cannot_exceed_our_schema() -> None:
    assert choose_version(("13.0", "14.0"), ceiling=Version(16, 0)) == Version(13, 0)
    assert choose_version(("13.0", "6.0"), ceiling=Version(6, 0)) == Version(6, 0)


def test_no_common_version_is_refused() -> None:
    with pytest.raises(UnsupportedVersionError,
                       match="QuickBooks supports qbXML 14.0, 15.0; we need one at or below 13.0"):
        choose_version(("15.0", "14.0"))
