"""Plans a Web Connector session as steps and drives them one message at a time.

The Web Connector service asks :meth:`SyncEngine.next_message` whenever QBWC wants
work and hands every answer to :meth:`SyncEngine.handle_response`. The plan (which
steps, where each one is, how many messages went out) is JSON on the session row, so
the conversation survives any server process answering any call.

An answer that cannot be QuickBooks' own (unreadable, not the answer to the message it
came back for, or holding values a step cannot keep) is set aside whole: nothing of it is
stored, a read is planned again in the next session and a write becomes ``unknown`` for
reconcile to look up, and :class:`DamagedAnswer` tells the Web Connector service to end the
session with the reason.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from mappers import MapperError, Mappings
from qbwc_server.errors import QbwcError
from qbwc_server.store import queue
from qbwc_server.store.models import (
    Company,
    QueuedRequest,
    SyncRecord,
    SyncSettings,
    WebConnectorSession,
)
from qbwc_server.sync import summary
from qbwc_server.sync.profile import parse_directions
from qbwc_server.sync.push import SENT, UNKNOWN
from qbwc_server.sync.step import Outgoing, Step, StepContext, SyncProfile
from qbxml import (
    QbxmlError,
    ResponseMessage,
    Version,
    build_message,
    check_answer,
    choose_version,
    parse_response,
)
from qbxml.requests import CompanyQuery

log = logging.getLogger(__name__)
PURPOSE_PREFIX = "sync:"
#: The one message of a session that found nothing else to send (no step of its own).
IDLE = "idle"


class DamagedAnswer(QbwcError):
    """QuickBooks' answer to one of our messages is damaged; nothing of it was kept."""


