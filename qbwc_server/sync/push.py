"""Push steps: write what the platform submitted to QuickBooks, many records per message.

One step per record kind, run in dependency order (customers, invoices, payments, deposits,
reversals). Each message carries up to ``profile.batch_size`` writes with
``continueOnError``, so one bad record never blocks the others; every requestID names its
record in the message's ``meta``. A record goes ``pending -> sent`` (with ``queue_item_id``)
when its message leaves, and the answer decides what happens next, by status action:

======================  ==========================================================
OK                      ``synced`` with QuickBooks' id and EditSequence; feed ``pushed``
DUPLICATE_NAME (3100)   customers: linked to the existing one found by the name query
                        sent in the same message; feed ``linked``
NOT_FOUND 3140          a reference QuickBooks does not know: the customer -> the record
                        waits (it is pulled or pushed meanwhile); anything else -> failed
NOT_FOUND 3120          the object itself is gone: failed (reversals: done)
CONFLICT (3200)         stale EditSequence: re-read by id in the next message, merged with
                        the pending write (:mod:`.conflicts`), then resent
RETRY (3170/3175/...)   back to ``pending`` with a growing pause; failed after
                        :data:`~.retry.MAX_ATTEMPTS` refusals
anything else           ``failed`` with QuickBooks' own words; feed ``push_failed``
no Rs at all            back to ``pending`` (the request never ran)
======================  ==========================================================

What each kind sends, and when it must wait for another record, is in :mod:`.push_kinds`;
how long a record waits or is retried is in :mod:`.retry`. A record waiting for one of ours
on its way (``waiting_for``) is looked at again in the session that writes it.
A write whose answer never arrives stays ``sent``; :mod:`.reconcile` looks it up in
QuickBooks at the start of the next session before anything is sent again.
"""

from __future__ import annotations

import json
import logging
import math
import re
from datetime import datetime
from typing import Any, Protocol

import attrs
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from mappers import MapperError
from qbwc_server.store.models import SyncRecord
from qbwc_server.sync import records, retry
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbxml import Action, QbxmlError, ResponseMessage, build_message
from qbxml.requests import Request

log = logging.getLogger(__name__)

PENDING, SENT, SYNCED, FAILED, UNKNOWN = "pending", "sent", "synced", "failed", "unknown"
LINKED, REVERSED = "linked", "reversed"
#: A record in one of these states is still on its way to QuickBooks.
ON_THE_WAY = (PENDING, SENT, UNKNOWN)
#: How often one record may be sent in one session (a 3200 re-read sends it again).
MAX_SENDS_PER_SESSION = 3


# -- what a kind says about one record ------------------------------------------------


@attrs.frozen(kw_only=True)
class Send:
    """Write ``request``; ``lookup`` (a query) goes just before it in the same message."""

    request: Request
    lookup: Request | None = None
    identity: str | None = None  # the ExternalGUID written, kept on the record
    refs: dict[str, Any] = attrs.field(factory=dict)  # what reconcile needs to find it


@attrs.frozen(kw_only=True)
class Wait:
    """Not yet: another record must reach QuickBooks first (``on``: ours, on its way)."""

    reason: str
    on: int | None = None


@attrs.frozen(kw_only=True)
class Fail:
    """This record cannot be written as it is; the partner must act."""

    reason: str


@attrs.frozen(kw_only=True)
class Done:
    """Nothing needs to be written (e.g. reversing a payment QuickBooks never had)."""

    change: str


Prepared = Send | Wait | Fail | Done


