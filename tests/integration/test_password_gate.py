"""What a password check may cost: the buckets in front of scrypt, per client address and in
all, the same price for unknown names, and a throttle table that does not grow forever."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from sqlalchemy import func, select

from qbwc_server.clock import FakeClock
from qbwc_server.config import Settings
from qbwc_server.errors import ConfigError
from qbwc_server.password_gate import PRUNE_EVERY, PasswordGate
from qbwc_server.rate_limit import client_key
from qbwc_server.security import hash_password
from qbwc_server.store.database import Database
from qbwc_server.store.models import LoginThrottle
from qbwc_server.store.throttle import Scope

PER_CLIENT, IN_ALL = 4, 10
PASSWORD = "right-password-1234"


@pytest.fixture
def gate(db: Database, settings: Settings, clock: FakeClock) -> PasswordGate:
    return PasswordGate(db, attrs.evolve(settings, login_checks_per_client_per_minute=PER_CLIENT,
                                         login_checks_per_minute=IN_ALL), clock)


@pytest.fixture
def stored() -> str:
    return hash_password(PASSWORD, n=1024)


Attempt = Callable[..., bool]


@pytest.fixture
def attempt(gate: PasswordGate, stored: str) -> Attempt:
    def run(name: str, client: str | None = "192.0.2.1", password: str = "wrong",
            known: bool = False) -> bool:
        return gate.check(Scope.WEB_CONNECTOR, name, password, stored if known else None,
                          client=client)
    return run


def test_one_address_gets_its_bucket_then_nothing_reaches_scrypt(
    attempt: Attempt, scrypt_runs: list[str]
) -> None:
    # Fresh user names each time: the per-name lockout never sees a repeat.
    for n in range(PER_CLIENT):
        attempt(f"fresh-{n}")
    assert len(scrypt_runs) == PER_CLIENT
    assert not attempt("fresh-x", password=PASSWORD, known=True)  # even the right password
    assert len(scrypt_runs) == PER_CLIENT
    assert attempt("real", client="192.0.2.2", password=PASSWORD, known=True)  # others go on


def test_the_bucket_refills_over_a_minute(attempt: Attempt, scrypt_runs: list[str],
                                          clock: FakeClock) -> None:
    for n in range(PER_CLIENT):
        attempt(f"fresh-{n}")
    clock.advance(60 / PER_CLIENT - 0.01)
    assert not attempt("real", password=PASSWORD, known=True)
    clock.advance(0.01)
    assert attempt("real", password=PASSWORD, known=True)
    assert len(scrypt_runs) == PER_CLIENT + 1


def test_many_addresses_share_one_bucket_in_all(attempt: Attempt, scrypt_runs: list[str]) -> None:
    for n in range(IN_ALL + 5):
        attempt(f"fresh-{n}", client=f"198.51.100.{n}")
    assert len(scrypt_runs) == IN_ALL


@pytest.mark.parametrize(("address", "key"), [
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),  # one subscriber's IPv6 network
    ("::ffff:192.0.2.7", "192.0.2.7"),  # IPv4 written as IPv6
    ("192.0.2.7", "192.0.2.7"),
    (None, "unknown"),
    ("not an address", "unknown"),
])
def test_what_counts_as_one_client(address: str | None, key: str) -> None:
    assert client_key(address) == key


def test_addresses_in_one_ipv6_network_share_a_bucket(attempt: Attempt,
                                                      scrypt_runs: list[str]) -> None:
    for n in range(PER_CLIENT + 3):
        attempt(f"fresh-{n}", client=f"2001:db8::{n + 1:x}")
    assert len(scrypt_runs) == PER_CLIENT


def test_an_unknown_name_costs_one_scrypt_like_a_known_one(
    attempt: Attempt, scrypt_runs: list[str], stored: str, settings: Settings
) -> None:
    attempt("nobody")
    attempt("somebody", known=True)
    assert len(scrypt_runs) == 2
    dummy_cost, real_cost = (int(h.split("$")[1]) for h in scrypt_runs)
    assert dummy_cost == real_cost == settings.scrypt_n


def test_a_locked_name_reaches_no_scrypt(
    db: Database, settings: Settings, clock: FakeClock, scrypt_runs: list[str], stored: str
) -> None:
    gate = PasswordGate(db, settings, clock)
    for _ in range(settings.login_max_failures + 3):
        gate.check(Scope.ADMIN, "root", "wrong", stored, client="192.0.2.1")
    assert len(scrypt_runs) == settings.login_max_failures


def test_the_throttle_table_keeps_only_rows_that_matter(
    db: Database, settings: Settings, clock: FakeClock
) -> None:
    # Fresh names, one row each, from many addresses: rows once grew forever.
    gate = PasswordGate(db, attrs.evolve(settings, login_checks_per_client_per_minute=1000,
                                         login_checks_per_minute=1000), clock)
    for n in range(50):
        gate.check(Scope.WEB_CONNECTOR, f"fresh-{n}", "x", None, client=f"10.0.{n}.1")
    assert _throttle_rows(db) == 50
    clock.advance(settings.login_lockout_seconds + PRUNE_EVERY.total_seconds())
    gate.check(Scope.WEB_CONNECTOR, "one-more", "x", None, client="10.1.0.1")
    assert _throttle_rows(db) == 1


def _throttle_rows(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(LoginThrottle)) or 0


@pytest.mark.parametrize("setting", ["login_max_failures", "login_lockout_seconds",
                                     "login_checks_per_client_per_minute",
                                     "login_checks_per_minute"])
def test_a_limit_of_nothing_is_refused_at_start(settings: Settings, setting: str) -> None:
    with pytest.raises(ConfigError, match=f"{setting} must be at least 1"):
        attrs.evolve(settings, **{setting: 0})
