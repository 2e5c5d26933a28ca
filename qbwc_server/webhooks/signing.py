"""Signing secrets: generated, signed with, and kept Fernet-encrypted at rest.

A delivery is signed with HMAC-SHA256 over ``timestamp + "." + body`` using the
endpoint's secret (the whole ``whsec_…`` string, UTF-8 encoded). The secret is
stored encrypted with a Fernet key derived from ``settings.secret_key`` by
HKDF-SHA256, so a database copy alone does not reveal it; changing
``secret_key`` makes stored secrets unreadable (rotate them afterwards).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from qbwc_server.webhooks.errors import SecretUnreadableError

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
ID_HEADER = "Qbwc-Webhook-Id"
TIMESTAMP_HEADER = "Qbwc-Webhook-Timestamp"
SIGNATURE_HEADER = "Qbwc-Webhook-Signature"
ATTEMPT_HEADER = "Qbwc-Webhook-Attempt"
_HKDF_INFO = b"qbwc-server webhook signing secrets v1"


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and 256 random bits, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Qbwc-Webhook-Signature`` value: ``v1=`` and the hex HMAC-SHA256."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def signed_headers(secret: str, delivery_id: int, timestamp: int, body: bytes,
                   attempt: int) -> dict[str, str]:
    """Every header a delivery carries."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "qbwc-server-webhooks/1",
        ID_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        ATTEMPT_HEADER: str(attempt),
    }


class SecretBox:
    """Encrypts and decrypts signing secrets with a key derived from the server's secret key.

    The key is derived on first use, so commands that never touch webhooks run
    without a secret key.
    """

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key
        self._fernet: Fernet | None = None

    def _box(self) -> Fernet:
        if self._fernet is None:
            key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=_HKDF_INFO).derive(self._secret_key.encode("utf-8"))
            self._fernet = Fernet(base64.urlsafe_b64encode(key))
        return self._fernet

    def encrypt(self, secret: str) -> str:
        return self._box().encrypt(secret.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._box().decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise SecretUnreadableError() from exc
