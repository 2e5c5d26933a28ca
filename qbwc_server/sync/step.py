"""What a sync step is: a producer of qbXML messages and a reader of their answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

import attrs
from sqlalchemy.orm import Session

from mappers import Mappings
from qbwc_server.store.models import Company
from qbwc_server.sync.profile import Direction
from qbxml import ResponseMessage, Version
from qbxml.requests import Request


@attrs.frozen(kw_only=True)
class SyncProfile:
    """A company's sync settings as the steps read them."""

    directions: dict[str, Direction]
    payment_account: str | None
    deposit_account: str | None
    sync_after: str | None
    batch_size: int
    page_size: int
    #: Platform codes -> QuickBooks names (items, payment methods, tax codes) and defaults.
    mappings: Mappings = attrs.field(factory=Mappings)


@attrs.frozen(kw_only=True)
class Outgoing:
    """One qbXML message a step wants sent.

    Attributes:
        requests: requestID and request, in order; the requestIDs are unique in the message.
        is_write: whether QuickBooks changes anything when it runs this message; a write
            whose answer is lost is never resent before it is reconciled.
        meta: JSON-able values handed back with the answer (e.g. requestID -> record id).
        on_error: ``continueOnError`` so one bad record never blocks the others.
    """

    requests: Sequence[tuple[str, Request]]
    is_write: bool = False
    meta: dict[str, Any] = attrs.field(factory=dict)
    on_error: str = "continueOnError"


@attrs.define(kw_only=True)
class StepContext:
    """What a step may use while it plans or reads an answer; ``state`` is persisted."""

    session: Session
    company: Company
    profile: SyncProfile
    version: Version
    now: datetime
    state: dict[str, Any]


class Step(Protocol):
    """A unit of sync work within a session, e.g. "pull customers" or "push payments"."""

    name: str

    def applies(self, profile: SyncProfile) -> bool:
        """Whether this company's profile needs the step at all."""
        ...

    def next(self, ctx: StepContext) -> Outgoing | None:
        """The next message to send, or None when the step is finished for this session."""
        ...

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        """Read QuickBooks' answer to a message this step produced."""
        ...

    def estimate(self, ctx: StepContext) -> int:
        """How many more messages the step expects to send (for the progress bar)."""
        ...
