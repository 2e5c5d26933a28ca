"""The partner settings form: account choices and validation, all fields before any save.

The pages validate every field, show each message next to its field, and only then make a
single :meth:`SyncService.configure` call, so a form is never half-saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from qbwc_server.sync.accounts import deposit_problem
from qbwc_server.sync.profile import DIRECTIONS, KINDS

#: Shown first in both account lists: where money sits (seed 003: "a bank account for
#: deposits", "Undeposited Funds as the account for payments").
MONEY_KINDS = ("bank", "other_current_asset")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KIND_LABELS = {
    "account": "Accounts (chart of accounts)",
    "item": "Items (products and services)",
    "customer": "Customers",
    "invoice": "Invoices",
    "payment": "Payments",
    "deposit": "Deposits",
    "estimate": "Estimates",
    "credit_memo": "Credit memos",
}
DIRECTION_LABELS = {
    "pull": "QuickBooks → platform",
    "push": "platform → QuickBooks",
    "both": "both ways",
    "off": "off",
}


@attrs.frozen(kw_only=True)
class AccountChoice:
    """One account pulled from QuickBooks, as the form offers it."""

    value: str  # the full name (``Parent:Child``): what the push steps send as the reference
    name: str
    kind: str
    number: str | None
    is_active: bool
    is_undeposited_funds: bool

    @property
    def label(self) -> str:
        kind = self.kind.replace("_", " ")
        number = f"{self.number} · " if self.number else ""
        return f"{number}{self.value} ({kind})"

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> AccountChoice:
        name = str(data.get("name") or "")
        number = data.get("number")
        return cls(value=str(data.get("path") or name), name=name,
                   kind=str(data.get("kind") or "unknown"),
                   number=str(number) if number else None,
                   is_active=data.get("is_active") is not False,
                   is_undeposited_funds=data.get("is_undeposited_funds") is True)


def offered(accounts: Iterable[AccountChoice]) -> list[AccountChoice]:
    """Active accounts, bank and other-current-asset first, then the rest, by name."""
    return sorted((a for a in accounts if a.is_active),
                  key=lambda a: (a.kind not in MONEY_KINDS, MONEY_KINDS.index(a.kind)
                                 if a.kind in MONEY_KINDS else 0, a.value.lower()))


@attrs.frozen(kw_only=True)
class SettingsChange:
    """What a valid form asks :meth:`SyncService.configure` to store."""

    payment_account: str  # "" = QuickBooks' Undeposited Funds (the default)
    deposit_account: str  # "" = none chosen yet
    sync_after: str  # "" = the last 12 months
    directions: dict[str, str]


def validate_settings(
    form: Mapping[str, str], accounts: Iterable[AccountChoice], *, today: date
) -> tuple[SettingsChange | None, dict[str, str]]:
    """The change a form asks for, or None and a message per field."""
    known = {a.value: a for a in accounts}
    errors: dict[str, str] = {}
    chosen: dict[str, str] = {}
    for field in ("payment_account", "deposit_account"):
        value = form.get(field, "").strip()
        message = account_problem(value, known)
        if message:
            errors[field] = message
        chosen[field] = value
    payment = known.get(chosen["payment_account"])
    if payment is not None and payment.is_undeposited_funds:
        chosen["payment_account"] = ""  # the default, stored as such
    if not errors:
        errors.update(deposit_rule({**form, **chosen}, known))
    sync_after = form.get("sync_after", "").strip()
    if sync_after:
        try:
            if not _DATE_RE.match(sync_after):
                raise ValueError(sync_after)
            day = date.fromisoformat(sync_after)
        except ValueError:
            errors["sync_after"] = "Enter a date as YYYY-MM-DD, for example 2025-01-31."
        else:
            if day > today:
                errors["sync_after"] = "Choose a date that is not in the future."
            elif day.year < 1990:
                errors["sync_after"] = "Choose a date after 1990."
    directions: dict[str, str] = {}
    for kind in KINDS:
        value = form.get(f"direction_{kind}", "")
        if value not in DIRECTIONS:
            errors[f"direction_{kind}"] = "Choose one of: " + ", ".join(DIRECTIONS) + "."
        directions[kind] = value
    if errors:
        return None, errors
    return SettingsChange(payment_account=chosen["payment_account"],
                          deposit_account=chosen["deposit_account"], sync_after=sync_after,
                          directions=directions), {}


def deposit_rule(form: Mapping[str, str], known: Mapping[str, AccountChoice]) -> dict[str, str]:
    """The account field to fix, and why, when the form's accounts and deposit direction
    make QuickBooks refuse every deposit (the rule: :mod:`qbwc_server.sync.accounts`)."""
    problem = deposit_problem(
        form.get("payment_account", ""), form.get("deposit_account", ""),
        pushes_deposits=form.get("direction_deposit") in ("push", "both"),
        undeposited={a.value for a in known.values() if a.is_undeposited_funds})
    return dict([problem]) if problem else {}


def account_problem(value: str, known: Mapping[str, AccountChoice]) -> str | None:
    """Why a stored or chosen account cannot be used, in words; None when it can."""
    return choice_problem(value, known, "account")


def choice_problem(value: str, known: Mapping[str, Any], noun: str) -> str | None:
    """Why a stored or chosen QuickBooks ``noun`` (account, item) cannot be used; None when
    it can. ``known`` holds what was pulled from QuickBooks, by name, with ``is_active``."""
    if not value:
        return None
    choice = known.get(value)
    if choice is None:
        if not known:
            return (f"The {noun} list appears after the first Web Connector run; "
                    "leave this empty until then.")
        return f"“{value}” no longer exists in QuickBooks; choose another {noun}."
    if not choice.is_active:
        return f"“{value}” is inactive in QuickBooks; choose another {noun}."
    return None
