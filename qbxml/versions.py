"""qbXML spec versions and the choice of which one a message declares.

QuickBooks validates a message against the spec named in ``<?qbxml version="X.Y"?>``. We know
the 13.0 schema (Intuit's ``qbxmlops130``), so a message never claims more than 13.0; it claims
less when QuickBooks (HostRet ``SupportedQBXMLVersion``) or the Web Connector
(``qbXMLMajorVers``/``qbXMLMinorVers`` of ``sendRequestXML``) supports less. See
``qbwc-protocol.md`` section 6.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from attrs import frozen

from qbxml.errors import UnsupportedVersionError

# ASCII digits only (``\d`` would take "٣"), and few of them: no version has more.
_VERSION_RE = re.compile(r"^\s*([0-9]{1,3})\.([0-9]{1,3})\s*$")


@frozen(order=True)
class Version:
    """A qbXML spec version such as 13.0; versions order by (major, minor)."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """Read ``"13.0"``.

        Raises:
            ValueError: The text is not ``<major>.<minor>``, e.g. an edition-prefixed
                ``"CA3.0"`` or ``"UK2.0"`` from HostRet.
        """
        match = _VERSION_RE.match(text)
        if match is None:
            raise ValueError(f"not a qbXML version: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


#: The newest spec this package has a schema table for, and so the newest it will claim.
MAX_VERSION = Version(13, 0)
DEFAULT_VERSION = MAX_VERSION
#: Every spec Intuit published up to ours; a "1.7" or "12.3" names no spec QuickBooks accepts.
PUBLISHED = frozenset(
    Version.parse(text)
    for text in "1.0 1.1 2.0 2.1 3.0 4.0 4.1 5.0 6.0 7.0 8.0 9.0 10.0 11.0 12.0 13.0".split()
)


def choose_version(
    supported: Iterable[str] = (),
    qbwc_major: int | None = None,
    qbwc_minor: int | None = None,
    *,
    ceiling: Version = MAX_VERSION,
) -> Version:
    """Pick the message version: the newest one QuickBooks, the Web Connector and we all speak.

    Args:
        supported: HostRet ``SupportedQBXMLVersion`` values. Edition-prefixed values
            (``CA3.0``, ``UK2.0``, ``AU2.0``), junk and versions up to 13.0 that Intuit never
            published (a damaged answer) are ignored. Empty means unknown (the first
            exchange, before the host query has been answered).
        qbwc_major: ``qbXMLMajorVers`` sent by the Web Connector with ``sendRequestXML``.
        qbwc_minor: ``qbXMLMinorVers``; ignored when ``qbwc_major`` is None.
        ceiling: Never claim more than this (13.0 by default, and 13.0 at most).

    Returns:
        The version to declare.

    Raises:
        UnsupportedVersionError: ``supported`` lists versions, but none at or below the cap.
    """
    cap = min(ceiling, MAX_VERSION)
    if qbwc_major is not None:
        cap = min(cap, Version(qbwc_major, qbwc_minor or 0))
    known = []
    for text in supported:
        try:
            version = Version.parse(text)
        except ValueError:
            continue
        if version in PUBLISHED or version > MAX_VERSION:
            known.append(version)
    if not known:
        return cap
    usable = [version for version in known if version <= cap]
    if not usable:
        raise UnsupportedVersionError(
            f"QuickBooks supports qbXML {', '.join(map(str, sorted(known)))}; "
            f"we need one at or below {cap}"
        )
    return max(usable)
