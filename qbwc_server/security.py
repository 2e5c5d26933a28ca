"""Passwords, tickets and secret comparison.

Passwords are hashed with scrypt (memory-hard) from ``cryptography``; the cost
parameters travel inside the stored hash so they can be raised later without
breaking old hashes. Tickets are 128-bit random values from :mod:`secrets`;
only their SHA-256 digest is stored, so a database leak does not hand out live
sessions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

DEFAULT_SCRYPT_N = 2**15  # 32 MiB of memory per hash with r=8
_R = 8
_P = 1
_KEY_LEN = 32
_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 24) -> str:
    """A random password from letters and digits (easy to paste into the Web Connector)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def hash_password(password: str, *, n: int = DEFAULT_SCRYPT_N) -> str:
    """Hash ``password`` as ``scrypt$N$r$p$salt$key`` (base64 parts)."""
    salt = secrets.token_bytes(16)
    key = Scrypt(salt=salt, length=_KEY_LEN, n=n, r=_R, p=_P).derive(password.encode("utf-8"))
    return "$".join(
        ["scrypt", str(n), str(_R), str(_P), _b64(salt), _b64(key)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Check ``password`` against a stored hash in constant time."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        kdf = Scrypt(salt=_unb64(salt), length=_KEY_LEN, n=int(n), r=int(r), p=int(p))
        kdf.verify(password.encode("utf-8"), _unb64(key))
    except (ValueError, InvalidKey):
        return False
    return True


def new_ticket() -> str:
    """A session ticket: 128 random bits as 32 hex characters."""
    return secrets.token_hex(16)


def ticket_digest(ticket: str) -> str:
    """What the store keeps of a ticket."""
    return hashlib.sha256(ticket.encode("utf-8")).hexdigest()


def same_secret(a: str, b: str) -> bool:
    """Compare two secrets without leaking where they differ."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def fingerprint(secret: str) -> str:
    """A short, non-reversible label for a secret, safe to log."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:8]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
