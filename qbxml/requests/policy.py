"""What the builder may do with data that does not fit, and what it reports when it does.

Every request is built under a :class:`BuildPolicy`. The default is strict: nothing is cut,
rounded or dropped, only text outside Windows-1252 is transliterated. Whatever the builder
changed is reported as a :class:`BuildWarning` on the built message, so the caller can tell the
user that "Nguyễn" went to QuickBooks as "Nguyen".
"""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

from qbxml.text import LengthPolicy, TextPolicy
from qbxml.versions import Version

RoundingPolicy = Literal["refuse", "half_up", "half_even"]
NewerFieldPolicy = Literal["refuse", "drop"]
WarningKind = Literal["transliterated", "replaced", "truncated", "rounded", "dropped"]


@frozen(kw_only=True)
class BuildPolicy:
    """How to treat values QuickBooks cannot take as they are.

    Attributes:
        text: Characters outside Windows-1252: ``transliterate`` (default), ``replace`` with
            ``?``, or ``refuse`` (:class:`~qbxml.errors.UnencodableTextError`).
        too_long: Text over the field's max length: ``refuse``
            (:class:`~qbxml.errors.FieldTooLongError`, default) or ``truncate``.
        rounding: Numbers with more decimals than the type allows: ``refuse``
            (:class:`~qbxml.errors.InvalidFieldValueError`, default), ``half_up`` or
            ``half_even``.
        newer_fields: Optional fields newer than the message version: ``refuse``
            (:class:`~qbxml.errors.UnsupportedFieldError`, default) or ``drop``. Attributes
            newer than the message (``iterator`` under 4.1) are always refused.
    """

    text: TextPolicy = "transliterate"
    too_long: LengthPolicy = "refuse"
    rounding: RoundingPolicy = "refuse"
    newer_fields: NewerFieldPolicy = "refuse"


@frozen(kw_only=True)
class BuildWarning:
    """A change the builder made to the caller's data (allowed by the policy)."""

    request_id: str
    path: str
    kind: WarningKind
    detail: str


@frozen(kw_only=True)
class BuildContext:
    """State of one request's serialisation: the policy, version and warnings so far."""

    policy: BuildPolicy
    version: Version
    request_id: str
    warnings: list[BuildWarning] = field(factory=list)

    def warn(self, path: str, kind: WarningKind, detail: str) -> None:
        """Record a change made to the value at ``path``."""
        self.warnings.append(
            BuildWarning(request_id=self.request_id, path=path, kind=kind, detail=detail)
        )
