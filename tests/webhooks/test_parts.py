"""The pure parts: backoff, signature, secret box, URL rules, the HTTP sender, the public API."""

from __future__ import annotations

import hashlib
import hmac
import socket
from datetime import timedelta

import pytest

import qbwc_server.webhooks as webhooks
from qbwc_server.webhooks import (
    HttpSender,
    RetryPolicy,
    SecretUnreadableError,
    WebhookUrlError,
    check_url,
    new_secret,
    signature,
)
from qbwc_server.webhooks.signing import SecretBox


@pytest.mark.parametrize(("attempts", "seconds"), [
    (1, 10),        # first retry 10 s after the first attempt
    (2, 20),
    (3, 40),
    (9, 2560),      # the last doubling under an hour
    (10, 3600),     # capped at one hour
    (29, 3600),     # the 30th attempt still comes
    (30, None),     # 30 attempts: give up
])
def test_backoff_doubles_up_to_an_hour_then_gives_up(attempts: int, seconds: int | None) -> None:
    delay = RetryPolicy().next_delay(attempts)
    assert delay == (None if seconds is None else timedelta(seconds=seconds))


def test_the_default_policy_keeps_trying_for_most_of_a_day() -> None:
    span = RetryPolicy().span()
    assert timedelta(hours=20) < span < timedelta(hours=24)


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"id":1}'
    expected = hmac.new(b"whsec_k", b"1767625200." + body, hashlib.sha256).hexdigest()
    assert signature("whsec_k", 1767625200, body) == f"v1={expected}"


def test_secrets_are_random_and_prefixed() -> None:
    one, two = new_secret(), new_secret()
    assert one != two
    assert one.startswith("whsec_")
    assert len(one) > 40


def test_the_secret_box_needs_the_same_secret_key() -> None:
    token = SecretBox("k" * 40).encrypt("whsec_abc")
    assert "whsec_abc" not in token
    assert SecretBox("k" * 40).decrypt(token) == "whsec_abc"
    with pytest.raises(SecretUnreadableError):
        SecretBox("other" * 8).decrypt(token)


@pytest.mark.parametrize("url", [
    "https://platform.example.com/hooks/qb",      # the normal case
    "https://hooks.example.com:8443/x?tenant=7",  # port and query are fine
    "http://localhost:8000/hook",                 # development
    "http://127.0.0.1:5000/hook",
    "http://[::1]:5000/hook",
])
def test_accepted_urls(url: str) -> None:
    assert check_url(f"  {url} ", allow_private=True) == url


@pytest.mark.parametrize("url", [
    "https://platform.example.com/hooks/qb",      # a name: checked after DNS, when delivering
    "https://8.8.8.8/hook",                       # a public address
    "https://[2001:4860:4860::8888]/hook",
])
def test_public_urls_need_no_permission(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize("url", [
    "http://platform.example.com/hook",           # http only for localhost
    "http://10.0.0.5/hook",
    "ftp://localhost/hook",                       # not http(s)
    "https:///nohost",
    "not a url",
    "https://user:pw@example.com/hook",           # credentials would be stored in clear
    "https://example.com/hook#frag",
    "https://example.com:99999/hook",             # bad port
    "https://example.com/" + "x" * 2000,          # longer than the column
])
def test_refused_urls(url: str) -> None:
    with pytest.raises(WebhookUrlError):
        check_url(url)


def test_a_connection_error_is_a_result_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = HttpSender(timeout=2, allow_private=True)(f"http://127.0.0.1:{port}/hook", b"{}",
                                                       {})
    assert result.status is None
    assert not result.ok
    assert result.error is not None
    assert "Connection" in result.error


def test_public_api_is_listed_and_sorted() -> None:
    names = [name for name in dir(webhooks) if not name.startswith("_")
             and name not in {"addresses", "annotations", "errors", "queue", "retry", "sender",
                              "service", "signing", "views", "worker"}]
    assert sorted(webhooks.__all__) == sorted(names)
    assert webhooks.__all__ == sorted(webhooks.__all__, key=lambda n: (not n.isupper(), n))
