"""Errors of the webhook package.

::

    QbwcError (qbwc_server.errors)
    ├── InvalidInputError
    │   └── WebhookUrlError        the endpoint URL is not acceptable (fix the URL)
    └── SecretUnreadableError      a stored signing secret cannot be decrypted (rotate it)

Each class's docstring is its default message.
"""

from __future__ import annotations

from qbwc_server.errors import InvalidInputError, QbwcError


class WebhookUrlError(InvalidInputError):
    """A webhook URL must be https:// (http:// only for localhost)."""


class SecretUnreadableError(QbwcError):
    """The endpoint's signing secret cannot be decrypted (was secret_key changed?); rotate it."""
