"""Errors raised by :mod:`qbxml`, grouped by what the caller should do.

::

    QbxmlError                      root of everything qbxml raises
    ├── QbxmlBuildError             the request cannot be built from this data: fix or skip it
    │   ├── FieldTooLongError       a value exceeds the field's max length
    │   ├── InvalidFieldValueError  a value does not fit the field's type or pattern
    │   ├── UnsupportedFieldError   a field is newer than the chosen qbXML version
    │   ├── UnencodableTextError    text QuickBooks Desktop cannot store, refused by policy
    │   └── UnsupportedVersionError QuickBooks speaks no qbXML version we can write
    └── QbxmlParseError             a response could not be read at all: stop and report it
        └── DamagedAnswerError      it reads, but cannot be QuickBooks' answer to the request

Each class's docstring is its default message.
"""

from __future__ import annotations


class QbxmlError(Exception):
    """qbXML error."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class QbxmlBuildError(QbxmlError, ValueError):
    """The qbXML request cannot be built from this data."""


class FieldTooLongError(QbxmlBuildError):
    """A value is longer than QuickBooks allows for its field."""

    def __init__(self, path: str, length: int, max_length: int) -> None:
        self.path = path
        self.length = length
        self.max_length = max_length
        super().__init__(
            f"{path} is {length} characters long; QuickBooks allows at most {max_length}"
        )


class InvalidFieldValueError(QbxmlBuildError):
    """A value does not fit its field's type."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnsupportedFieldError(QbxmlBuildError):
    """A field is not available in the chosen qbXML version."""

    def __init__(self, path: str, introduced: str, version: str) -> None:
        self.path = path
        self.introduced = introduced
        self.version = version
        super().__init__(
            f"{path} needs qbXML {introduced} but the message is qbXML {version}"
        )


class UnencodableTextError(QbxmlBuildError):
    """Text holds characters QuickBooks Desktop cannot store."""

    def __init__(self, path: str, characters: str) -> None:
        self.path = path
        self.characters = characters
        super().__init__(
            f"{path} holds characters QuickBooks Desktop cannot store: {characters!r}"
        )


class UnsupportedVersionError(QbxmlBuildError):
    """QuickBooks supports no qbXML version this package can write."""


class QbxmlParseError(QbxmlError):
    """The qbXML response could not be read."""


class DamagedAnswerError(QbxmlParseError):
    """The response cannot be QuickBooks' answer to the request it came back for."""
