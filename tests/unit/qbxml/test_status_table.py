"""The status table: one row per documented code, then the range fallbacks."""

from __future__ import annotations

import pytest

from qbxml.status import STATUS_TABLE, Action, StatusInfo, classify

ROWS = [
    (0, "Info", Action.OK),  # Status OK
    (1, "Info", Action.EMPTY),  # query found nothing: empty result, not an error
    (500, "Warn", Action.OK),  # some requested objects not found, query partly done
    (501, "Warn", Action.OK),  # object not representable in this qbXML version
    (510, "Warn", Action.OK),  # object cannot be returned
    (530, "Warn", Action.OK),  # unsupported field, object saved anyway
    (531, "Warn", Action.OK),  # unsupported enum value, object saved anyway
    (550, "Warn", Action.OK),  # notes not saved
    (560, "Warn", Action.OK),  # deprecated field
    (570, "Warn", Action.OK),  # cannot link to a closed transaction
    (600, "Info", Action.OK),  # error recovery: no stored state
    (1000, "Error", Action.STOP),  # QuickBooks internal error
    (1010, "Error", Action.RETRY),  # QuickBooks not available: transient
    (1030, "Error", Action.STOP),  # unsupported message
    (1060, "Error", Action.SKIP),  # requestID longer than 50: this request only
    (3000, "Error", Action.SKIP),  # invalid object ID
    (3010, "Error", Action.SKIP),  # invalid boolean
    (3020, "Error", Action.SKIP),  # invalid date
    (3030, "Error", Action.SKIP),  # invalid date range
    (3031, "Error", Action.SKIP),  # invalid string range
    (3100, "Error", Action.DUPLICATE_NAME),  # name already in use: query and link
    (3120, "Error", Action.NOT_FOUND),  # object referenced by ID not found
    (3140, "Error", Action.NOT_FOUND),  # invalid reference: create the dependency first
    (3170, "Error", Action.RETRY),  # list modified by another user
    (3175, "Error", Action.RETRY),  # internals could not be locked
    (3176, "Error", Action.RETRY),  # failed to acquire the lock
    (3180, "Error", Action.SKIP),  # could not save, for no passing cause (see below)
    (3200, "Error", Action.CONFLICT),  # stale EditSequence
    (3210, "Info", Action.SKIP),  # invalid value; seen with severity Info, still not saved
    (3231, "Error", Action.RETRY),  # not processed: nothing wrong with the request itself
    (3250, "Error", Action.SKIP),  # feature not enabled
    (3260, "Error", Action.SKIP),  # insufficient permission
    (3261, "Error", Action.SKIP),  # application has no permission
    (3391, "Error", Action.RETRY),  # stale iteratorID: restart with iterator=Start
]


def test_rows_cover_the_whole_table() -> None:
    assert sorted(code for code, _severity, _action in ROWS) == sorted(STATUS_TABLE)


@pytest.mark.parametrize(("code", "severity", "action"), ROWS)
def test_table_row(code: int, severity: str, action: Action) -> None:
    info = classify(code, severity)
    assert info == StatusInfo(
        code=code, meaning=STATUS_TABLE[code][0], action=action, severity=severity
    )
    assert info.meaning


@pytest.mark.parametrize(("message", "action"), [
    # consolibyte's capture: another user changed the list meanwhile
    ('There was an error when saving a Customer list, element "Newcastle Tenants Federation". '
     "QuickBooks error message: This list has been modified by another user.", Action.RETRY),
    ("QuickBooks error message: The internals could not be locked.", Action.RETRY),
    ("QuickBooks error message: Failed to acquire the lock.", Action.RETRY),
    ("QuickBooks error message: The list element is in use.", Action.RETRY),
    ("QuickBooks error message: Please try again.", Action.RETRY),
    # causes that no wait mends
    ("QuickBooks error message: The name of the list element is not valid.", Action.SKIP),
    ("QuickBooks error message: This data extension already exists.", Action.SKIP),
    ("QuickBooks error message: The block of text is too long.", Action.SKIP),  # not "lock"
    ("", Action.SKIP),
    (None, Action.SKIP),
])
def test_3180_is_retried_only_when_its_message_names_a_passing_cause(
    message: str | None, action: Action
) -> None:
    assert classify(3180, "Error", message).action is action


def test_only_3180_reads_the_message() -> None:
    assert classify(3200, "Error", "modified by another user").action is Action.CONFLICT
    assert classify(3210, "Error", "try again").action is Action.SKIP


def test_table_code_wins_over_severity() -> None:
    assert classify(3210, "Info").action is Action.SKIP
    assert classify(0, "Error").action is Action.OK


@pytest.mark.parametrize(
    ("code", "severity", "action", "meaning"),
    [
        (2, "Info", Action.OK, "Informational status"),  # undocumented Info code
        (499, "", Action.OK, "Informational status"),  # top of the Info range
        (499, "Error", Action.SKIP, "Informational status"),  # Error severity is never OK
        (777, "Warn", Action.OK, "Warning: data returned, maybe not what was expected"),
        (999, "Error", Action.SKIP, "Warning: data returned, maybe not what was expected"),
        (1500, "Error", Action.STOP, "General error"),
        (2000, "Error", Action.STOP, "Not supported for QuickBooks Desktop"),
        (3099, "Error", Action.SKIP, "Format error in the request"),
        (3150, "Error", Action.SKIP, "Error processing this request"),
        (9099, "Error", Action.SKIP, "Error processing this request"),
        (9100, "Error", Action.SKIP, "Macro error"),
        (9199, "Error", Action.SKIP, "Macro error"),
        (9200, "Error", Action.STOP, "Unknown status code"),  # beyond the documented ranges
        (-1, "Error", Action.STOP, "Unknown status code"),
    ],
)
def test_range_fallback(code: int, severity: str, action: Action, meaning: str) -> None:
    info = classify(code, severity)
    assert (info.code, info.action, info.meaning) == (code, action, meaning)
    assert info.severity == severity


def test_action_values_are_the_documented_names() -> None:
    assert [a.value for a in Action] == [
        "ok", "empty", "retry", "conflict", "not_found", "duplicate_name", "skip", "stop",
    ]
