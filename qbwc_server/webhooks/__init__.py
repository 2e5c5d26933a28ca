"""Signed webhooks: every change-feed entry POSTed to the endpoints that want it.

See ``docs/webhooks.md`` for the headers, the signature and how to verify it.
"""

from __future__ import annotations

from qbwc_server.webhooks.errors import (
    PrivateAddressError,
    SecretUnreadableError,
    WebhookUrlError,
)
from qbwc_server.webhooks.retry import RetryPolicy
from qbwc_server.webhooks.sender import HttpSender, Sender, SendResult
from qbwc_server.webhooks.service import WebhookService, check_url, payload
from qbwc_server.webhooks.signing import (
    ATTEMPT_HEADER,
    ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    new_secret,
    signature,
)
from qbwc_server.webhooks.views import DELIVERED, FAILED, PENDING, DeliveryView, EndpointView
from qbwc_server.webhooks.worker import WebhookWorker

__all__ = [
    "ATTEMPT_HEADER",
    "DELIVERED",
    "FAILED",
    "ID_HEADER",
    "PENDING",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "DeliveryView",
    "EndpointView",
    "HttpSender",
    "PrivateAddressError",
    "RetryPolicy",
    "SecretUnreadableError",
    "SendResult",
    "Sender",
    "WebhookService",
    "WebhookUrlError",
    "WebhookWorker",
    "check_url",
    "new_secret",
    "payload",
    "signature",
]
