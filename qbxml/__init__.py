"""Build qbXML requests and read qbXML responses. Pure: no I/O, no web, no database."""

from __future__ import annotations

from qbxml.envelope import BuiltMessage, build_message
from qbxml.errors import (
    FieldTooLongError,
    InvalidFieldValueError,
    QbxmlBuildError,
    QbxmlError,
    QbxmlParseError,
    UnencodableTextError,
    UnsupportedFieldError,
    UnsupportedVersionError,
)
from qbxml.requests.policy import BuildPolicy, BuildWarning
from qbxml.schema import FieldSpec, Schema, load_schema
from qbxml.versions import Version, choose_version

__all__ = [
    "BuildPolicy",
    "BuildWarning",
    "BuiltMessage",
    "FieldSpec",
    "FieldTooLongError",
    "InvalidFieldValueError",
    "QbxmlBuildError",
    "QbxmlError",
    "QbxmlParseError",
    "Schema",
    "UnencodableTextError",
    "UnsupportedFieldError",
    "UnsupportedVersionError",
    "Version",
    "build_message",
    "choose_version",
    "load_schema",
]
