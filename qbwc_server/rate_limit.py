"""Token buckets: at most ``per_minute`` events a minute, in bursts of up to that many.

Kept in memory: they bound the work of this process (a password hash costs tens of
milliseconds of CPU), so a restart that refills them costs nothing worth defending.
"""

from __future__ import annotations

import ipaddress
import threading
from collections import OrderedDict
from datetime import datetime

MAX_CLIENTS = 10_000
"""Client addresses remembered at most; the least recently seen are forgotten first (a
forgotten client starts with a full bucket, and the global bucket still holds)."""


class TokenBucket:
    """Holds up to ``per_minute`` tokens and gains ``per_minute`` a minute; each event takes one."""

    def __init__(self, per_minute: int, now: datetime) -> None:
        self._capacity = float(per_minute)
        self._tokens = float(per_minute)
        self._at = now

    def take(self, now: datetime) -> bool:
        """Take a token if there is one."""
        # A clock that steps back refills nothing rather than draining the bucket.
        elapsed = max((now - self._at).total_seconds(), 0.0)
        self._tokens = min(self._capacity, self._tokens + elapsed * self._capacity / 60)
        self._at = max(now, self._at)
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class ClientBuckets:
    """One bucket per client address and one for everybody; an event needs a token of both.

    Thread-safe: the web server runs requests on several threads.
    """

    def __init__(self, *, per_client_per_minute: int, per_minute: int, now: datetime) -> None:
        self._per_client = per_client_per_minute
        self._everyone = TokenBucket(per_minute, now)
        self._clients: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str | None, now: datetime) -> bool:
        """Whether ``client`` (an IP address, or None when unknown) may go ahead now."""
        key = client_key(client)
        with self._lock:
            bucket = self._clients.pop(key, None) or TokenBucket(self._per_client, now)
            self._clients[key] = bucket  # most recently seen last
            while len(self._clients) > MAX_CLIENTS:
                self._clients.popitem(last=False)
            # The client's own bucket first: one noisy client must not drain everybody's.
            return bucket.take(now) and self._everyone.take(now)


def client_key(address: str | None) -> str:
    """Who a client is for counting: its IPv4 address, or its IPv6 /64 (one subscriber's
    network: every address in it is as easy to use as the next)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