class SyncEngine:
    """Runs the steps of a sync for any company.

    Args:
        steps: every step in the order a session runs them (reconcile, pulls, pushes).
        wants_work: extra predicate "does this company need a session now" (pending pushes
            are found by the steps' estimates; this covers the cadence).
    """

    def __init__(self, steps: Sequence[Step]) -> None:
        self._steps = {step.name: step for step in steps}
        self._order = [step.name for step in steps]

    # -- authenticate --------------------------------------------------------

    def wants_session(self, session: Session, company: Company, now: datetime) -> bool:
        """A session is due for the first sync, when writes are due, or, for a company that
        pulls, when the cadence has passed since the last one.

        A company that pulls nothing has work only when writes are due: a session opened
        for its cadence alone would have nothing to send (see :meth:`next_message`).
        """
        profile = load_profile(session, company)
        planned = [name for name in self._order if self._steps[name].applies(profile)]
        if not planned:
            return False
        if company.last_sync_at is None:
            return True
        # A little slack, so a Web Connector running exactly on the cadence is never refused.
        due = company.last_sync_at + timedelta(minutes=company.cadence_minutes, seconds=-30)
        if now >= due and any(name.startswith("pull:") for name in planned):
            return True
        ctx = StepContext(session=session, company=company, profile=profile,
                          version=Version(13, 0), now=now, state={})
        return any(self._steps[name].estimate(ctx) > 0
                   for name in planned if name.startswith(("push", "reconcile")))

    # -- the exchange --------------------------------------------------------

    def ensure_plan(self, session: Session, sess: WebConnectorSession, company: Company) -> None:
        """Plan the session once QuickBooks has told us its versions (first sendRequestXML)."""
        self._plan(session, sess, company)

    def next_message(
        self, session: Session, sess: WebConnectorSession, company: Company, now: datetime
    ) -> QueuedRequest | None:
        """Claim the message prepared for this session, or make one; None when all is done.

        A session that finds nothing to send at all (its records still wait, or "sync now"
        with nothing to do) gets one CompanyQuery, the smallest real round trip, so that it
        ends at 100 and counts as synced: an empty first sendRequestXML makes the Web
        Connector report an error (protocol notes §2, pitfall P13).
        """
        plan = self._plan(session, sess, company)
        prepared = plan.pop("prepared", None)
        row = session.get(QueuedRequest, prepared) if prepared else None
        if row is None or row.state != queue.PREPARED:
            row = self._produce(session, sess, company, now, plan)
        if row is None and sess.requests_sent == 0 and not plan.get(IDLE):
            plan[IDLE] = True
            row = self._enqueue(session, sess, company, now, IDLE,
                                Outgoing(requests=[(IDLE, CompanyQuery())]),
                                Version.parse(plan["version"]))
        if row is None:
            self._save(sess, plan)
            return None
        self._claim(session, sess, company, plan, row, now)
        return row

    def prepare_next(
        self, session: Session, sess: WebConnectorSession, company: Company, now: datetime
    ) -> bool:
        """Make the next message while an answer is handled; False when nothing remains.

        Estimates can promise work a step then declines (a record still waiting for its
        customer, say); making the message now is the only way receiveResponseXML can say
        100 exactly when the session is done. A prepared message is not sent: if the session
        ends first it is dropped and its records stay pending.
        """
        plan = self._plan(session, sess, company)
        if plan.get("prepared"):
            return True
        row = self._produce(session, sess, company, now, plan)
        if row is not None:
            plan["prepared"] = row.id
        self._save(sess, plan)
        return row is not None

    def _produce(
        self,
        session: Session,
        sess: WebConnectorSession,
        company: Company,
        now: datetime,
        plan: dict[str, Any],
    ) -> QueuedRequest | None:
        # Records settled without a message (failed, reversed unsent) count for the session.
        since = summary.mark(session, company.id)
        row = self._make_message(session, sess, company, now, plan)
        summary.tally(session, sess, company.id, since, summary.PUSHED)
        return row

    def _make_message(self, session: Session, sess: WebConnectorSession, company: Company,
                      now: datetime, plan: dict[str, Any]) -> QueuedRequest | None:
        profile = load_profile(session, company)
        version = Version.parse(plan["version"])
        while plan["index"] < len(plan["steps"]):
            name = plan["steps"][plan["index"]]
            state = plan["state"].setdefault(name, {})
            ctx = StepContext(session=session, company=company, profile=profile,
                              version=version, now=now, state=state)
            outgoing = self._steps[name].next(ctx)
            if outgoing is None:
                plan["index"] += 1
                continue
            row = self._enqueue(session, sess, company, now, name, outgoing, version)
            if row is None:
                plan["index"] += 1  # an unbuildable message stops its step, not the session
                continue
            return row
        return None

    @staticmethod
    def _enqueue(session: Session, sess: WebConnectorSession, company: Company,
                 now: datetime, name: str, outgoing: Outgoing, version: Version
                 ) -> QueuedRequest | None:
        """Record ``outgoing`` as this session's prepared message; None if it cannot be built."""
        prefix = request_prefix(sess)
        try:
            built = build_message([(prefix + request_id, request)
                                   for request_id, request in outgoing.requests],
                                  version=version,
                                  on_error=outgoing.on_error)  # type: ignore[arg-type]
        except QbxmlError as exc:
            log.error("step %s built an invalid message: %s", name, exc)
            return None
        item = queue.enqueue(
            session, company.id, purpose=PURPOSE_PREFIX + name, request_xml=built.xml,
            now=now, is_write=outgoing.is_write, meta=json.dumps(outgoing.meta),
        )
        row = session.get_one(QueuedRequest, item.id)
        row.state, row.session_id = queue.PREPARED, sess.id
        return row

    def _claim(
        self,
        session: Session,
        sess: WebConnectorSession,
        company: Company,
        plan: dict[str, Any],
        row: QueuedRequest,
        now: datetime,
    ) -> None:
        name = row.purpose.removeprefix(PURPOSE_PREFIX)
        row.state, row.session_id, row.sent_at, row.attempts = queue.SENT, sess.id, now, 1
        sent = getattr(self._steps.get(name), "sent", None)
        if sent is not None:
            ctx = StepContext(session=session, company=company,
                              profile=load_profile(session, company),
                              version=Version.parse(plan["version"]), now=now,
                              state=plan["state"].setdefault(name, {}))
            sent(ctx, row.id)  # e.g. push records go pending -> sent with this item
        plan["sent"] += 1
        self._save(sess, plan)

    def handle_response(
        self,
        session: Session,
        sess: WebConnectorSession,
        company: Company,
        item: QueuedRequest,
        now: datetime,
    ) -> None:
        """Give the answer of one of our messages to the step that produced it.

        Raises:
            DamagedAnswer: the answer is damaged; it was set aside (see the module docstring)
                and the exception says why, in words for the partner.
        """
        plan = self._plan(session, sess, company)
        name = item.purpose.removeprefix(PURPOSE_PREFIX)
        step = self._steps.get(name)
        plan["answered"] += 1
        if step is None:
            self._save(sess, plan)
            return
        # The step works on a copy of its state: a damaged answer must not move it on.
        state = copy.deepcopy(plan["state"].get(name, {}))
        ctx = StepContext(session=session, company=company, profile=load_profile(session, company),
                          version=Version.parse(plan["version"]), now=now, state=state)
        try:
            answer = parse_response(item.response_xml or "")
            check_answer(item.request_xml, answer)
            # A step that stops half-way through (a value the mappers refuse) keeps nothing.
            with session.begin_nested():
                since = summary.mark(session, company.id)
                step.handle(ctx, json.loads(item.meta or "{}"),
                            _for_step(answer, request_prefix(sess)))
                summary.tally(session, sess, company.id, since,
                              summary.PULLED if name.startswith("pull:") else summary.PUSHED)
        except (QbxmlError, MapperError) as exc:
            self._save(sess, plan)
            raise _set_aside(session, item, _shortened(str(exc))) from exc
        plan["state"][name] = state
        self._save(sess, plan)

    def remaining(self, session: Session, sess: WebConnectorSession, company: Company,
                  now: datetime) -> int:
        """How many more messages the plan's steps expect to send (0 without a plan)."""
        if sess.plan is None:
            return 0
        plan = json.loads(sess.plan)
        profile = load_profile(session, company)
        remaining = 0
        for name in plan["steps"][plan["index"]:]:
            ctx = StepContext(session=session, company=company, profile=profile,
                              version=Version.parse(plan["version"]), now=now,
                              state=plan["state"].setdefault(name, {}))
            remaining += self._steps[name].estimate(ctx)
        return remaining

    def advance_progress(self, sess: WebConnectorSession, waiting: int) -> int:
        """Move the progress bar for one more answer, with ``waiting`` messages still to go.

        Each answer takes an equal share of what is left of the bar: with a true estimate
        that is exactly its share of the whole session; when a step finds more work than
        it first estimated (a pull learning its page count), the shares shrink, and the
        bar never goes back. The exact fraction stays in the plan, so rounding never
        stalls it. Returns 1-99; saying 100 is the caller's (the session must be done).
        """
        plan: dict[str, Any] = json.loads(sess.plan) if sess.plan else {}
        shown = float(plan.get("shown", 0.0))
        shown += (1.0 - shown) / (max(0, waiting) + 1)
        if sess.plan:
            plan["shown"] = shown
            self._save(sess, plan)
        return max(1, min(99, math.floor(100 * shown + 1e-9)))

    # -- plan ----------------------------------------------------------------

    def _plan(
        self, session: Session, sess: WebConnectorSession, company: Company
    ) -> dict[str, Any]:
        if sess.plan:
            plan: dict[str, Any] = json.loads(sess.plan)
            return plan
        profile = load_profile(session, company)
        versions = tuple(filter(None, (company.qb_versions or "").split(",")))
        version = choose_version(versions, sess.qbxml_major, sess.qbxml_minor)
        plan = {
            "version": str(version),
            "steps": [name for name in self._order if self._steps[name].applies(profile)],
            "index": 0,
            "state": {},
            "sent": 0,
            "answered": 0,
        }
        sess.summary = sess.summary or summary.empty()
        self._save(sess, plan)
        return plan

    @staticmethod
    def _save(sess: WebConnectorSession, plan: dict[str, Any]) -> None:
        for state in plan["state"].values():
            summary.collect(sess, state)  # odd values the steps met, for the history page
        sess.plan = json.dumps(plan, separators=(",", ":"))