class PushKind(Protocol):
    """What differs between record kinds; :class:`PushStep` does the rest."""

    kind: str
    name: str
    actions: tuple[str, ...]

    def applies(self, profile: SyncProfile) -> bool: ...

    def prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared: ...

    def succeeded(self, ctx: StepContext, row: SyncRecord, rs: Any) -> str:
        """Store what QuickBooks returned; the change-feed word."""
        ...

    def missing(self, ctx: StepContext, row: SyncRecord, rs: Any) -> Prepared:
        """A NOT_FOUND answer (3120/3140): wait, fail or done."""
        ...

    def refresh(self, row: SyncRecord) -> Request | None:
        """A query by id that returns the current EditSequence (for 3200), if any."""
        ...

    def read(self, ret: Any) -> Any | None:
        """The canonical record of what :meth:`refresh` found; None: only its EditSequence
        is used."""
        ...

    def linked(self, ctx: StepContext, row: SyncRecord, lookup: Any) -> bool:
        """3100 on an add: link to what ``lookup`` found; False when nothing was found."""
        ...


# -- the step ---------------------------------------------------------------------------


class PushStep:
    """Push one kind of record; one message per batch."""

    def __init__(self, kind: PushKind) -> None:
        self.kind = kind
        self.name = f"push:{kind.name}"

    def applies(self, profile: SyncProfile) -> bool:
        return self.kind.applies(profile)

    # -- planning ------------------------------------------------------------

    def next(self, ctx: StepContext) -> Outgoing | None:
        state = ctx.state
        if state.get("refresh"):
            return self._refresh_message(ctx)
        requests: list[tuple[str, Request]] = []
        meta: dict[str, Any] = {"records": {}, "lookups": {}, "refs": {}}
        size = max(1, ctx.profile.batch_size)
        # Rows that need no message (waits, failures) are settled and drop out of _due.
        for _ in range(1000):
            due = self._due(ctx, limit=size * 2 + 10)
            if not due or requests:
                break
            for row in due:
                if len(meta["records"]) >= size:
                    break
                prepared = self._prepare(ctx, row)
                if not isinstance(prepared, Send):
                    settle(ctx, row, prepared)
                    continue
                if prepared.lookup is not None:
                    requests.append((f"q{row.id}", prepared.lookup))
                    meta["lookups"][f"q{row.id}"] = row.id
                requests.append((f"w{row.id}", prepared.request))
                meta["records"][f"w{row.id}"] = row.id
                meta["refs"][str(row.id)] = prepared.refs
                row.identity = prepared.identity or row.identity
                self._count_send(state, row.id)
        if not requests:
            return None
        # The engine records the message, then calls sent(): the records are on their way.
        state["on_the_way"] = list(meta["records"].values())
        return Outgoing(requests=requests, is_write=True, meta=meta)

    def sent(self, ctx: StepContext, item_id: int) -> None:
        """The message just recorded as queue item ``item_id`` carries the chosen records."""
        for record_id in ctx.state.pop("on_the_way", []):
            row = ctx.session.get(SyncRecord, record_id)
            if row is not None:
                row.push_state, row.queue_item_id, row.updated_at = SENT, item_id, ctx.now

    def _prepare(self, ctx: StepContext, row: SyncRecord) -> Prepared:
        """The kind's decision, with the request checked alone so one bad record fails alone."""
        try:
            prepared = self.kind.prepare(ctx, row)
            if isinstance(prepared, Send):
                build_message([("check", prepared.request)], version=ctx.version)
        except (MapperError, QbxmlError, ValueError) as exc:
            return Fail(reason=f"it cannot be written as it is: {exc}")
        return prepared

    @staticmethod
    def _count_send(state: dict[str, Any], record_id: int) -> None:
        sends = state.setdefault("sends", {})
        sends[str(record_id)] = sends.get(str(record_id), 0) + 1
        again = state.get("again", [])
        if str(record_id) in again:
            again.remove(str(record_id))

    def _due(self, ctx: StepContext, *, limit: int) -> list[SyncRecord]:
        """Pending records whose time has come, or whose awaited record has arrived.

        Decided by the query, before its LIMIT: records that wait must not fill the page
        and hide the ones that can go now.
        """
        sends = ctx.state.get("sends", {})
        again = ctx.state.get("again", [])
        used = [int(k) for k, n in sends.items() if n >= MAX_SENDS_PER_SESSION or k not in again]
        awaited = aliased(SyncRecord)
        arrived = exists().where(awaited.id == SyncRecord.waiting_for,
                                 awaited.push_state.not_in(ON_THE_WAY))
        query = (select(SyncRecord)
                 .where(SyncRecord.company_id == ctx.company.id,
                        SyncRecord.kind == self.kind.kind,
                        SyncRecord.push_state == PENDING,
                        SyncRecord.push_action.in_(self.kind.actions),
                        or_(SyncRecord.next_attempt_at.is_(None),
                            SyncRecord.next_attempt_at <= ctx.now, arrived))
                 .order_by(SyncRecord.id).limit(limit))
        if used:
            query = query.where(SyncRecord.id.not_in(used))
        return list(ctx.session.scalars(query))

    def _refresh_message(self, ctx: StepContext) -> Outgoing | None:
        requests: list[tuple[str, Request]] = []
        meta: dict[str, Any] = {"refresh": {}}
        for record_id in ctx.state.pop("refresh"):
            row = ctx.session.get(SyncRecord, record_id)
            request = self.kind.refresh(row) if row is not None else None
            if row is None or request is None:
                continue
            requests.append((f"r{row.id}", request))
            meta["refresh"][f"r{row.id}"] = row.id
        if not requests:
            return self.next(ctx)
        return Outgoing(requests=requests, is_write=False, meta=meta)

    # -- answers -------------------------------------------------------------

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        if "refresh" in meta:
            self._handle_refresh(ctx, meta, answer)
            return
        by_id = {rs.request_id: rs for rs in answer.responses}
        for request_id, record_id in meta["records"].items():
            row = ctx.session.get(SyncRecord, record_id)
            if row is None or row.push_state != SENT:
                continue
            rs = by_id.get(request_id)
            if rs is None:
                back_to_pending(row, ctx.now)  # stopOnError leftovers: it never ran
                continue
            lookup = by_id.get(f"q{record_id}")
            self._outcome(ctx, row, rs, lookup)

    def _outcome(self, ctx: StepContext, row: SyncRecord, rs: Any, lookup: Any) -> None:
        action = rs.status.action
        if action in (Action.OK, Action.EMPTY):
            change = self.kind.succeeded(ctx, row, rs)
            mark_synced(ctx, row, change)
        elif action is Action.DUPLICATE_NAME and self.kind.linked(ctx, row, lookup):
            if row.push_state == SENT:  # linked() may have refused the link instead
                mark_synced(ctx, row, LINKED)
        elif action is Action.NOT_FOUND:
            settle(ctx, row, self.kind.missing(ctx, row, rs))
        elif action is Action.CONFLICT and self.kind.refresh(row) is not None:
            back_to_pending(row, ctx.now)
            ctx.state.setdefault("refresh", []).append(row.id)
            again = ctx.state.setdefault("again", [])
            if str(row.id) not in again:
                again.append(str(row.id))
        elif action is Action.RETRY:
            retry_later(ctx, row, rs)
        else:
            settle(ctx, row, Fail(reason=quickbooks_words(rs)))

    def _handle_refresh(self, ctx: StepContext, meta: dict[str, Any],
                        answer: ResponseMessage) -> None:
        by_id = {rs.request_id: rs for rs in answer.responses}
        for request_id, record_id in meta["refresh"].items():
            row = ctx.session.get(SyncRecord, record_id)
            rs = by_id.get(request_id)
            if row is None or rs is None:
                continue
            found = [r for r in rs.records if getattr(r, "edit_sequence", None)]
            if found:
                records.read_again(ctx.session, row, self.kind.read(found[0]),
                                   found[0].edit_sequence, ctx.now)
            elif rs.status.action in (Action.NOT_FOUND, Action.EMPTY):
                settle(ctx, row, Fail(reason="it is no longer in QuickBooks (deleted there)"))

    def estimate(self, ctx: StepContext) -> int:
        due = len(self._due(ctx, limit=10_000))
        return math.ceil(due / max(1, ctx.profile.batch_size)) + (1 if ctx.state.get("refresh")
                                                                   else 0)


