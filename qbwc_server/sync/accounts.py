"""The payment and deposit accounts, and the combination of them QuickBooks cannot work with.

A deposit (DepositAdd naming each payment's TxnID) moves payments out of Undeposited Funds
into the bank; QuickBooks deposits only a payment that sits in Undeposited Funds. So while a
company pushes deposits:

* the payment account must be Undeposited Funds (empty means QuickBooks' default, which is
  Undeposited Funds): a payment recorded straight into a bank account, or any other account,
  cannot be deposited, and every deposit would be refused;
* the deposit account cannot be Undeposited Funds (or, the same thing under the first rule,
  the payment account): the money would not move.

A company that does not push deposits may record payments straight into a bank account.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

#: QuickBooks' own name for the account, used until the chart of accounts is pulled.
UNDEPOSITED_FUNDS = "Undeposited Funds"


def undeposited_names(accounts: Iterable[Mapping[str, object]]) -> frozenset[str]:
    """Full names of the pulled accounts QuickBooks marks as Undeposited Funds."""
    return frozenset(str(data.get("path") or data.get("name") or "") for data in accounts
                     if data.get("is_undeposited_funds") is True)


def deposit_problem(payment_account: str, deposit_account: str, *, pushes_deposits: bool,
                    undeposited: Collection[str]) -> tuple[str, str] | None:
    """``(field, why)`` when these accounts make QuickBooks refuse every deposit; else None.

    Args:
        payment_account: Where payments go; "" is QuickBooks' default, Undeposited Funds.
        deposit_account: Where deposits go; "" is none chosen yet.
        pushes_deposits: Whether the company pushes deposits (the rules apply only then).
        undeposited: Full names of the accounts known to be Undeposited Funds; empty before
            the chart of accounts is pulled (QuickBooks' default name counts then).
    """
    if not pushes_deposits:
        return None
    names = {name.casefold() for name in (undeposited or (UNDEPOSITED_FUNDS,))}

    def is_undeposited(name: str) -> bool:
        return name.casefold() in names

    if payment_account and not is_undeposited(payment_account):
        return "payment_account", (
            f"Payments must go to Undeposited Funds while deposits are pushed: a deposit "
            f"moves payments out of Undeposited Funds into the bank, and QuickBooks refuses "
            f"to deposit a payment recorded in “{payment_account}”, so every deposit would "
            f"fail. Leave the payment account empty (Undeposited Funds), or set deposits to "
            f"off if payments go straight to the bank.")
    # The payment account is Undeposited Funds by now, so this also refuses the two equal.
    if deposit_account and is_undeposited(deposit_account):
        return "deposit_account", (
            f"The deposit account cannot be “{deposit_account}”, the account payments wait "
            f"in: a deposit moves payments out of Undeposited Funds into another account, so "
            f"QuickBooks would refuse every deposit. Choose the bank account the payouts "
            f"arrive in.")
    return None
