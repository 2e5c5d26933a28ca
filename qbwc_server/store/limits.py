"""What fits in a column: lengths read from the models, so the edges cannot drift from them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String


def max_length(column: Any) -> int:
    """The length of a ``String(n)`` model attribute, e.g. ``max_length(Company.name)``."""
    kind = column.property.columns[0].type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} is not a String column with a length")
    return int(kind.length)


def fit(value: str | None, column: Any) -> str | None:
    """``value`` cut to what ``column`` holds (for text that is only informative)."""
    return None if value is None else value[:max_length(column)]
