"""Which answers to a request queued by hand send it again: refusals for now, nothing applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qbwc_server.store import queue
from qbwc_server.store.models import QueuedRequest
from qbwc_server.sync.hand_queued import settle_answer

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
OK = '<CustomerAddRs requestID="{n}" statusCode="0" statusSeverity="Info"/>'
LOCK = ('<CustomerAddRs requestID="{n}" statusCode="3175" statusSeverity="Error" '
        'statusMessage="QuickBooks error message: The internals could not be locked."/>')
STALE_ITERATOR = '<CustomerQueryRs requestID="{n}" statusCode="3391" statusSeverity="Error"/>'


def _answered(*answers: str, is_write: bool, attempts: int = 1) -> QueuedRequest:
    body = "".join(answer.format(n=n) for n, answer in enumerate(answers))
    item = QueuedRequest(purpose="by hand", request_id="0", request_xml="", is_write=is_write,
                         state=queue.SENT, attempts=attempts)
    queue.complete(item, f"<QBXML><QBXMLMsgsRs>{body}</QBXMLMsgsRs></QBXML>", NOW)
    return item


@pytest.mark.parametrize(("answers", "is_write", "again"), [
    ((LOCK,), True, True),  # nothing applied: safe to send again
    ((LOCK, LOCK), True, True),
    ((OK, LOCK), True, False),  # the first write went in: sending again would double it
    ((OK, LOCK), False, True),  # a read may run twice
    ((OK,), False, False),
    ((STALE_ITERATOR,), False, False),  # the same Continue would be refused again
])
def test_only_a_refusal_that_applied_nothing_goes_back_to_the_queue(
    answers: tuple[str, ...], is_write: bool, again: bool
) -> None:
    item = _answered(*answers, is_write=is_write)
    settle_answer(item, NOW)
    if again:
        assert (item.state, item.next_attempt_at) == (queue.QUEUED, NOW + timedelta(minutes=1))
        assert item.error == ("QuickBooks was busy: The internals could not be locked. "
                              "Trying again after 2026-01-05 15:01 UTC.")
    else:
        assert (item.state, item.error) == (queue.DONE, None)


@pytest.mark.parametrize(("attempts", "pause"), [(2, 2), (3, 4), (4, 8), (5, 16)])
def test_the_pause_doubles_with_each_refusal(attempts: int, pause: int) -> None:
    item = _answered(LOCK, is_write=True, attempts=attempts)
    settle_answer(item, NOW)
    assert item.next_attempt_at == NOW + timedelta(minutes=pause)


def test_the_sixth_refusal_fails_the_request() -> None:
    item = _answered(LOCK, is_write=True, attempts=6)
    settle_answer(item, NOW)
    assert item.state == queue.FAILED
    assert item.error == ("QuickBooks was busy 6 times: The internals could not be locked. "
                          "Queue the request again when QuickBooks is free.")


def test_an_unreadable_answer_is_kept_as_it_came() -> None:
    item = _answered(is_write=True)
    item.response_xml = "<not qbxml"
    settle_answer(item, NOW)
    assert (item.state, item.response_xml) == (queue.DONE, "<not qbxml")
