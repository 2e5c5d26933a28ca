"""Errors of the webhook package.

::

    QbwcError (qbwc_server.errors)
    ├── InvalidInputError
    │   └── WebhookUrlError        the endpoint URL is not acceptable (fix the URL)
    │       └── PrivateAddressError    it names a private or loopback address (or allow those)
    └── SecretUnreadableError      a stored signing secret cannot be decrypted (rotate it)

Each class's docstring is its default message.
"""

from __future__ import annotations

from qbwc_server.errors import InvalidInputError, QbwcError


class WebhookUrlError(InvalidInputError):
    """A webhook URL must be https:// (http:// only for localhost)."""


class PrivateAddressError(WebhookUrlError):
    """The webhook URL names a private, loopback or other non-public address; set
    QBWC_WEBHOOKS_ALLOW_PRIVATE=1 to allow those (development, a private network)."""

    def __init__(self, message: str | None = None) -> None:
        hint = ("webhooks go to public addresses only; set QBWC_WEBHOOKS_ALLOW_PRIVATE=1 to "
                "allow private and loopback ones")
        super().__init__(f"{message}: {hint}" if message else None)


class SecretUnreadableError(QbwcError):
    """The endpoint's signing secret cannot be decrypted (was secret_key changed?); rotate it."""
