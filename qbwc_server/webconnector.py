"""The Web Connector conversation: tickets, per-session state and what to answer.

This is plain Python; the SOAP edge (:mod:`qbwc_server.soap`) turns envelopes
into calls on :class:`WebConnectorService` and its return values back into
envelopes. Every method answers something the Web Connector understands, even
for a wrong ticket, so QBWC never sees a traceback (protocol §2, §3).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qbwc_server import __version__
from qbwc_server.clock import Clock
from qbwc_server.config import Settings
from qbwc_server.password_gate import PasswordGate
from qbwc_server.security import fingerprint, new_ticket, same_secret, ticket_digest
from qbwc_server.store import queue
from qbwc_server.store.database import Database
from qbwc_server.store.limits import fit
from qbwc_server.store.models import Company, QueuedRequest, WebConnectorSession
from qbwc_server.store.throttle import Scope
from qbwc_server.sync import hand_queued
from qbwc_server.sync.engine import DamagedAnswer, SyncEngine
from qbxml import UnsupportedVersionError
from qbxml.numbers import whole_number

log = logging.getLogger(__name__)

NVU, NONE, BUSY = "nvu", "none", "busy"
OPEN, CLOSED, EXPIRED, FAILED = "open", "closed", "expired", "failed"
INVALID_TICKET_TEXT = (
    "The session ticket is not valid or has expired. "
    "The next scheduled update will start a new session."
)
ERROR_PROGRESS = -1
FINISHED = 100  # progress: the session has nothing more to send


@attrs.frozen(kw_only=True)
class HostReport:
    """What QuickBooks says about itself in the first sendRequestXML (HCP responses)."""

    product_name: str | None = None
    country: str | None = None
    supported_versions: tuple[str, ...] = ()
    company_name: str | None = None
    file_id: str | None = None


HostReader = Callable[[str], HostReport]


class WebConnectorService:
    """Answers the Web Connector's calls for every company of this installation.

    Args:
        db: the store.
        settings: the server's settings.
        clock: where "now" comes from.
        read_host_report: turns the HCP responses of the first sendRequestXML into a
            :class:`HostReport`; a reader that raises :class:`ValueError` is reported,
            not fatal.
        engine: the sync engine that plans each session after the manual queue is empty.
        passwords: the app's password gate (one is made if not given).
    """

    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Clock,
        read_host_report: HostReader | None = None,
        engine: SyncEngine | None = None,
        passwords: PasswordGate | None = None,
    ) -> None:
        self._db = db
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._read_host_report = read_host_report
        self._passwords = passwords or PasswordGate(db, settings, clock)

    # -- before authenticate -------------------------------------------------

    def server_version(self) -> str:
        return f"qbwc-server {__version__}"

    def client_version(self, version: str | None) -> str:
        """Accept every QBWC 2.x; warn older ones (they lack serverVersion and more)."""
        major = whole_number((version or "").split(".", 1)[0], maximum=99)
        if major is not None and major < 2:
            return (
                f"W:Web Connector {version} is old; qbwc-server is tested with 2.x. "
                "Please upgrade the QuickBooks Web Connector."
            )
        return ""

    def ticket_is_live(self, ticket: str) -> bool:
        """Whether ``ticket`` belongs to an open session (read only: calls do the rest)."""
        with self._db.transaction() as session:
            sess = self._session_by_ticket(session, ticket)
            return sess is not None and sess.state == OPEN

    # -- authenticate --------------------------------------------------------

    def authenticate(self, username: str | None, password: str | None, *,
                     client: str | None = None) -> list[str]:
        """Return ``[ticket, status, postpone seconds, minimum run interval seconds]``.

        ``client`` is the caller's IP address; see :class:`PasswordGate` for the limits.
        """
        username, password = username or "", password or ""
        if not self._passwords.check(Scope.WEB_CONNECTOR, username, password,
                                     self._password_hash(username), client=client):
            log.info("authenticate: bad credentials, or too many tries")
            return [new_ticket(), NVU]
        now = self._clock.now()
        with self._db.transaction() as session:
            company = session.scalar(select(Company).where(Company.username == username))
            if company is None:  # removed while the password was being checked
                return [new_ticket(), NVU]
            company.last_contact_at = now
            interval = str(company.cadence_minutes * 60)
            if company.is_paused:
                return [new_ticket(), NONE, "0", interval]
            live = self._live_session(session, company.id)
            if live is not None and not self._take_over(session, live, company, now):
                return [new_ticket(), BUSY, "0", interval]
            if (
                not company.sync_requested
                and queue.count_queued(session, company.id, due_at=now) == 0
                and not (self._engine and self._engine.wants_session(session, company, now))
            ):
                return [new_ticket(), NONE, "0", interval]
            ticket = new_ticket()
            session.add(
                WebConnectorSession(
                    company_id=company.id,
                    ticket_digest=ticket_digest(ticket),
                    state=OPEN,
                    requests_sent=0,
                    responses_received=0,
                    progress=0,
                    started_at=now,
                    last_seen_at=now,
                )
            )
            try:
                session.flush()
            except IntegrityError:
                # Another process opened a session for this company a moment ago.
                session.rollback()
                return [new_ticket(), BUSY, "0", interval]
            log.info("session %s opened for company %s", fingerprint(ticket), company.name)
            return [ticket, company.company_file_path, "0", interval]

    def _password_hash(self, username: str) -> str | None:
        with self._db.transaction() as session:
            return session.scalar(select(Company.password_hash).where(
                Company.username == username))

    # -- the exchange --------------------------------------------------------

    def send_request_xml(
        self,
        ticket: str | None,
        hcp_response: str | None,
        company_file_name: str | None,
        country: str | None,
        major: int | None,
        minor: int | None,
    ) -> str:
        """Hand QBWC the next queued request, or "" (then getLastError explains)."""
        now = self._clock.now()
        with self._db.transaction() as session:
            sess = self._open_session(session, ticket, now)
            if sess is None:
                return ""
            company = session.get_one(Company, sess.company_id)
            if sess.pending_item_id is not None:
                # We expected receiveResponseXML: the previous answer was lost (protocol §11).
                self._forget_pending(session, sess, "its response never arrived")
            if hcp_response:
                self._remember_host(company, sess, hcp_response)
            # QuickBooks' own words, only shown to people: cut to fit, on both databases.
            table = WebConnectorSession
            sess.company_file = fit(company_file_name, table.company_file) or sess.company_file
            sess.qbxml_country = fit(country, table.qbxml_country) or sess.qbxml_country
            sess.qbxml_major = major if major is not None else sess.qbxml_major
            sess.qbxml_minor = minor if minor is not None else sess.qbxml_minor
            if company_file_name:
                company.qb_file_path = fit(company_file_name, Company.qb_file_path)
            if self._engine is not None:
                try:
                    self._engine.ensure_plan(session, sess, company)
                except UnsupportedVersionError as exc:
                    # "": the Web Connector asks getLastError, shows why, and closes.
                    self._record_error(company, sess, "No qbXML version both QuickBooks and "
                                       f"qbwc-server speak: {exc}.", now)
                    return ""
            item = queue.claim_next(session, company.id, sess.id, now)
            if item is None and self._engine is not None:
                item = self._engine.next_message(session, sess, company, now)
            if item is None:
                sess.last_error = (
                    f"Nothing more to send: every queued request for {company.name} is done."
                )
                sess.progress = FINISHED
                return ""
            sess.pending_item_id = item.id
            sess.requests_sent += 1
            return item.request_xml

    def receive_response_xml(
        self,
        ticket: str | None,
        response: str | None,
        hresult: str | None,
        message: str | None,
    ) -> int:
        """Record QuickBooks' answer; return progress 0-99, 100 when done, negative on error."""
        now = self._clock.now()
        with self._db.transaction() as session:
            sess = self._open_session(session, ticket, now)
            if sess is None:
                return ERROR_PROGRESS
            company = session.get_one(Company, sess.company_id)
            item = (
                session.get(QueuedRequest, sess.pending_item_id)
                if sess.pending_item_id is not None
                else None
            )
            if item is None:
                if response and self._already_answered(session, sess, response):
                    return sess.progress  # the same delivery twice changes nothing
                sess.last_error = "A response arrived but no request was outstanding."
                return ERROR_PROGRESS
            if hresult:
                text = (
                    f"QuickBooks could not process request {item.request_id or item.id} "
                    f"({item.purpose}): {hresult} {message or ''}".strip()
                )
                queue.fail(item, text, now)
                sess.pending_item_id = None
                self._record_error(company, sess, text, now, hresult=hresult)
                return ERROR_PROGRESS
            if not queue.answers(item.request_xml, response or ""):
                self._forget_pending(
                    session, sess,
                    f"the response did not answer requestID {item.request_id} of this session",
                )
                self._record_error(company, sess, sess.last_error or "", now)
                return ERROR_PROGRESS
            queue.complete(item, response or "", now)
            sess.pending_item_id = None
            sess.responses_received += 1
            if self._engine is not None and item.purpose.startswith(queue.ENGINE_PREFIX):
                try:
                    self._engine.handle_response(session, sess, company, item, now)
                except DamagedAnswer as damaged:
                    # -1: the Web Connector asks getLastError, shows why, and closes.
                    self._record_error(company, sess, str(damaged), now)
                    return ERROR_PROGRESS
            elif not item.purpose.startswith(queue.ENGINE_PREFIX):
                hand_queued.settle_answer(item, now)  # a lock is tried again later
            sess.progress = self._progress(session, sess, company, now)
            return sess.progress

    def connection_error(
        self, ticket: str | None, hresult: str | None, message: str | None
    ) -> str:
        """QBWC could not open QuickBooks: record why, and stop ("done")."""
        now = self._clock.now()
        with self._db.transaction() as session:
            sess = self._open_session(session, ticket, now)
            if sess is not None:
                company = session.get_one(Company, sess.company_id)
                text = (
                    f"The Web Connector could not open QuickBooks ({hresult or 'no code'}): "
                    f"{message or 'no message'}"
                )
                self._record_error(company, sess, text, now, hresult=hresult)
                self._end(session, sess, FAILED, now)
        return "done"

    def get_last_error(self, ticket: str | None) -> str:
        with self._db.transaction() as session:
            sess = self._session_by_ticket(session, ticket)
            if sess is None or sess.state == EXPIRED:
                return INVALID_TICKET_TEXT
            return sess.last_error or "No error was recorded for this session."

    def close_connection(self, ticket: str | None) -> str:
        now = self._clock.now()
        with self._db.transaction() as session:
            sess = self._open_session(session, ticket, now)
            if sess is None:
                return "OK"
            company = session.get_one(Company, sess.company_id)
            # Only a session that ran out of work has synced; one closed early (even right
            # after authenticate, with nothing exchanged) leaves "sync now" and the cadence due.
            finished = sess.progress == FINISHED and sess.pending_item_id is None
            if finished:
                company.last_sync_at = now
                company.sync_requested = False
            self._end(session, sess, CLOSED, now)
            n = sess.responses_received
            exchanged = f"{n} request{'s' if n != 1 else ''} exchanged with qbwc-server"
            if sess.hresult or (sess.last_error and not finished):
                return f"Finished with an error: {sess.last_error}"
            if not finished:
                return f"Stopped early: {exchanged}; the rest follows in the next update."
            return f"OK: {exchanged}"

    # -- interactive mode: we never ask for it (protocol §3.9) ----------------

    def get_interactive_url(self, ticket: str | None, session_id: str | None) -> str:
        return ""

    def interactive_done(self, ticket: str | None) -> str:
        return "Done"

    def interactive_rejected(self, ticket: str | None, reason: str | None) -> str:
        return "qbwc-server does not use interactive mode; nothing to do."

    # -- helpers -------------------------------------------------------------

    def _progress(
        self, session: Session, sess: WebConnectorSession, company: Company, now: datetime
    ) -> int:
        """Progress after one more answer, over the manual queue and the engine's plan.

        It only grows, and 100 means the session has nothing more to send.
        """
        remaining = queue.count_queued(session, company.id, due_at=now)
        more = False
        if self._engine is not None and remaining == 0:
            more = self._engine.prepare_next(session, sess, company, now)
        if remaining == 0 and not more:
            return FINISHED
        if self._engine is None:
            done = sess.responses_received
            return max(sess.progress, min(99, 100 * done // (done + remaining)))
        planned = self._engine.remaining(session, sess, company, now)
        waiting = remaining + max(planned, 1 if more else 0)
        return max(sess.progress, self._engine.advance_progress(sess, waiting))

    def _session_by_ticket(
        self, session: Session, ticket: str | None
    ) -> WebConnectorSession | None:
        if not ticket or len(ticket) > 200:
            return None
        digest = ticket_digest(ticket)
        sess = session.scalar(
            select(WebConnectorSession).where(WebConnectorSession.ticket_digest == digest)
        )
        if sess is None or not same_secret(sess.ticket_digest, digest):
            return None
        return sess

    def _open_session(
        self, session: Session, ticket: str | None, now: datetime
    ) -> WebConnectorSession | None:
        sess = self._session_by_ticket(session, ticket)
        if sess is None or sess.state != OPEN:
            return None
        if sess.last_seen_at < now - self._expiry:
            self._end(session, sess, EXPIRED, now)
            sess.last_error = INVALID_TICKET_TEXT
            return None
        # Conditional, and it locks the row for the rest of the call: a takeover that ended
        # this session a moment ago wins, and no takeover can end it while this call works.
        touched = session.execute(
            update(WebConnectorSession)
            .where(WebConnectorSession.id == sess.id, WebConnectorSession.state == OPEN)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        if touched.rowcount != 1:  # type: ignore[attr-defined]
            return None
        session.refresh(sess)
        return sess

    @property
    def _expiry(self) -> timedelta:
        return timedelta(seconds=self._settings.session_expiry_seconds)

    @property
    def _takeover_after(self) -> timedelta:
        return timedelta(seconds=self._settings.session_takeover_seconds)

    def _live_session(self, session: Session, company_id: int) -> WebConnectorSession | None:
        return session.scalar(
            select(WebConnectorSession).where(
                WebConnectorSession.company_id == company_id,
                WebConnectorSession.state == OPEN,
            )
        )

    def _take_over(
        self, session: Session, live: WebConnectorSession, company: Company, now: datetime
    ) -> bool:
        """End ``live`` if it has stopped talking; False while it may still be working.

        The Web Connector never authenticates twice within one update, and a live one is
        never silent for long (QuickBooks answers one of our messages in seconds), so a
        session silent for ``session_takeover_seconds`` is over. What it left unanswered
        goes the usual way: reads are dropped, writes become unknown and are reconciled.
        """
        cutoff = now - self._takeover_after
        if live.last_seen_at > cutoff:
            return False
        # Conditional: a call of that session in flight, or another authenticate taking
        # over at the same moment, makes this one answer busy instead.
        ended = session.execute(
            update(WebConnectorSession)
            .where(
                WebConnectorSession.id == live.id,
                WebConnectorSession.state == OPEN,
                WebConnectorSession.last_seen_at <= cutoff,
            )
            .values(state=EXPIRED, ended_at=now, pending_item_id=None,
                    last_error=INVALID_TICKET_TEXT)
            .execution_options(synchronize_session=False)
        )
        if ended.rowcount != 1:  # type: ignore[attr-defined]
            return False
        queue.release_unanswered(session, live.id)
        session.expire(live)
        log.info("session %s of company %s stopped talking; a new session takes over",
                 live.id, company.name)
        return True

    def _end(
        self, session: Session, sess: WebConnectorSession, state: str, now: datetime
    ) -> None:
        queue.release_unanswered(session, sess.id)
        sess.pending_item_id = None
        sess.state = state
        sess.ended_at = now

    def _forget_pending(self, session: Session, sess: WebConnectorSession, why: str) -> None:
        item = session.get_one(QueuedRequest, sess.pending_item_id)
        queue.release_unanswered(session, sess.id)
        sess.pending_item_id = None
        sess.last_error = f"Request {item.request_id or item.id} ({item.purpose}): {why}."
        log.warning("session %s: %s", sess.id, sess.last_error)

    def _already_answered(
        self, session: Session, sess: WebConnectorSession, response: str
    ) -> bool:
        answered = set(queue.request_ids_in(response))
        if not answered:
            return False
        done = session.scalars(
            select(QueuedRequest.request_id).where(
                QueuedRequest.session_id == sess.id, QueuedRequest.state == queue.DONE
            )
        ).all()
        return answered <= set(done)

    def _record_error(
        self,
        company: Company,
        sess: WebConnectorSession,
        text: str,
        now: datetime,
        *,
        hresult: str | None = None,
    ) -> None:
        sess.last_error = text
        sess.hresult = (hresult or sess.hresult or "")[:20] or None
        company.last_error, company.last_error_at = text, now
        log.warning("company %s: %s", company.name, text)

    def _remember_host(
        self, company: Company, sess: WebConnectorSession, hcp_response: str
    ) -> None:
        if self._read_host_report is None:
            return
        try:
            report = self._read_host_report(hcp_response)
        except ValueError as exc:
            # What an earlier session learnt may describe another QuickBooks (the file can be
            # opened by an older one): forget it, so this session's version comes from the
            # Web Connector's qbXMLMajorVers/MinorVers alone; the history page says why.
            sess.last_error = (f"QuickBooks' host, company and preferences answer is damaged: "
                               f"{str(exc)[:300]}. Nothing from it was kept.")
            log.warning("company %s: %s", company.name, sess.last_error)
            report = HostReport()
        company.qb_product_name = fit(report.product_name, Company.qb_product_name)
        company.qb_country = fit(report.country, Company.qb_country)
        company.qb_versions = fit(",".join(report.supported_versions), Company.qb_versions)
        company.qb_company_name = fit(report.company_name, Company.qb_company_name)
        company.qb_file_id = fit(report.file_id, Company.qb_file_id)

