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

_VERSION_RE = re.compile(r"^\s*(\d+)\.(\d+)\s*$")


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
            (``CA3.0``, ``UK2.0``, ``AU2.0``) and junk are ignored. Empty means unknown (the
            first exchange, before the host query has been answered).
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
            known.append(Version.parse(text))
        except ValueError:
            continue
    if not known:
        return cap
    usable = [version for version in known if version <= cap]
    if not usable:
        raise UnsupportedVersionError(
            f"QuickBooks supports qbXML {', '.join(map(str, sorted(known)))}; "
            f"we need one at or below {cap}"
        )
    return max(usable)
