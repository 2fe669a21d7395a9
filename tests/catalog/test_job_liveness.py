"""One running job per source, enforced by the database; a job that stops beating is freed.

Time is what the tests say it is: every start, beat and sweep is given its `now`.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from catalog.job_liveness import beat, fail_abandoned_jobs
from catalog.jobs import SourceBusy, claim_source, get_job, list_jobs, start_job
from catalog.models import HarvestJob, JobStatus
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.store import Store
from tests.messages import both

T0 = datetime(2026, 12, 10, 2, 30, tzinfo=UTC)
STALE_AFTER = timedelta(minutes=10)
ELSEWHERE = "rechner-b:4242"  # a process on another machine: only its heartbeat tells


def _source_id(store: Store, name: str = "luft") -> str:
    sync_organizations(store, [OrganizationSettings(name="umweltamt", title="Umweltamt")])
    sync_sources(
        store,
        [
            SourceSettings(
                name=name, type="dcat", url="https://x.example/c.ttl", organization="umweltamt"
            )
        ],
    )
    source = get_source_by_name(store, name)
    assert source is not None
    return source.id


def _started_elsewhere(store: Store, source_id: str, now: datetime) -> int:
    job_id = start_job(store, source_id, now=now)
    with store.transaction() as session:
        session.execute(update(HarvestJob).where(HarvestJob.id == job_id).values(runner=ELSEWHERE))
    return job_id


def _running(store: Store, source_id: str) -> list[int]:
    with store.reading() as session:
        return list(
            session.scalars(
                select(HarvestJob.id).where(
                    HarvestJob.source_id == source_id, HarvestJob.status == JobStatus.RUNNING
                )
            )
        )


def test_a_second_start_of_a_running_source_is_refused_saying_since_when(store: Store) -> None:
    source_id = _source_id(store)
    first = _started_elsewhere(store, source_id, T0)

    with pytest.raises(SourceBusy) as refused:
        start_job(store, source_id, now=T0 + timedelta(minutes=3))

    german, english = refused.value.message_de, refused.value.message_en
    assert german.startswith("Für die Quelle luft läuft bereits eine Ernte")
    assert english.startswith("A harvest of source luft is already running")
    assert "seit 2026-12-10 02:30:00 UTC" in german and "since 2026-12-10 02:30:00 UTC" in english
    assert ELSEWHERE in german and ELSEWHERE in english
    assert refused.value.job_id == first
    assert _running(store, source_id) == [first]


def test_other_sources_start_while_one_runs(store: Store) -> None:
    luft = _source_id(store)
    start_job(store, luft, now=T0)
    wasser = _source_id(store, "wasser")

    started = start_job(store, wasser, now=T0)

    assert _running(store, wasser) == [started]


def test_of_many_processes_starting_one_source_at_once_exactly_one_gets_a_job(
    store: Store,
) -> None:
    source_id = _source_id(store)
    racers = 6
    at_once = threading.Barrier(racers)
    started: list[int] = []
    refused: list[SourceBusy] = []
    unexpected: list[BaseException] = []

    def race() -> None:
        at_once.wait(timeout=30)
        try:
            started.append(start_job(store, source_id, now=T0))
        except SourceBusy as exc:
            refused.append(exc)
        except BaseException as exc:  # reported by the assertion below
            unexpected.append(exc)

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert unexpected == []
    assert len(started) == 1 and len(refused) == racers - 1
    assert {exc.job_id for exc in refused} == set(started)
    assert _running(store, source_id) == started


def test_a_job_silent_for_longer_than_stale_after_is_failed_and_the_source_starts_again(
    store: Store,
) -> None:
    source_id = _source_id(store)
    dead = _started_elsewhere(store, source_id, T0)
    assert beat(store, dead, T0 + timedelta(minutes=5))

    new = claim_source(
        store, source_id, stale_after=STALE_AFTER, now=T0 + timedelta(minutes=15, seconds=1)
    )

    assert _running(store, source_id) == [new]
    gone = get_job(store, dead)
    assert gone is not None and gone.status == JobStatus.FAILED
    assert both(gone).startswith(f"Abgebrochen: kein Lebenszeichen von {ELSEWHERE}")
    assert "no heartbeat" in both(gone) and "600 s" in both(gone)
    assert gone.finished_at == T0 + timedelta(minutes=15, seconds=1)


def test_a_job_whose_heartbeat_is_fresh_blocks_a_new_start(store: Store) -> None:
    source_id = _source_id(store)
    running = _started_elsewhere(store, source_id, T0)
    # Started an hour ago, but it beat nine minutes ago: it lives.
    assert beat(store, running, T0 + timedelta(minutes=51))

    with pytest.raises(SourceBusy) as refused:
        claim_source(store, source_id, stale_after=STALE_AFTER, now=T0 + timedelta(hours=1))

    assert refused.value.job_id == running
    assert _running(store, source_id) == [running]


def test_a_job_failed_as_abandoned_cannot_beat_any_more(store: Store) -> None:
    source_id = _source_id(store)
    job_id = _started_elsewhere(store, source_id, T0)

    assert fail_abandoned_jobs(store, stale_after=STALE_AFTER, now=T0 + timedelta(hours=1)) == [
        job_id
    ]

    assert not beat(store, job_id, T0 + timedelta(hours=1, seconds=1))
    job = get_job(store, job_id)
    assert job is not None and job.status == JobStatus.FAILED


def test_listing_a_source_s_jobs_shows_a_dead_one_failed(store: Store) -> None:
    source_id = _source_id(store)
    silent = _started_elsewhere(store, source_id, datetime.now(UTC) - timedelta(hours=1))

    listed = list_jobs(store, source_id, stale_after=STALE_AFTER)

    assert [(job.id, job.status) for job in listed] == [(silent, JobStatus.FAILED)]
    assert _running(store, source_id) == []
