"""Whole numbers from untrusted text: ASCII digits only, of bounded length.

``str.isdigit()`` is true for ``"²"``, which ``int()`` refuses; ``int()`` accepts ``"٣"``,
``" 7 "`` and ``"1_000"``, and refuses more than 4,300 digits after spending quadratic time
on them. Every number a client, a form, a query string or QuickBooks sends goes through
:func:`whole_number` instead.
"""

from __future__ import annotations

__all__ = ["whole_number"]


def whole_number(text: str, *, maximum: int) -> int | None:
    """``text`` as a whole number from 0 to ``maximum``, or None if it is anything else.

    Args:
        text: the text as received (no sign, no spaces, no underscores).
        maximum: the largest value accepted; it also bounds how many digits are read.
    """
    if not 0 < len(text) <= len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None
