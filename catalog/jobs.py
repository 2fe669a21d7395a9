"""Harvest jobs in the store: their status and counts, and every record-level error."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from catalog.models import HarvestError, HarvestJob, HarvestSource, JobStatus, utcnow
from catalog.store import Store

FOREIGN_JOB_TIMEOUT = timedelta(hours=12)


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


def this_runner() -> str:
    """host:pid of this process, so a later start can tell whether a 'running' job is dead."""
    return f"{socket.gethostname()}:{os.getpid()}"


def start_job(store: Store, source_id: str) -> int:
    with store.transaction() as session:
        job = HarvestJob(source_id=source_id, status=JobStatus.RUNNING, runner=this_runner())
        session.add(job)
        session.flush()
        return job.id


def fail_abandoned_jobs(store: Store, source_id: str) -> list[int]:
    """Mark failed the jobs of a source left 'running' by a process that no longer exists.

    On this host the process table tells; a job started on another host counts as abandoned
    only after FOREIGN_JOB_TIMEOUT, since its process cannot be checked from here.
    """
    host = socket.gethostname()
    foreign_cutoff = utcnow() - FOREIGN_JOB_TIMEOUT
    failed = []
    with store.transaction() as session:
        running = session.scalars(
            select(HarvestJob).where(
                HarvestJob.source_id == source_id, HarvestJob.status == JobStatus.RUNNING
            )
        )
        for job in running:
            job_host, _, pid = job.runner.rpartition(":")
            if job_host == host and pid.isdigit() and _process_alive(int(pid)):
                continue
            if job_host != host and job.started_at > foreign_cutoff:
                continue
            job.status = JobStatus.FAILED
            job.finished_at = utcnow()
            job.message = (
                "Abgebrochen: der Prozess endete während des Laufs / "
                "aborted: the process ended during the run"
            )
            failed.append(job.id)
    return failed


def record_error(
    store: Store,
    job_id: int,
    *,
    record_key: str,
    stage: str,
    message: str,
    report: Mapping[str, Any] | None = None,
) -> None:
    with store.transaction() as session:
        session.add(
            HarvestError(
                job_id=job_id,
                record_key=record_key,
                stage=stage,
                message=message,
                report=dict(report) if report is not None else None,
            )
        )


def finish_job(
    store: Store,
    job_id: int,
    counts: JobCounts,
    *,
    gather_complete: bool,
    failed: bool = False,
    message: str = "",
) -> HarvestJob:
    """Close a job; its status follows from whether it failed and whether records failed."""
    with store.transaction() as session:
        job = session.get(HarvestJob, job_id)
        if job is None:
            raise LookupError(f"no harvest job {job_id}")
        if failed:
            job.status = JobStatus.FAILED
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
        job.message = message
        return job


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


def list_jobs(store: Store, source_id: str, limit: int = 50) -> list[HarvestJob]:
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


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