def _set_aside(session: Session, item: QueuedRequest, reason: str) -> DamagedAnswer:
    """Keep nothing of a damaged answer: a read is asked again in a later session (the plan
    is made afresh), a write and the records it carried are ``unknown`` until reconcile has
    looked them up in QuickBooks, so nothing is sent twice."""
    item.error = f"damaged answer: {reason}"
    if item.is_write:
        item.state = queue.UNKNOWN
        session.execute(
            update(SyncRecord)
            .where(SyncRecord.queue_item_id == item.id, SyncRecord.push_state == SENT)
            .values(push_state=UNKNOWN)
            .execution_options(synchronize_session="fetch"))
        then = "the records it wrote are looked up in QuickBooks before anything is sent again"
    else:
        item.state = queue.FAILED
        then = "it is asked again in the next update"
    return DamagedAnswer(
        f"QuickBooks' answer to request {item.request_id or item.id} ({item.purpose}) "
        f"is damaged: {reason}. Nothing from it was kept; {then}.")


def _shortened(reason: str, limit: int = 300) -> str:
    """A reason fit for a log line and the history page (parse errors may quote a value)."""
    return reason if len(reason) <= limit else reason[:limit - 1] + "…"


def request_prefix(sess: WebConnectorSession) -> str:
    """Put before every requestID a step chooses, so no two sessions share one: an answer
    from an earlier session can never pass for this one's (steps reuse ``customer-0``)."""
    return f"s{sess.id}-"


def _for_step(answer: ResponseMessage, prefix: str) -> ResponseMessage:
    """The answer with the requestIDs its step chose (the session prefix taken off)."""
    return dataclasses.replace(answer, responses=tuple(
        dataclasses.replace(rs, request_id=rs.request_id.removeprefix(prefix))
        if rs.request_id else rs
        for rs in answer.responses))


def load_profile(session: Session, company: Company) -> SyncProfile:
    row = session.get(SyncSettings, company.id)
    if row is None:
        return SyncProfile(directions=parse_directions(None), payment_account=None,
                           deposit_account=None, sync_after=None, batch_size=50, page_size=500)
    return SyncProfile(
        directions=parse_directions(row.directions),
        payment_account=row.payment_account,
        deposit_account=row.deposit_account,
        sync_after=row.sync_after,
        batch_size=row.batch_size,
        page_size=row.page_size,
        mappings=Mappings.from_json(json.loads(row.mappings) if row.mappings else None),
    )
