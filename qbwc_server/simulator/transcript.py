"""A record of every SOAP call a simulated Web Connector made, for tests and ``--verbose``."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

REDACTED = "********"
_SECRET_PARAMS = frozenset({"strPassword"})
_PREVIEW = 120


@attrs.frozen(kw_only=True)
class Exchange:
    """One call: what was sent, what came back (or why nothing did), and how long it took.

    ``answer`` is the decoded result; ``error`` names the failure when there is none.
    ``note`` marks calls a fault injected or tampered with; ``faults`` names the faults that
    struck this call, so a test can tell a fault that fired from one whose turn never came.
    """

    method: str
    params: Mapping[str, str | int]
    answer: str | int | list[str] | None
    http_status: int | None
    elapsed: float
    error: str | None = None
    note: str | None = None
    faults: tuple[str, ...] = ()


def redact(params: Mapping[str, str | int]) -> dict[str, str | int]:
    """The parameters with the password replaced (the ticket is kept: tests need it)."""
    return {k: (REDACTED if k in _SECRET_PARAMS else v) for k, v in params.items()}


@attrs.define
class Transcript:
    """The exchanges of one or more sessions, in order."""

    exchanges: list[Exchange] = attrs.field(factory=list)

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)

    def annotate_last(self, note: str, *, fault: str | None = None) -> None:
        """Add a note to the most recent exchange (used by faults), naming the ``fault``.

        Notes add up: two faults striking the same call both show.
        """
        if not self.exchanges:
            return
        last = self.exchanges[-1]
        self.exchanges[-1] = attrs.evolve(
            last,
            note=f"{last.note}; {note}" if last.note else note,
            faults=(*last.faults, fault) if fault else last.faults,
        )

    def methods(self) -> list[str]:
        return [exchange.method for exchange in self.exchanges]

    def render(self) -> str:
        """One readable line per call, long XML shortened."""
        lines = []
        for n, ex in enumerate(self.exchanges, 1):
            args = ", ".join(
                f"{k}={_ticket(v) if k == 'ticket' else _short(v)}" for k, v in ex.params.items()
            )
            answer = ex.answer
            if ex.method == "authenticate" and isinstance(answer, list) and answer:
                answer = [_ticket(answer[0]), *answer[1:]]
            outcome = f"error: {ex.error}" if ex.error else f"-> {_short(answer)}"
            status = f"HTTP {ex.http_status}" if ex.http_status is not None else "no HTTP answer"
            note = f"  [{ex.note}]" if ex.note else ""
            lines.append(
                f"{n:3} {ex.method}({args}) {outcome}  ({status}, {ex.elapsed * 1000:.0f} ms)"
                f"{note}"
            )
        return "\n".join(lines)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 3] + "..."


def _ticket(value: object) -> str:
    """Tickets are secrets: show only enough to tell sessions apart."""
    text = str(value)
    return f"{text[:4]}..." if len(text) > 4 else text