# -- record outcomes ---------------------------------------------------------------------


def mark_synced(ctx: StepContext, row: SyncRecord, change: str) -> None:
    start_afresh(row)
    row.push_state, row.push_error, row.updated_at = SYNCED, None, ctx.now
    records.append_feed(ctx.session, row, change, ctx.now)


def start_afresh(row: SyncRecord) -> None:
    """Forget refusals and waits: the record is done, or asked for again."""
    row.push_attempts, row.next_attempt_at = 0, None
    row.waiting_since = row.waiting_for = None


def take_qb_id(ctx: StepContext, row: SyncRecord, qb_id: str, qb_version: str | None) -> bool:
    """Point ``row`` at an object QuickBooks already has (a link); False if another platform
    record owns it. A pulled copy of the object (no external id) gives way to ``row``."""
    holder = records.find(ctx.session, ctx.company.id, row.kind, qb_id=qb_id)
    if holder is not None and holder.id != row.id:
        if holder.external_id:
            return False
        ctx.session.delete(holder)
        ctx.session.flush()
    row.qb_id, row.qb_version = qb_id, qb_version
    return True


def back_to_pending(row: SyncRecord, now: datetime) -> None:
    row.push_state, row.queue_item_id = PENDING, None


def retry_later(ctx: StepContext, row: SyncRecord, rs: Any) -> None:
    """A transient refusal (a lock): try again after a growing pause, then give up."""
    row.push_attempts += 1
    pause = retry.pause_after(row.push_attempts)
    if pause is None:
        settle(ctx, row, Fail(reason=f"{quickbooks_words(rs)} (tried {row.push_attempts} times)"))
        return
    back_to_pending(row, ctx.now)
    row.next_attempt_at = ctx.now + pause
    row.push_error = f"QuickBooks was busy: {quickbooks_words(rs)} Trying again later."


