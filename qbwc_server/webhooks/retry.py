"""When to try a failed delivery again: a pure policy, table-tested."""

from __future__ import annotations

from datetime import timedelta

import attrs


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Exponential backoff: 10 s, 20 s, 40 s … capped at an hour, then give up.

    With the defaults the 30th and last attempt comes about 22.4 hours after the
    first, so an endpoint may be down for most of a day without losing anything.
    """

    first_delay: float = 10.0
    max_delay: float = 3600.0
    max_attempts: int = 30

    def next_delay(self, attempts: int) -> timedelta | None:
        """The wait after ``attempts`` failed attempts, or None: give up (``failed``)."""
        if attempts >= self.max_attempts:
            return None
        seconds = min(self.first_delay * 2 ** (attempts - 1), self.max_delay)
        return timedelta(seconds=seconds)

    def span(self) -> timedelta:
        """How long after the first attempt the last one happens."""
        total = timedelta()
        for attempts in range(1, self.max_attempts):
            delay = self.next_delay(attempts)
            assert delay is not None
            total += delay
        return total
