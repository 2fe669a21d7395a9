"""A running job's heartbeat: beats from its thread at an interval, beats after a record only
when one is due, and stops the job once another process has taken it for dead.

The clock is the test's: each reading is a given time, and the thread's wait between beats
is answered by the test instead of passing.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from catalog.job_liveness import fail_abandoned_jobs
from catalog.jobs import get_job, start_job
from catalog.models import JobStatus
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.store import Store
from harvesters.heartbeat import JobHeartbeat, JobSuperseded

T0 = datetime(2026, 12, 10, 2, 30, tzinfo=UTC)
STALE_AFTER = timedelta(minutes=10)  # a beat each minute


class Clock:
    """Stands still until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _job(store: Store, now: datetime = T0) -> int:
    sync_organizations(store, [OrganizationSettings(name="umweltamt", title="Umweltamt")])
    sync_sources(
        store,
        [
            SourceSettings(
                name="luft", type="dcat", url="https://x.example/c.ttl", organization="umweltamt"
            )
        ],
    )
    source = get_source_by_name(store, "luft")
    assert source is not None
    return start_job(store, source.id, now=now)


def _heartbeat_at(store: Store, job_id: int) -> datetime | None:
    job = get_job(store, job_id)
    assert job is not None
    return job.heartbeat_at


def test_the_thread_beats_once_per_interval_until_it_is_stopped(store: Store) -> None:
    job_id = _job(store)
    clock = Clock(T0)
    waits: list[float] = []
    seen: list[datetime | None] = []
    last_wait = threading.Event()

    def pause(seconds: float) -> bool:
        """One interval passes at each call, the fourth call stops the thread."""
        seen.append(_heartbeat_at(store, job_id))
        waits.append(seconds)
        if len(waits) == 4:
            last_wait.set()
            return True
        clock.now += timedelta(minutes=1)
        return False

    with JobHeartbeat(store, job_id, stale_after=STALE_AFTER, clock=clock, pause=pause):
        assert last_wait.wait(timeout=30)

    assert waits == [60.0] * 4
    minutes = [T0 + timedelta(minutes=n) for n in range(4)]
    assert seen == minutes  # each wait saw the beat after the one before
    assert _heartbeat_at(store, job_id) == minutes[-1]


def test_a_beat_after_a_record_is_written_only_when_one_is_due(store: Store) -> None:
    job_id = _job(store)
    clock = Clock(T0 + timedelta(seconds=59))
    heartbeat = JobHeartbeat(store, job_id, stale_after=STALE_AFTER, clock=clock)

    heartbeat.beat_if_due()
    assert _heartbeat_at(store, job_id) == T0  # started at T0; a minute has not passed

    clock.now = T0 + timedelta(minutes=2)
    heartbeat.beat_if_due()
    assert _heartbeat_at(store, job_id) == T0 + timedelta(minutes=2)


def test_a_job_taken_for_dead_stops_at_its_next_due_beat(store: Store) -> None:
    job_id = _job(store)
    clock = Clock(T0)
    heartbeat = JobHeartbeat(store, job_id, stale_after=STALE_AFTER, clock=clock)
    # The process froze; another one, eleven minutes on, takes its job for dead.
    clock.now = T0 + timedelta(minutes=11)
    assert fail_abandoned_jobs(store, stale_after=STALE_AFTER, now=clock.now) == [job_id]

    with pytest.raises(JobSuperseded) as stopped:
        heartbeat.beat_if_due()

    assert "galt als tot" in str(stopped.value) and "taken for dead" in str(stopped.value)
    job = get_job(store, job_id)
    assert job is not None and job.status == JobStatus.FAILED
    assert job.heartbeat_at == T0  # the late beat changed nothing
