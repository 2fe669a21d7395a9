"""Harvest jobs in the store: one running per source, their status and counts, every error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from catalog.job_liveness import fail_abandoned_jobs, this_runner
from catalog.models import JOB_STAGE, HarvestError, HarvestJob, HarvestSource, JobStatus, utcnow
from catalog.store import Store
from dcat.bilingual import Bilingual

# A refused start looks up the running job; if that ended meanwhile, the start is tried again.
START_ATTEMPTS = 3


@dataclass
class JobCounts:
    """What a job did with each record. `new` and `updated` were published.

    `held_back` records were stored with DCAT-AP.de violations (stewards see them, public
    outputs do not); `refused` ones could not be stored at all; `failed` is the two together.
    `warnings` counts notes on records that were still delivered.
    """

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    failed: int = 0
    held_back: int = 0
    refused: int = 0
    warnings: int = 0

    @property
    def seen(self) -> int:
        return self.new + self.updated + self.unchanged + self.failed


class SourceBusy(Exception):
    """A job of the source is running already, so no second one starts (German / English)."""

    def __init__(self, source_name: str, job_id: int, since: datetime, runner: str) -> None:
        self.source_name = source_name
        self.job_id = job_id
        self.since = since
        self.runner = runner
        stamp = f"{since:%Y-%m-%d %H:%M:%S} UTC"
        process_de = f", Prozess {runner}" if runner else ""
        process_en = f", process {runner}" if runner else ""
        # Apart, so that the CLI and the pages say it in their language (str(): both).
        self.message_de = (
            f"Für die Quelle {source_name} läuft bereits eine Ernte (Job {job_id}, seit "
            f"{stamp}{process_de}); eine zweite beginnt erst, wenn sie endet."
        )
        self.message_en = (
            f"A harvest of source {source_name} is already running (job {job_id}, since "
            f"{stamp}{process_en}); a second one can start once it has ended."
        )
        super().__init__(f"{self.message_de} / {self.message_en}")


# The runner of a job on the task queue: any worker may take its next step, so no one process
# stands for it; its heartbeat alone tells whether it lives (catalog.job_liveness).
QUEUE_RUNNER = "task-queue"


def start_job(
    store: Store,
    source_id: str,
    *,
    now: datetime | None = None,
    queued: bool = False,
    force: bool = False,
) -> int:
    """Start a running job for the source; SourceBusy if it has one already.

    The database decides (the unique index uq_harvest_jobs_running_source), so two processes
    or machines starting the same source at once get one job between them.
    """
    now = now or utcnow()
    attempts = 0
    while True:
        try:
            return _insert_running_job(store, source_id, now, queued=queued, force=force)
        except IntegrityError:
            busy = _running_job(store, source_id)
            if busy is not None:
                raise busy from None
            attempts += 1
            if attempts == START_ATTEMPTS:
                raise  # no running job in the way: another constraint (an unknown source)
            # The running job ended between our insert and this look: try again.


def _insert_running_job(
    store: Store, source_id: str, now: datetime, *, queued: bool, force: bool
) -> int:
    with store.transaction() as session:
        job = HarvestJob(
            source_id=source_id,
            status=JobStatus.RUNNING,
            runner=QUEUE_RUNNER if queued else this_runner(),
            started_at=now,
            heartbeat_at=now,
            queued=queued,
            force=force,
        )
        session.add(job)
        session.flush()
        return job.id


def claim_source(
    store: Store,
    source_id: str,
    *,
    stale_after: timedelta,
    now: datetime | None = None,
    queued: bool = False,
    force: bool = False,
) -> int:
    """Start the source's job after failing one whose process died; SourceBusy if one lives.

    A `queued` job is run by the task queue's workers (harvesters.queue), with `force` kept
    for its finishing step."""
    fail_abandoned_jobs(store, source_id, stale_after=stale_after, now=now)
    return start_job(store, source_id, now=now, queued=queued, force=force)


def _running_job(store: Store, source_id: str) -> SourceBusy | None:
    with store.reading() as session:
        row = session.execute(
            select(HarvestJob.id, HarvestJob.started_at, HarvestJob.runner, HarvestSource.name)
            .join(HarvestSource, HarvestJob.source_id == HarvestSource.id)
            .where(HarvestJob.source_id == source_id, HarvestJob.status == JobStatus.RUNNING)
        ).first()
    if row is None:
        return None
    job_id, since, runner, name = row
    return SourceBusy(name, job_id, since, runner)


def record_error(
    store: Store,
    job_id: int,
    *,
    record_key: str,
    stage: str,
    message: Bilingual,
    report: Mapping[str, Any] | None = None,
) -> None:
    with store.transaction() as session:
        session.add(
            HarvestError(
                job_id=job_id,
                record_key=record_key,
                stage=stage,
                message=message.de,
                message_en=message.en,
                report=dict(report) if report is not None else None,
            )
        )


NO_MESSAGE = Bilingual("", "")


def finish_job(
    store: Store,
    job_id: int,
    counts: JobCounts,
    *,
    gather_complete: bool,
    failed: bool = False,
    message: Bilingual = NO_MESSAGE,
    failure_stage: str = JOB_STAGE,
) -> HarvestJob:
    """Close a job; its status follows from whether it failed and whether records failed.

    A failed job's message is also stored as an error of the job, at `failure_stage`
    ("gather" when reading the source failed, else "job").
    """
    with store.transaction() as session:
        job = session.get(HarvestJob, job_id)
        if job is None:
            raise LookupError(f"no harvest job {job_id}")
        if failed:
            job.status = JobStatus.FAILED
            if message.de or message.en:
                session.add(
                    HarvestError.job_failure(job_id, job.source.name, message, failure_stage)
                )
        elif counts.failed:
            job.status = JobStatus.DONE_WITH_ERRORS
        else:
            job.status = JobStatus.DONE
        job.finished_at = utcnow()
        job.gather_complete = gather_complete
        job.new_count = counts.new
        job.updated_count = counts.updated
        job.unchanged_count = counts.unchanged
        job.withdrawn_count = counts.withdrawn
        job.failed_count = counts.failed
        job.held_back_count = counts.held_back
        job.refused_count = counts.refused
        job.warning_count = counts.warnings
        job.message, job.message_en = message.de, message.en
        return job


def job_counts(job: HarvestJob) -> JobCounts:
    """What finish_job stored of a job's counts."""
    return JobCounts(
        new=job.new_count,
        updated=job.updated_count,
        unchanged=job.unchanged_count,
        withdrawn=job.withdrawn_count,
        failed=job.failed_count,
        held_back=job.held_back_count,
        refused=job.refused_count,
        warnings=job.warning_count,
    )


