"""The per-name lockout in the store, to the second and under real concurrency: at most
``MAX`` checks of one name run per window, the check that reaches it locks the name for
``LOCKOUT`` seconds, and a right password starts the count again."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from qbwc_server.clock import FakeClock
from qbwc_server.store import throttle
from qbwc_server.store.database import Database, make_engine
from qbwc_server.store.models import LoginThrottle
from qbwc_server.store.throttle import Scope

MAX, LOCKOUT = 5, 900


def reserve(db: Database, clock: FakeClock, name: str = "root",
            scope: Scope = Scope.ADMIN) -> bool:
    with db.transaction() as session:
        return throttle.reserve(session, scope, name, clock.now(), max_failures=MAX,
                                lockout_seconds=LOCKOUT)


def reserve_times(db: Database, clock: FakeClock, times: int, **kwargs: object) -> list[bool]:
    return [reserve(db, clock, **kwargs) for _ in range(times)]  # type: ignore[arg-type]


def clear(db: Database, name: str = "root", scope: Scope = Scope.ADMIN) -> None:
    with db.transaction() as session:
        throttle.clear(session, scope, name)


def rows(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(LoginThrottle)) or 0


def test_max_checks_run_then_the_name_is_refused(db: Database, clock: FakeClock) -> None:
    assert reserve_times(db, clock, MAX + 1) == [True] * MAX + [False]


def test_the_lock_lasts_exactly_its_length_from_the_last_allowed_check(
    db: Database, clock: FakeClock
) -> None:
    reserve_times(db, clock, MAX - 1)
    clock.advance(100)
    assert reserve(db, clock)  # the check that reaches the limit: the lock starts here
    clock.advance(LOCKOUT - 1)
    assert not reserve(db, clock)
    clock.advance(1)
    assert reserve_times(db, clock, MAX + 1) == [True] * MAX + [False]  # a fresh count


def test_checks_within_the_window_add_up(db: Database, clock: FakeClock) -> None:
    reserve_times(db, clock, MAX - 1)
    clock.advance(LOCKOUT)  # the last second of the window
    assert reserve_times(db, clock, 2) == [True, False]


def test_checks_after_the_window_start_a_new_count(db: Database, clock: FakeClock) -> None:
    reserve_times(db, clock, MAX - 1)
    clock.advance(LOCKOUT + 1)
    assert reserve_times(db, clock, MAX + 1) == [True] * MAX + [False]


def test_a_right_password_starts_the_count_again(db: Database, clock: FakeClock) -> None:
    reserve_times(db, clock, MAX - 1)
    clear(db)
    assert reserve_times(db, clock, MAX + 1) == [True] * MAX + [False]


def test_a_right_password_ends_a_lock(db: Database, clock: FakeClock) -> None:
    # The check that reached the limit was the right one.
    reserve_times(db, clock, MAX)
    clear(db)
    assert reserve(db, clock)


@pytest.mark.parametrize("name", ["Root", " root ", "ROOT"])
def test_case_and_spaces_do_not_make_a_new_name(db: Database, clock: FakeClock,
                                                name: str) -> None:
    reserve_times(db, clock, MAX)
    assert not reserve(db, clock, name=name)


def test_each_scope_counts_apart_and_a_prefix_forges_none(db: Database, clock: FakeClock) -> None:
    # Five Web Connector failures for "admin:root" once locked the web admin "root".
    reserve_times(db, clock, MAX, name="admin:root", scope=Scope.WEB_CONNECTOR)
    reserve_times(db, clock, MAX, name="root", scope=Scope.WEB_CONNECTOR)
    assert reserve(db, clock, name="root", scope=Scope.ADMIN)
    assert reserve(db, clock, name="root", scope=Scope.PARTNER)
    assert not reserve(db, clock, name="root", scope=Scope.WEB_CONNECTOR)


def test_names_are_stored_as_digests(db: Database, clock: FakeClock) -> None:
    typed = "my-Secret-password-in-the-name-field"
    reserve(db, clock, name=typed)
    with db.transaction() as session:
        stored = session.scalars(select(LoginThrottle.name_digest)).all()
    assert len(stored) == 1
    assert typed.lower() not in stored[0]
    assert len(stored[0]) == 64


def prune(db: Database, clock: FakeClock) -> int:
    with db.transaction() as session:
        return throttle.prune(session, clock.now())


def test_prune_removes_only_rows_that_no_longer_matter(db: Database, clock: FakeClock) -> None:
    reserve_times(db, clock, MAX, name="locked")  # locked until now + LOCKOUT
    clock.advance(LOCKOUT // 2)
    reserve(db, clock, name="recent")  # its window ends LOCKOUT / 2 after the lock
    clock.advance(LOCKOUT // 2)
    assert prune(db, clock) == 0
    clock.advance(1)
    assert prune(db, clock) == 1
    assert rows(db) == 1
    clock.advance(LOCKOUT // 2 - 1)
    assert prune(db, clock) == 0
    clock.advance(1)
    assert prune(db, clock) == 1
    assert rows(db) == 0


def test_pruning_keeps_the_last_second_of_a_window(db: Database, clock: FakeClock) -> None:
    reserve_times(db, clock, MAX - 1)
    clock.advance(LOCKOUT)
    prune(db, clock)
    assert reserve_times(db, clock, 2) == [True, False]


@pytest.fixture
def engines(database_url: str) -> Iterator[list[Database]]:
    """One engine per thread, as separate server processes would have."""
    found = [Database(make_engine(database_url)) for _ in range(8)]
    yield found
    for db in found:
        db.engine.dispose()


def test_parallel_checks_of_one_name_get_exactly_max(
    engines: list[Database], clock: FakeClock
) -> None:
    # 32 at once once got 12-19 checks (and an IntegrityError on SQLite).
    start = threading.Barrier(32)
    allowed: list[bool] = []
    errors: list[BaseException] = []

    def attempt(db: Database) -> None:
        start.wait()
        try:
            allowed.append(reserve(db, clock))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(engines[i % len(engines)],))
               for i in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(allowed) == [False] * (32 - MAX) + [True] * MAX
