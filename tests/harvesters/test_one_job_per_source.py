"""Two harvests of one source at once (two cron lines, cron and "Jetzt ernten", two machines):
one job runs, the other start is refused and says so; a job that stopped beating is replaced.

The racing harvests are real threads on one store, SQLite or PostgreSQL; the source is a real
HTTP server that holds its answer until the losing start has been refused, so the two jobs
overlap without any sleep.
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from catalog.ingest import RecordPreparer
from catalog.job_liveness import fail_abandoned_jobs
from catalog.jobs import claim_source, get_job, start_job
from catalog.models import DatasetRecord, HarvestJob, HarvestSource, JobStatus, RecordStatus
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import Settings
from catalog.store import Store
from harvesters.runner import JobOutcome
from harvesters.schedule import find_due_sources
from harvesters.service import harvest_sources, run_started_job
from tests.harvesters.conftest import record_counts, source_settings
from tests.harvesters.recorded import RecordedServer, Route
from tests.messages import both

ROWS = 12
ELSEWHERE = "rechner-b:4242"  # a process on another machine: only its heartbeat tells


def _department_list(rows: int = ROWS) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(["Titel", "Beschreibung", "Lizenz", "Format", "URL", "Kennung"])
    for i in range(rows):
        writer.writerow(
            [
                f"Messreihe {i}",
                f"Messwerte der Station {i}.",
                "CC BY 4.0",
                "CSV",
                f"https://daten.example/{i}.csv",
                f"m-{i}",
            ]
        )
    return text.getvalue().encode("utf-8")


def _list_source(store: Store, tmp_path: Path, server: RecordedServer) -> Settings:
    # A long read timeout: the held answer must not look like a dead server.
    settings = source_settings(
        tmp_path,
        [{"name": "liste", "type": "spreadsheet", "url": server.url("/liste.csv")}],
        read_timeout=60.0,
    )
    sync_organizations(store, settings.organizations)
    sync_sources(store, settings.sources)
    return settings


def _source(store: Store) -> HarvestSource:
    source = get_source_by_name(store, "liste")
    assert source is not None
    return source


def _started_elsewhere(store: Store, source_id: str, now: datetime) -> int:
    job_id = start_job(store, source_id, now=now)
    with store.transaction() as session:
        session.execute(update(HarvestJob).where(HarvestJob.id == job_id).values(runner=ELSEWHERE))
    return job_id


def _count(store: Store, query: object) -> int:
    with store.reading() as session:
        return session.scalar(query) or 0  # type: ignore[call-overload]


def test_two_harvests_of_one_source_at_once_run_one_job_and_refuse_the_other(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    release = threading.Event()

    def held_list(query: str, body: bytes) -> Route:
        release.wait(timeout=60)
        return Route(_department_list(), "text/csv; charset=utf-8")

    server.handlers["/liste.csv"] = held_list
    settings = _list_source(store, tmp_path, server)
    source = _source(store)
    preparer = RecordPreparer(settings)
    at_once = threading.Barrier(2)
    outcomes: list[JobOutcome] = []

    def harvest() -> None:
        at_once.wait(timeout=30)
        try:
            outcomes.extend(harvest_sources(store, settings, [source], preparer=preparer))
        finally:
            release.set()  # the refused start returns at once; then the job may read its source

    racers = [threading.Thread(target=harvest) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)

    [refused] = [outcome for outcome in outcomes if outcome.refused]
    [ran] = [outcome for outcome in outcomes if not outcome.refused]
    assert ran.status in (JobStatus.DONE, JobStatus.DONE_WITH_ERRORS), both(ran)
    assert ran.counts.new + ran.counts.failed == ROWS
    assert refused.job_id == ran.job_id
    german, english = both(refused).split("\n")
    assert german.startswith(
        f"Für die Quelle liste läuft bereits eine Ernte (Job {ran.job_id}, seit"
    )
    assert english.startswith(f"A harvest of source liste is already running (job {ran.job_id}")
    # Written once: one job, each record once, one revision per record.
    assert _count(store, select(func.count()).select_from(HarvestJob)) == 1
    assert _count(store, select(func.count(func.distinct(DatasetRecord.remote_id)))) == ROWS
    assert record_counts(store)["revisions"] == ROWS
    assert server.requests.count("/liste.csv") == 1


def test_a_job_of_another_machine_with_a_fresh_heartbeat_keeps_the_source(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    server.routes["/liste.csv"] = Route(_department_list(), "text/csv")
    settings = _list_source(store, tmp_path, server)
    running = _started_elsewhere(store, _source(store).id, datetime.now(UTC))

    [outcome] = harvest_sources(
        store, settings, [_source(store)], preparer=RecordPreparer(settings)
    )

    assert outcome.refused and outcome.job_id == running
    assert "läuft bereits eine Ernte" in both(outcome) and ELSEWHERE in both(outcome)
    assert server.requests == []  # the source was not even read
    job = get_job(store, running)
    assert job is not None and job.status == JobStatus.RUNNING
    assert _count(store, select(func.count()).select_from(DatasetRecord)) == 0


def test_a_job_of_another_machine_silent_too_long_is_replaced_by_the_next_harvest(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    server.routes["/liste.csv"] = Route(_department_list(), "text/csv")
    settings = _list_source(store, tmp_path, server)
    silent_since = datetime.now(UTC) - settings.harvest.stale_after - timedelta(seconds=1)
    silent = _started_elsewhere(store, _source(store).id, silent_since)

    [outcome] = harvest_sources(
        store, settings, [_source(store)], preparer=RecordPreparer(settings)
    )

    assert not outcome.refused and outcome.job_id != silent
    assert outcome.counts.new + outcome.counts.failed == ROWS
    replaced = get_job(store, silent)
    assert replaced is not None and replaced.status == JobStatus.FAILED
    assert "kein Lebenszeichen von rechner-b:4242" in both(replaced)


def test_cron_finds_a_source_due_again_once_its_job_stopped_beating(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    _list_source(store, tmp_path, server)
    source = _source(store)
    now = datetime(2026, 12, 10, 2, 30, tzinfo=UTC)
    silent = _started_elsewhere(store, source.id, now - timedelta(days=2))

    # Without a staleness, a job of another machine may still live: the source is not due.
    assert find_due_sources(store, [source], now) == []
    due = find_due_sources(store, [source], now, stale_after=timedelta(minutes=10))

    assert [source.name for source in due] == ["liste"]
    job = get_job(store, silent)
    assert job is not None and job.status == JobStatus.FAILED


def test_a_job_taken_for_dead_while_it_ran_withdraws_nothing(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    server.routes["/liste.csv"] = Route(_department_list(), "text/csv")
    settings = _list_source(store, tmp_path, server)
    preparer = RecordPreparer(settings)
    harvest_sources(store, settings, [_source(store)], preparer=preparer)
    server.routes["/liste.csv"] = Route(_department_list(ROWS - 1), "text/csv")  # one vanished
    job_id = claim_source(store, _source(store).id, stale_after=settings.harvest.stale_after)

    def taken_for_dead_after_the_last_record(seen: int, counts: object) -> None:
        if seen == ROWS - 1:  # another process, an hour later by its clock, sweeps
            later = datetime.now(UTC) + timedelta(hours=1)
            stale_after = settings.harvest.stale_after
            assert fail_abandoned_jobs(store, stale_after=stale_after, now=later) == [job_id]

    outcome = run_started_job(
        store,
        settings,
        _source(store),
        job_id,
        preparer=preparer,
        progress=taken_for_dead_after_the_last_record,
    )

    assert outcome.status == JobStatus.FAILED
    assert "galt als tot" in both(outcome) and "taken for dead" in both(outcome)
    assert outcome.counts.withdrawn == 0
    assert record_counts(store)[RecordStatus.WITHDRAWN.value] == 0