def get_job(store: Store, job_id: int) -> HarvestJob | None:
    with store.reading() as session:
        return session.get(HarvestJob, job_id)


def job_with_source(store: Store, job_id: int) -> HarvestJob | None:
    """The job with its source and the source's organisation loaded (a job report shows all)."""
    with store.reading() as session:
        return session.get(
            HarvestJob,
            job_id,
            options=[joinedload(HarvestJob.source).joinedload(HarvestSource.organization)],
        )


def recent_jobs_of_organizations(
    store: Store, organization_ids: Sequence[str], limit: int
) -> list[tuple[HarvestJob, HarvestSource]]:
    """The newest jobs of these organisations' sources, each with its source."""
    query = (
        select(HarvestJob, HarvestSource)
        .join(HarvestSource, HarvestJob.source_id == HarvestSource.id)
        .where(HarvestSource.organization_id.in_(list(organization_ids)))
        .order_by(HarvestJob.id.desc())
        .limit(limit)
    )
    with store.reading() as session:
        return [(job, source) for job, source in session.execute(query).all()]


def last_complete_job(store: Store, source_id: str) -> HarvestJob | None:
    """The newest job that gathered its whole source (the base for changed-only harvests)."""
    with store.reading() as session:
        return session.scalar(
            select(HarvestJob)
            .where(HarvestJob.source_id == source_id, HarvestJob.gather_complete.is_(True))
            .where(HarvestJob.status != JobStatus.FAILED)
            .order_by(HarvestJob.started_at.desc(), HarvestJob.id.desc())
            .limit(1)
        )


def list_jobs(
    store: Store, source_id: str, limit: int = 50, *, stale_after: timedelta | None = None
) -> list[HarvestJob]:
    """The source's newest jobs; with `stale_after`, a job that died is shown failed, not
    running (catalog.job_liveness)."""
    if stale_after is not None:
        fail_abandoned_jobs(store, source_id, stale_after=stale_after)
    with store.reading() as session:
        return list(
            session.scalars(
                select(HarvestJob)
                .where(HarvestJob.source_id == source_id)
                .order_by(HarvestJob.id.desc())
                .limit(limit)
            )
        )


def job_errors(store: Store, job_id: int, stage: str | None = None) -> list[HarvestError]:
    """Every error of a job, uncapped, oldest first; optionally of one stage only."""
    query = select(HarvestError).where(HarvestError.job_id == job_id).order_by(HarvestError.id)
    if stage is not None:
        query = query.where(HarvestError.stage == stage)
    with store.reading() as session:
        return list(session.scalars(query))


def count_job_errors(store: Store, job_id: int) -> int:
    with store.reading() as session:
        query = select(func.count()).where(HarvestError.job_id == job_id)
        return session.scalar(query) or 0