def settle(ctx: StepContext, row: SyncRecord, outcome: Prepared) -> None:
    """Apply a :class:`Wait`, :class:`Fail` or :class:`Done` to a record."""
    if isinstance(outcome, Done):
        mark_synced(ctx, row, outcome.change)
    elif isinstance(outcome, Wait):
        since = row.waiting_since or ctx.now
        if retry.waited_too_long(since, ctx.now):
            settle(ctx, row, Fail(reason=f"gave up waiting: {outcome.reason}"))
            return
        back_to_pending(row, ctx.now)
        row.waiting_since, row.waiting_for = since, outcome.on
        row.next_attempt_at = ctx.now + retry.WAIT
        row.push_error = f"Waiting: {outcome.reason}"
    elif isinstance(outcome, Fail):
        back_to_pending(row, ctx.now)
        start_afresh(row)
        row.push_state = FAILED
        row.push_error = f"QuickBooks refused {row.kind} {label_of(row)}: {outcome.reason}"
        row.updated_at = ctx.now
        records.append_feed(ctx.session, row, records.PUSH_FAILED, ctx.now,
                            data={"error": row.push_error, "record": json.loads(row.data)})
        log.info("company %s: %s", ctx.company.name, row.push_error)


def label_of(row: SyncRecord) -> str:
    return row.external_id or row.label or str(row.id)


_QB_WORDS = re.compile(r"QuickBooks error message:\s*(.+)$", re.S)


def quickbooks_words(rs: Any) -> str:
    """QuickBooks' own explanation, without the field-and-value preamble when there is one."""
    text = (rs.status_message or rs.status.meaning or "").strip()
    found = _QB_WORDS.search(text)
    text = (found.group(1) if found else text).strip()
    return text if text.endswith(".") else text + "."
