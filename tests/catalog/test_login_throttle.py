"""Login throttling: five free failures per name (twenty per address), then waits that double
from 30 s up to 15 minutes; a success starts the count again; old attempts are forgotten."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from catalog.login_throttle import (
    FIRST_WAIT,
    FREE_FAILURES,
    FREE_FAILURES_PER_ADDRESS,
    KEPT_FOR,
    WINDOW,
    check_attempt,
    record_attempt,
)
from catalog.models import LoginAttempt, utcnow
from catalog.store import Store

NOW = datetime(2025, 6, 2, 10, 0, tzinfo=utcnow().tzinfo)
ADDRESS = "192.0.2.10"


def _fail(
    store: Store, count: int, *, at: datetime, username: str = "anna", address: str = ADDRESS
) -> None:
    for _ in range(count):
        record_attempt(store, username, address, succeeded=False, now=at)


def test_the_first_failures_cost_nothing(store: Store) -> None:
    _fail(store, FREE_FAILURES - 1, at=NOW)

    assert check_attempt(store, "anna", ADDRESS, now=NOW).allowed


def test_after_five_failures_the_next_try_waits_thirty_seconds(store: Store) -> None:
    _fail(store, FREE_FAILURES, at=NOW)

    verdict = check_attempt(store, "anna", ADDRESS, now=NOW + timedelta(seconds=10))

    assert not verdict.allowed
    assert verdict.retry_after == 21  # 20 s left, rounded up
    assert check_attempt(store, "anna", ADDRESS, now=NOW + FIRST_WAIT).allowed


def test_each_further_failure_doubles_the_wait_up_to_fifteen_minutes(store: Store) -> None:
    waits = []
    for extra in range(8):
        _fail(store, FREE_FAILURES if extra == 0 else 1, at=NOW)
        waits.append(check_attempt(store, "anna", ADDRESS, now=NOW).retry_after)

    assert waits == [31, 61, 121, 241, 481, 901, 901, 901]


def test_a_flood_of_failures_waits_the_longest_and_does_not_overflow(store: Store) -> None:
    # Parallel requests can all pass the check before any failure is recorded; the count can
    # then grow far past what sequential tries allow, and 30 s * 2**n must still be computed.
    with store.transaction() as session:
        session.add_all(
            LoginAttempt(username="anna", remote_addr=ADDRESS, at=NOW, succeeded=False)
            for _ in range(200)
        )

    verdict = check_attempt(store, "anna", ADDRESS, now=NOW)

    assert verdict == type(verdict)(False, 901)


def test_names_are_counted_without_case_and_space(store: Store) -> None:
    _fail(store, FREE_FAILURES, at=NOW, username=" Anna ")

    assert not check_attempt(store, "ANNA", "198.51.100.1", now=NOW).allowed
    assert check_attempt(store, "emil", "198.51.100.1", now=NOW).allowed


def test_one_address_trying_many_names_is_slowed_down_too(store: Store) -> None:
    for number in range(FREE_FAILURES_PER_ADDRESS):
        _fail(store, 1, at=NOW, username=f"name{number}")

    assert not check_attempt(store, "someone-else", ADDRESS, now=NOW).allowed
    assert check_attempt(store, "someone-else", "198.51.100.1", now=NOW).allowed


def test_a_successful_login_starts_the_count_again(store: Store) -> None:
    _fail(store, FREE_FAILURES - 1, at=NOW)
    record_attempt(store, "anna", ADDRESS, succeeded=True, now=NOW + timedelta(seconds=1))
    _fail(store, FREE_FAILURES - 1, at=NOW + timedelta(seconds=2))

    assert check_attempt(store, "anna", ADDRESS, now=NOW + timedelta(seconds=3)).allowed


def test_failures_older_than_the_window_no_longer_count(store: Store) -> None:
    _fail(store, FREE_FAILURES + 3, at=NOW - WINDOW - timedelta(seconds=1))

    assert check_attempt(store, "anna", ADDRESS, now=NOW).allowed


def test_attempts_are_kept_for_a_day_only(store: Store) -> None:
    _fail(store, 3, at=NOW - KEPT_FOR - timedelta(minutes=1))

    record_attempt(store, "emil", ADDRESS, succeeded=True, now=NOW)

    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1


@pytest.mark.parametrize("succeeded", [True, False])
def test_every_attempt_is_recorded_under_the_folded_name(store: Store, succeeded: bool) -> None:
    record_attempt(store, "  Erika.Muster ", ADDRESS, succeeded=succeeded, now=NOW)

    with store.reading() as session:
        attempt = session.scalars(select(LoginAttempt)).one()
    assert (attempt.username, attempt.remote_addr, attempt.succeeded) == (
        "erika.muster",
        ADDRESS,
        succeeded,
    )
    assert attempt.at == NOW
