"""When a write QuickBooks could not take is tried again, and when it gives up.

One policy for every write, whether the sync engine made it or someone queued it by hand:

* **Refused for now** (status action ``RETRY``: a lock 3170/3175/3176, a 3180 whose message
  says the element is in use, 3231 "not processed", 1010 QuickBooks unavailable): tried
  again after 1, 2, 4, 8 and 16 minutes; the sixth refusal, about half an hour after the
  first, is final and the write fails with QuickBooks' words.
* **Waiting** for another record (its customer, its invoice, its payments): looked at again
  when that record is written, and at the latest every :data:`WAIT`. The wait is counted
  from when it *began*, never from the last resend, and ends in ``failed`` once it has lasted
  :data:`MAX_WAIT`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: The sixth refusal in a row is final.
MAX_ATTEMPTS = 6
#: The pause after the first refusal; each further refusal doubles it.
FIRST_PAUSE = timedelta(minutes=1)
#: A waiting record looks again after this, even if nothing it waits for has changed...
WAIT = timedelta(minutes=5)
#: ... and gives up once it has waited this long.
MAX_WAIT = timedelta(hours=24)


def pause_after(refusals: int) -> timedelta | None:
    """How long to wait after the ``refusals``-th refusal in a row; None: give up."""
    if refusals >= MAX_ATTEMPTS:
        return None
    return FIRST_PAUSE * 2 ** (refusals - 1)


def waited_too_long(since: datetime, now: datetime) -> bool:
    """Whether a wait that began at ``since`` has reached :data:`MAX_WAIT`."""
    return now - since >= MAX_WAIT
