"""Build qbXML requests and read qbXML responses. Pure: no I/O, no web, no database."""

from __future__ import annotations

from qbxml.errors import (
    FieldTooLongError,
    InvalidFieldValueError,
    QbxmlBuildError,
    QbxmlError,
    QbxmlParseError,
    UnencodableTextError,
    UnsupportedFieldError,
)

__all__ = [
    "FieldTooLongError",
    "InvalidFieldValueError",
    "QbxmlBuildError",
    "QbxmlError",
    "QbxmlParseError",
    "UnencodableTextError",
    "UnsupportedFieldError",
]
