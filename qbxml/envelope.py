"""The qbXML message envelope: ``<?qbxml?>`` version, ``QBXMLMsgsRq`` and its requests.

One message set carries several requests; each gets a ``requestID`` (at most 50 characters,
status 1060 otherwise) that QuickBooks echoes in its ``...Rs`` so responses can be matched to
the queue. ``onError`` decides whether QuickBooks stops at the first failing request; the
error-recovery attributes ``newMessageSetID`` / ``oldMessageSetID`` let a writer find out what
happened to a message set whose response was lost (``qbwc-protocol.md`` sections 6 and 11).
``rollbackOnError`` is in the schema but its behaviour in QuickBooks Desktop is unconfirmed
(section 15), so it is not offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from attrs import frozen

from qbxml.errors import FieldTooLongError, InvalidFieldValueError, UnsupportedVersionError
from qbxml.requests.base import Request
from qbxml.requests.policy import BuildContext, BuildPolicy, BuildWarning
from qbxml.requests.writer import INDENT, Writer
from qbxml.schema import load_schema
from qbxml.text import escape, to_windows_1252
from qbxml.versions import DEFAULT_VERSION, Version

OnError = Literal["stopOnError", "continueOnError"]
ResponseData = Literal["includeAll", "includeNone"]
MAX_REQUEST_ID_LENGTH = 50
_ON_ERROR = ("stopOnError", "continueOnError")
_RESPONSE_DATA = ("includeAll", "includeNone")


@frozen(kw_only=True)
class BuiltMessage:
    """A qbXML request message ready for ``sendRequestXML``.

    Attributes:
        xml: The message text (UTF-8 declared; encode it as UTF-8).
        version: The qbXML version it declares.
        request_ids: The ``requestID`` of each request, in message order.
        warnings: Changes made to the caller's data under the build policy.
    """

    xml: str
    version: Version
    request_ids: tuple[str, ...]
    warnings: tuple[BuildWarning, ...]


def _identifier(value: str, where: str, *, max_length: int | None = None) -> str:
    """Check an identifier we chose ourselves: never altered, so refused rather than fixed."""
    if not isinstance(value, str) or not value:
        raise InvalidFieldValueError(where, "must be a non-empty string")
    to_windows_1252(value, path=where, policy="refuse")
    if max_length is not None and len(value) > max_length:
        raise FieldTooLongError(where, len(value), max_length)
    return value


def build_message(
    requests: Mapping[str, Request] | Iterable[tuple[str, Request]],
    *,
    version: Version = DEFAULT_VERSION,
    on_error: OnError = "continueOnError",
    new_message_set_id: str | None = None,
    old_message_set_id: str | None = None,
    response_data: ResponseData | None = None,
    policy: BuildPolicy | None = None,
) -> BuiltMessage:
    """Build one qbXML request message.

    Args:
        requests: ``{requestID: request}`` (or ``(requestID, request)`` pairs) in send order.
        version: qbXML version to declare (see :func:`qbxml.versions.choose_version`).
        on_error: ``continueOnError`` (default) or ``stopOnError``.
        new_message_set_id: Error recovery: QuickBooks remembers this message set's outcome.
        old_message_set_id: Error recovery: ask for the outcome of an earlier message set.
        response_data: ``includeNone`` to get status only, without the objects.
        policy: What may be changed to make data fit (default: :class:`BuildPolicy`).

    Returns:
        The message and any warnings.

    Raises:
        UnsupportedVersionError: ``version`` is newer than the schema table (13.0).
        InvalidFieldValueError: Bad ``on_error``/``response_data``, empty or duplicate
            requestIDs, or a request that does not fit its schema.
        FieldTooLongError: A requestID over 50 characters, or a value over its max length.
        QbxmlBuildError: Any other reason a request cannot be sent (see :mod:`qbxml.errors`).
    """
    schema = load_schema()
    if version > schema.version:
        raise UnsupportedVersionError(
            f"qbXML {version} is newer than our schema ({schema.version})"
        )
    if on_error not in _ON_ERROR:
        raise InvalidFieldValueError(
            "QBXMLMsgsRq@onError", f"{on_error!r} is not one of {_ON_ERROR}"
        )
    if response_data is not None and response_data not in _RESPONSE_DATA:
        raise InvalidFieldValueError(
            "QBXMLMsgsRq@responseData", f"{response_data!r} is not one of {_RESPONSE_DATA}"
        )
    attributes: list[tuple[str, str]] = [("onError", on_error)]
    for name, value in (
        ("newMessageSetID", new_message_set_id),
        ("oldMessageSetID", old_message_set_id),
        ("responseData", response_data),
    ):
        if value is not None:
            attributes.append((name, _identifier(value, f"QBXMLMsgsRq@{name}")))
    pairs = list(requests.items() if isinstance(requests, Mapping) else requests)
    policy = policy or BuildPolicy()
    body: list[str] = []
    warnings: list[BuildWarning] = []
    seen: set[str] = set()
    for request_id, request in pairs:
        where = f"{request.RQ}@requestID"
        _identifier(request_id, where, max_length=MAX_REQUEST_ID_LENGTH)
        if request_id in seen:
            raise InvalidFieldValueError(where, f"{request_id!r} is used twice in one message")
        seen.add(request_id)
        context = BuildContext(policy=policy, version=version, request_id=request_id)
        body.extend(Writer(context).request(request, request_id, depth=2))
        warnings.extend(context.warnings)
    head = "".join(f' {name}="{escape(value)}"' for name, value in attributes)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<?qbxml version="{version}"?>',
        "<QBXML>",
        f"{INDENT}<QBXMLMsgsRq{head}>",
        *body,
        f"{INDENT}</QBXMLMsgsRq>",
        "</QBXML>",
        "",
    ]
    return BuiltMessage(
        xml="\n".join(lines),
        version=version,
        request_ids=tuple(request_id for request_id, _ in pairs),
        warnings=tuple(warnings),
    )
