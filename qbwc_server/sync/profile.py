"""Which record types flow which way, per company (defaults: the payments-platform profile)."""

from __future__ import annotations

import json
from typing import Literal

KINDS = ("account", "item", "customer", "invoice", "payment", "deposit", "estimate", "credit_memo")
Direction = Literal["pull", "push", "both", "off"]
DIRECTIONS: tuple[Direction, ...] = ("pull", "push", "both", "off")

# PRODUCT.md, "Core sync behaviours": customers and invoices come from QuickBooks, payments
# and deposits go to it; accounts and items are pulled for the settings page and for mapping.
DEFAULT_DIRECTIONS: dict[str, Direction] = {
    "account": "pull",
    "item": "pull",
    "customer": "pull",
    "invoice": "pull",
    "payment": "push",
    "deposit": "push",
    "estimate": "off",
    "credit_memo": "off",
}


def pulls(directions: dict[str, Direction], kind: str) -> bool:
    return directions.get(kind, "off") in ("pull", "both")


def pushes(directions: dict[str, Direction], kind: str) -> bool:
    return directions.get(kind, "off") in ("push", "both")


def parse_directions(text: str | None) -> dict[str, Direction]:
    """Stored JSON over the defaults; unknown kinds and values are ignored."""
    merged = dict(DEFAULT_DIRECTIONS)
    for kind, value in (json.loads(text) if text else {}).items():
        if kind in DEFAULT_DIRECTIONS and value in DIRECTIONS:
            merged[kind] = value
    return merged
