"""Queued harvests run by real `catalog worker` processes (two workers, two pool processes
each) on Redis and PostgreSQL: a source of a few hundred datasets in batches of ten is stored
whole and counted once, also when a pool process dies in the middle of a batch; a source is
queued once at a time; a second harvest of the same data changes nothing. The first of these
on RabbitMQ too."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from catalog.models import JobStatus
from harvesters.queue.app import BATCH
from tests.conftest import _postgres_url_or_skip
from tests.generated_dcat import BASE
from tests.nodes import CATALOG, REPO, catalog_command, postgres_schema
from tests.workers import (
    JobReport,
    WorkerProcess,
    jobs_of,
    kill_mid_batch,
    queue_environment,
    revisions_per_record,
    running_workers,
    write_generated_source,
)

pytestmark = [pytest.mark.postgres, pytest.mark.workers]

SOURCE = "messreihen"
DATASETS = 240  # 24 batches of ten
# Long enough for any of these jobs on a busy machine; a bound, not a timing claim.
JOB_DEADLINE = 120.0


@dataclass
class QueuedCatalog:
    """One catalog on a PostgreSQL schema with a queue: its processes' environment, and a
    connection of the test's own to look into the database the workers write to."""

    env: dict[str, str]
    engine: Engine
    broker_url: str
    logs: Path
    keys: set[str]

    def harvest(self, *options: str) -> subprocess.CompletedProcess[str]:
        return catalog_command(["harvest", SOURCE, *options], self.env)

    def start_harvest(self, *options: str) -> subprocess.Popen[str]:
        """`catalog harvest` in the background (its output in files, read when it ends)."""
        with (self.logs / f"harvest-{time.monotonic_ns()}.out").open("w") as out:
            return subprocess.Popen(
                [*CATALOG, "harvest", SOURCE, *options],
                env=self.env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )

    def jobs(self) -> list[JobReport]:
        return jobs_of(self.engine, SOURCE)


@contextmanager
def _queued_catalog(tmp_path: Path, broker_url: str) -> Iterator[QueuedCatalog]:
    names, config = write_generated_source(tmp_path, SOURCE, DATASETS, batch_size=10)
    with postgres_schema(_postgres_url_or_skip()) as database_url:
        env = queue_environment(config, tmp_path / "instance", database_url, broker_url)
        catalog_command(["init"], env)
        engine = create_engine(database_url)
        logs = tmp_path / "logs"
        logs.mkdir()
        try:
            yield QueuedCatalog(
                env, engine, broker_url, logs, {f"{BASE}/dataset/{name}" for name in names}
            )
        finally:
            engine.dispose()


@pytest.fixture
def queued_catalog(tmp_path: Path, redis_broker: str) -> Iterator[QueuedCatalog]:
    with _queued_catalog(tmp_path, redis_broker) as catalog:
        yield catalog


@pytest.fixture
def workers(queued_catalog: QueuedCatalog) -> Iterator[list[WorkerProcess]]:
    with running_workers(queued_catalog.env, queued_catalog.logs, count=2, concurrency=2) as run:
        yield run


def _assert_stored_once_each(catalog: QueuedCatalog) -> None:
    revisions = revisions_per_record(catalog.engine, SOURCE)
    assert set(revisions) == catalog.keys
    assert set(revisions.values()) == {1}


def test_a_queued_harvest_stores_every_dataset_once(
    queued_catalog: QueuedCatalog, workers: list[WorkerProcess]
) -> None:
    done = queued_catalog.harvest("--wait")

    assert done.returncode == 0, done.stdout + done.stderr
    [job] = queued_catalog.jobs()
    assert (job.status, job.new, job.updated, job.unchanged, job.failed) == (
        JobStatus.DONE,
        DATASETS,
        0,
        0,
        0,
    )
    _assert_stored_once_each(queued_catalog)


def test_a_pool_process_killed_mid_batch_leaves_the_job_whole_and_counted_once(
    queued_catalog: QueuedCatalog, workers: list[WorkerProcess]
) -> None:
    harvest = queued_catalog.start_harvest("--wait")
    try:
        _, killed = kill_mid_batch(
            queued_catalog.engine, SOURCE, workers, queued_catalog.broker_url
        )
        exit_code = harvest.wait(timeout=JOB_DEADLINE)
    finally:
        harvest.kill()

    assert exit_code == 0
    logs = "".join(worker.log() for worker in workers)
    assert "WorkerLostError" in logs
    # The killed batch was handed out again (acks_late, reject_on_worker_lost) and ran.
    assert logs.count(f"{BATCH}[{killed.id}] received") >= 2
    assert f"{BATCH}[{killed.id}] succeeded" in logs
    [job] = queued_catalog.jobs()
    assert (job.status, job.new, job.updated, job.unchanged, job.failed) == (
        JobStatus.DONE,
        DATASETS,
        0,
        0,
        0,
    )
    _assert_stored_once_each(queued_catalog)


def test_a_source_is_queued_only_once_at_a_time(queued_catalog: QueuedCatalog) -> None:
    # No worker runs: the first job stays queued, so the second always finds it.
    first = queued_catalog.start_harvest()
    second = queued_catalog.start_harvest()
    exit_codes = sorted([first.wait(timeout=60), second.wait(timeout=60)])

    assert exit_codes == [0, 1]
    outputs = sorted(queued_catalog.logs.glob("harvest-*.out"))
    assert sum("läuft bereits" in path.read_text() for path in outputs) == 1
    [job] = queued_catalog.jobs()
    assert job.status == JobStatus.RUNNING


def test_an_unchanged_source_harvested_again_through_the_queue_counts_unchanged(
    queued_catalog: QueuedCatalog, workers: list[WorkerProcess]
) -> None:
    assert queued_catalog.harvest("--wait").returncode == 0

    again = queued_catalog.harvest("--wait")

    assert again.returncode == 0, again.stdout + again.stderr
    first, second = queued_catalog.jobs()
    assert first.new == DATASETS
    assert (second.status, second.new, second.updated, second.unchanged, second.failed) == (
        JobStatus.DONE,
        0,
        0,
        DATASETS,
        0,
    )
    _assert_stored_once_each(queued_catalog)


def test_a_queued_harvest_on_rabbitmq_stores_every_dataset_once(
    tmp_path: Path, amqp_broker: str
) -> None:
    with (
        _queued_catalog(tmp_path, amqp_broker) as catalog,
        running_workers(catalog.env, catalog.logs, count=2, concurrency=2),
    ):
        done = catalog.harvest("--wait")

        assert done.returncode == 0, done.stdout + done.stderr
        [job] = catalog.jobs()
        assert (job.status, job.new, job.updated, job.unchanged, job.failed) == (
            JobStatus.DONE,
            DATASETS,
            0,
            0,
            0,
        )
        _assert_stored_once_each(catalog)
