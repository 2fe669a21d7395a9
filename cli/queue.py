"""`catalog harvest` with a task queue, and `catalog worker`: jobs are sent to the queue, and
worker processes (on this machine or any other) run them (harvesters/queue)."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from catalog.jobs import SourceBusy, job_counts
from catalog.models import HarvestJob, JobStatus
from catalog.settings import Settings
from cli.exit_codes import EXIT_OK, EXIT_RECORD_ERRORS
from cli.harvest import summarise
from cli.texts import Texts
from dcat.bilingual import Bilingual
from harvesters.runner import JobOutcome

if TYPE_CHECKING:
    from catalog.models import HarvestSource
    from catalog.store import Store
    from cli.display import HarvestDisplay

# How often `harvest --wait` looks whether its queued jobs have ended.
WAIT_POLL_SECONDS = 1.0


def enqueue_harvests(
    store: Store,
    settings: Settings,
    sources: Sequence[HarvestSource],
    *,
    force: bool,
    wait: bool,
    still_due: Callable[[HarvestSource], bool] | None = None,
    display: HarvestDisplay | None = None,
) -> int:
    """Send a job per source to the queue and say where its report will be; with `wait`, wait
    for them and print the summary that an in-process harvest prints. Returns the exit code."""
    from harvesters.queue.enqueue import QueueUnavailable, enqueue_harvest

    say = Texts(settings.catalog.language)
    queued: list[int] = []
    refused: list[JobOutcome] = []
    for source in sources:
        if still_due is not None and not still_due(source):
            continue
        try:
            job_id = enqueue_harvest(store, settings, source, force=force)
        except SourceBusy as exc:
            refused.append(JobOutcome.refused_start(exc))
            message = say.pick(refused[-1].message)
            click.echo(say("queue_refused", source=source.name, message=message), err=True)
            continue
        except QueueUnavailable as exc:
            click.echo(say("error", message=say.pick(exc.text)), err=True)
            return EXIT_RECORD_ERRORS
        queued.append(job_id)
        report = f"{settings.catalog.base_url}/verwaltung/jobs/{job_id}"
        click.echo(say("job_queued", source=source.name, job_id=job_id, report=report))
    if not wait:
        return EXIT_RECORD_ERRORS if refused else EXIT_OK
    if queued:
        click.echo(say("waiting_for_jobs", count=len(queued)), err=True)
    if display is None:
        from cli.display import HarvestDisplay

        display = HarvestDisplay.for_terminal(language=settings.catalog.language)
    return summarise(store, settings, refused + _wait_for(store, queued), display)


def _wait_for(store: Store, job_ids: list[int]) -> list[JobOutcome]:
    """Poll the database until every job has ended (workers write there, not to us)."""
    open_ids = set(job_ids)
    rows: dict[int, HarvestJob] = {}
    while open_ids:
        with store.reading() as session:
            for job_id in sorted(open_ids):
                job = session.get(HarvestJob, job_id)
                if job is None or job.status != JobStatus.RUNNING:
                    open_ids.discard(job_id)
                    if job is not None:
                        session.refresh(job, ["source"])
                        rows[job_id] = job
        if open_ids:
            time.sleep(WAIT_POLL_SECONDS)
    return [_outcome(rows[job_id]) for job_id in job_ids if job_id in rows]


def _outcome(job: HarvestJob) -> JobOutcome:
    ended = job.finished_at or job.started_at
    return JobOutcome(
        job_id=job.id,
        source=job.source.name,
        status=job.status,
        counts=job_counts(job),
        seconds=(ended - job.started_at).total_seconds(),
        message=Bilingual(job.message, job.message_en or job.message),
    )


def run_worker(settings: Settings, *, concurrency: int, loglevel: str) -> None:
    """Run a Celery worker for the harvest tasks until it is stopped (SIGTERM: warm shutdown,
    the running tasks end first; a task of a killed worker goes to another one)."""
    from catalog.ingest import RecordPreparer
    from harvesters.queue.app import QUEUE, celery_app

    # The shapes are loaded before the pool forks, so its processes share them.
    app = celery_app(settings, preparer=RecordPreparer(settings))
    app.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            f"--loglevel={loglevel}",
            f"--queues={QUEUE}",
            f"--hostname=stadtkatalog-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
        ]
    )
