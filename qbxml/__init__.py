"""Build qbXML requests and read qbXML responses. Pure: no I/O, no web, no database."""

from __future__ import annotations

from qbxml.envelope import BuiltMessage, build_message
from qbxml.errors import (
    DamagedAnswerError,
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
from qbxml.responses import (
    HostCompanyPreferences,
    ResponseMessage,
    Rs,
    RsHeader,
    check_answer,
    iter_records,
    iter_responses,
    parse_hcp_response,
    parse_response,
)
from qbxml.schema import FieldSpec, Schema, load_schema
from qbxml.status import Action, StatusInfo, classify
from qbxml.versions import Version, choose_version

__all__ = [
    "Action",
    "BuildPolicy",
    "BuildWarning",
    "BuiltMessage",
    "DamagedAnswerError",
    "FieldSpec",
    "FieldTooLongError",
    "HostCompanyPreferences",
    "InvalidFieldValueError",
    "QbxmlBuildError",
    "QbxmlError",
    "QbxmlParseError",
    "ResponseMessage",
    "Rs",
    "RsHeader",
    "Schema",
    "StatusInfo",
    "UnencodableTextError",
    "UnsupportedFieldError",
    "UnsupportedVersionError",
    "Version",
    "build_message",
    "check_answer",
    "choose_version",
    "classify",
    "iter_records",
    "iter_responses",
    "load_schema",
    "parse_hcp_response",
    "parse_response",
]
