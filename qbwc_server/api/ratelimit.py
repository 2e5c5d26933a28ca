"""A token bucket per API key: ``per_minute`` requests a minute, in bursts of up to as many.

Each key's bucket holds at most ``per_minute`` tokens and refills continuously at
``per_minute / 60`` tokens a second; a request takes one. The buckets live in the memory of
the server process: ``qbwc-server serve`` is one process (with threads), so there the limit
is exact. Behind several processes each keeps its own buckets, and a key may make up to
that many times the limit; this is documented in docs/api.md.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime

import attrs

from qbwc_server.clock import Clock


@attrs.define
class _Bucket:
    tokens: float
    stamp: datetime


class RateLimiter:
    """Per-key token buckets; ``per_minute`` 0 means no limit."""

    def __init__(self, per_minute: int, clock: Clock) -> None:
        self._capacity = float(per_minute)
        self._per_second = per_minute / 60
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key_id: int) -> int | None:
        """Take a token for ``key_id``: None when the request may go ahead, or else how many
        whole seconds until a token is there (for ``Retry-After``)."""
        if self._capacity <= 0:
            return None
        now = self._clock.now()
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                bucket = self._buckets[key_id] = _Bucket(self._capacity, now)
            elapsed = max((now - bucket.stamp).total_seconds(), 0.0)
            bucket.tokens = min(self._capacity, bucket.tokens + elapsed * self._per_second)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return None
            return max(1, math.ceil((1 - bucket.tokens) / self._per_second))
