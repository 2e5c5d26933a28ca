"""Per-request qbXML failures: a status code, its severity and QuickBooks' message text.

Message texts are copied from real QuickBooks answers where one is on record
(``qbwc-contract/samples``); the rest follow the same wording and are marked unconfirmed.
"""

from __future__ import annotations

__all__ = [
    "StatusError",
    "duplicate_data_ext",
    "in_use",
    "invalid_reference",
    "invalid_value",
    "name_in_use",
    "not_found",
    "stale_edit_sequence",
]

_NOT_IN_LIST = (
    "QuickBooks error message: Invalid argument.  The specified record does not exist in the list."
)


class StatusError(Exception):
    """A request that QuickBooks answers with a non-zero ``statusCode`` (nothing was saved)."""

    def __init__(self, code: int, message: str, severity: str = "Error") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.severity = severity


def not_found(object_id: str) -> StatusError:
    """3120: an object named by ID is not there (qbwc gem customer_query_response_error)."""
    return StatusError(
        3120, f'Object "{object_id}" specified in the request cannot be found.  {_NOT_IN_LIST}'
    )


def invalid_reference(kind: str, name: str, where: str) -> StatusError:
    """3140: a Ref names nothing (flowlink sales_order_add_rs_invalid_record_ref)."""
    return StatusError(
        3140, f'There is an invalid reference to QuickBooks {kind} "{name}" in the {where}.  '
        f"{_NOT_IN_LIST}"
    )


def name_in_use(name: str) -> StatusError:
    """3100: the name is already used by another list element."""
    return StatusError(3100, f'The name "{name}" of the list element is already in use.')


def stale_edit_sequence(edit_sequence: str) -> StatusError:
    """3200: the EditSequence sent with a Mod is not the current one."""
    return StatusError(3200, f'The provided edit sequence "{edit_sequence}" is out-of-date.')


def invalid_value(field: str, value: str, reason: str, severity: str = "Error") -> StatusError:
    """3210: a field value QuickBooks refuses (consolibyte receivepayment-3210 wording)."""
    return StatusError(
        3210,
        f'The "{field}" field has an invalid value "{value}".  QuickBooks error message: {reason}',
        severity,
    )


def in_use(kind: str, name: str) -> StatusError:
    """3180 (unconfirmed text): a list element still used by transactions or sub-elements."""
    return StatusError(
        3180, f'There was an error when deleting a {kind} list, element "{name}".  '
        "QuickBooks error message: This list element is in use."
    )


def duplicate_data_ext(name: str) -> StatusError:
    """3180 on a DataExtAdd for a value that already exists (consolibyte Integrator e3180)."""
    return StatusError(
        3180, f'There was an error when saving a data extension, element "{name}".  '
        "QuickBooks error message: The data extension already exists for this object."
    )
