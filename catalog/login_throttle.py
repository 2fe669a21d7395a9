"""Slowing down password guessing: after a few failures, each further try waits longer.

Counted per user name and per address in the database, so every web worker sees the same
attempts. The wait doubles with each failure past the first five (30 s, 60 s, ... up to
15 minutes); a successful login starts the count again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select

from catalog.models import LoginAttempt, utcnow
from catalog.store import Store

FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
WINDOW = timedelta(hours=1)
# One address may try many names (a guesser does), so it gets more room than one name.
FREE_FAILURES_PER_ADDRESS = 20
KEPT_FOR = timedelta(days=1)
_DOUBLINGS_TO_LONGEST = math.ceil(math.log2(LONGEST_WAIT / FIRST_WAIT))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds


def check_attempt(
    store: Store, username: str, remote_addr: str, now: datetime | None = None
) -> Verdict:
    """Whether a login try may be checked now, before the password is looked at."""
    now = now or utcnow()
    waits = [
        _wait(store, LoginAttempt.username == _key(username), FREE_FAILURES, now),
        _wait(store, LoginAttempt.remote_addr == remote_addr, FREE_FAILURES_PER_ADDRESS, now),
    ]
    longest = max(waits)
    if longest <= timedelta(0):
        return Verdict(True)
    return Verdict(False, int(longest.total_seconds()) + 1)


def record_attempt(
    store: Store, username: str, remote_addr: str, succeeded: bool, now: datetime | None = None
) -> None:
    now = now or utcnow()
    with store.transaction() as session:
        session.add(
            LoginAttempt(
                username=_key(username), remote_addr=remote_addr, at=now, succeeded=succeeded
            )
        )
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEPT_FOR))


def _wait(store: Store, who: ColumnElement[bool], free: int, now: datetime) -> timedelta:
    """How much longer this name or address must wait; zero or less means not at all."""
    with store.reading() as session:
        last_success = session.scalar(
            select(func.max(LoginAttempt.at)).where(who, LoginAttempt.succeeded.is_(True))
        )
        since = max(filter(None, [last_success, now - WINDOW]))
        failures, last_failure = session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                who, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since
            )
        ).one()
    if failures < free or last_failure is None:
        return timedelta(0)
    # The exponent is capped: parallel tries can push the count far past what sequential ones
    # allow, and timedelta overflows at 30 s * 2**42 (a 500 instead of a wait).
    doublings = min(failures - free, _DOUBLINGS_TO_LONGEST)
    wait = min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)
    if last_failure.tzinfo is None:  # pragma: no cover - the store keeps aware datetimes
        raise ValueError("naive datetime in login_attempts")
    return last_failure + wait - now


def _key(username: str) -> str:
    return username.strip().casefold()[:100]
