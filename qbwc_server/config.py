"""Settings: code defaults, then an instance config file, then ``QBWC_*`` environment variables.

The result is parsed once into a frozen :class:`Settings`; nothing reads the
environment after that.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from qbwc_server.errors import ConfigError

ENV_PREFIX = "QBWC_"
DEFAULT_CONFIG_FILE = Path("var") / "qbwc.toml"


@attrs.frozen(kw_only=True)
class Settings:
    """Everything the server can be told.

    Attributes:
        database_url: SQLAlchemy URL; SQLite file under ``./var/`` by default.
        public_base_url: how the Web Connector reaches us; goes into ``.qwc`` files.
        app_name: prefix of the AppName shown in the Web Connector.
        session_expiry_seconds: a session silent this long has a dead ticket, even if no
            new session took its company over.
        session_takeover_seconds: a session silent this long is no longer live: the
            company's next authenticate ends it and starts a new one (below the shortest
            cadence, one minute, so a crashed Web Connector costs no scheduled run).
        max_body_bytes: SOAP requests above this size are refused.
        login_max_failures: bad passwords in a row before a user name is locked.
        login_lockout_seconds: how long that lock lasts.
        scrypt_n: scrypt cost for new password hashes (memory = 128 * 8 * n bytes).
        default_cadence_minutes: sync interval of new companies.
        webhooks_allow_private: let webhook endpoints be private, loopback or link-local
            addresses (off: only public ones, checked again after DNS when delivering).
        idempotency_keep_hours: how long an Idempotency-Key answer is replayed and kept.
        webhook_delivered_keep_days: how long a delivered webhook delivery stays in the log.
        webhook_failed_keep_days: how long a failed one does.
        session_keep_days: how long a finished Web Connector session (and the requests it
            finished) is kept.
        api_requests_per_minute: REST API requests one API key may make a minute (a token
            bucket per key and server process, bursts up to the same number); 0: no limit.
        secret_key: signs web sessions and encrypts stored secrets (webhook signing keys);
            at least 32 characters; the server refuses to start without one.
    """

    database_url: str = "sqlite:///var/qbwc.db"
    public_base_url: str = "http://localhost:8080"
    app_name: str = "qbwc-server"
    session_expiry_seconds: int = 900
    session_takeover_seconds: int = 45
    max_body_bytes: int = 64 * 1024 * 1024
    login_max_failures: int = 5
    login_lockout_seconds: int = 900
    scrypt_n: int = 2**15
    default_cadence_minutes: int = 5
    api_requests_per_minute: int = 600
    webhooks_allow_private: bool = False
    idempotency_keep_hours: int = 24
    webhook_delivered_keep_days: int = 30
    webhook_failed_keep_days: int = 90
    session_keep_days: int = 90
    secret_key: str = attrs.field(default="", repr=False)

    def __attrs_post_init__(self) -> None:
        check_public_base_url(self.public_base_url)
        if self.session_expiry_seconds < 60:
            raise ConfigError("session_expiry_seconds must be at least 60")
        if not 5 <= self.session_takeover_seconds <= self.session_expiry_seconds:
            raise ConfigError(
                "session_takeover_seconds must be between 5 and session_expiry_seconds"
            )
        if not 1 <= self.default_cadence_minutes <= 24 * 60:
            raise ConfigError("default_cadence_minutes must be between 1 and 1440")
        for name in ("idempotency_keep_hours", "webhook_delivered_keep_days",
                     "webhook_failed_keep_days", "session_keep_days"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.api_requests_per_minute < 0:
            raise ConfigError("api_requests_per_minute must be 0 (no limit) or more")
        if self.scrypt_n < 2**10 or self.scrypt_n & (self.scrypt_n - 1):
            raise ConfigError("scrypt_n must be a power of two, at least 1024")
        if self.secret_key and len(self.secret_key) < 32:
            raise ConfigError("secret_key must be at least 32 characters")

    def require_secret_key(self) -> str:
        """The secret key, or a clear refusal to run without one."""
        if not self.secret_key:
            raise ConfigError(
                "no secret_key: set QBWC_SECRET_KEY (or secret_key in the config file) to a "
                "random value of 32+ characters; `qbwc-server init` writes one into "
                "var/qbwc.toml"
            )
        return self.secret_key


def check_public_base_url(url: str) -> None:
    """Refuse URLs the Web Connector would refuse (QBWC1001, QBWC1010)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"public_base_url {url!r} is not an http(s) URL")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ConfigError(
            f"public_base_url {url!r} uses an IP address; the Web Connector needs a host name"
        )
    if parts.scheme != "https" and host != "localhost":
        raise ConfigError(
            f"public_base_url {url!r} must use https (only localhost may use http)"
        )


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build :class:`Settings` from defaults, a TOML file, ``QBWC_*`` variables and overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or Path(environ.get(ENV_PREFIX + "CONFIG", DEFAULT_CONFIG_FILE))
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    fields = {field.name: field for field in attrs.fields(Settings)}
    for name in fields:
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = raw
    values.update(overrides or {})
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(unknown)}")
    return Settings(**{name: _coerce(fields[name], value) for name, value in values.items()})


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _coerce(field: attrs.Attribute[Any], value: Any) -> Any:
    if field.type in ("bool", bool) and not isinstance(value, bool):
        text = str(value).strip().lower()
        if text not in _TRUE + _FALSE:
            raise ConfigError(f"{field.name} must be true or false (1/0), not {value!r}")
        return text in _TRUE
    if field.type in ("int", int) and not isinstance(value, int):
        try:
            return int(value)
        except ValueError as exc:
            raise ConfigError(f"{field.name} must be a whole number, not {value!r}") from exc
    if field.type in ("str", str) and not isinstance(value, str):
        raise ConfigError(f"{field.name} must be text, not {value!r}")
    return value
