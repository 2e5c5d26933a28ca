"""Answers to requests queued by hand (``company ping``, ``enqueue``): a lock is tried again.

The engine reads its own answers; nobody reads these but the person who queued them, so a
message QuickBooks refused for now (a lock, "not processed") would otherwise sit ``done``
with a refusal in it. It goes back to the queue on the schedule the engine's writes follow
(:mod:`.retry`), and fails with QuickBooks' words after the last refusal.

A write is only sent again when QuickBooks applied none of it: every answer in the message
is a refusal for now. One that did part of the work is left ``done``, because sending it
again would do that part twice.
"""

from __future__ import annotations

from datetime import datetime

from qbwc_server.store import queue
from qbwc_server.store.models import QueuedRequest
from qbwc_server.sync import retry
from qbwc_server.sync.push import quickbooks_words
from qbxml import Action, QbxmlError, parse_response
from qbxml.responses import Rs

#: An expired iterator (3391) is a RETRY for the engine, which restarts the query; the same
#: ``Continue`` sent again would only be refused again.
_NOT_WORTH_RESENDING = frozenset({3391})


def settle_answer(item: QueuedRequest, now: datetime) -> None:
    """Put ``item``, just answered, back in the queue if QuickBooks refused it for now."""
    refusal = _refusal(item)
    if refusal is None:
        return
    words = quickbooks_words(refusal)
    pause = retry.pause_after(item.attempts)
    if pause is None:
        queue.fail(item, f"QuickBooks was busy {item.attempts} times: {words} Queue the request "
                         "again when QuickBooks is free.", now)
        return
    not_before = now + pause
    queue.again_later(item, f"QuickBooks was busy: {words} Trying again after "
                            f"{not_before:%Y-%m-%d %H:%M} UTC.", not_before)


def _refusal(item: QueuedRequest) -> Rs | None:
    """The answer that makes ``item`` worth sending again, if there is one."""
    try:
        answers = parse_response(item.response_xml or "").responses
    except QbxmlError:
        return None  # unreadable: kept as it came, for the person who queued it
    refused = [rs for rs in answers if rs.status.action is Action.RETRY
               and rs.status_code not in _NOT_WORTH_RESENDING]
    if not refused or (item.is_write and len(refused) < len(answers)):
        return None
    return refused[0]
