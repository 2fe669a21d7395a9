"""Whether a running harvest job still lives: its heartbeat, and failing the jobs that died.

A job is abandoned when its process on this host is gone (the process table tells at once,
e.g. after kill -9), or when its heartbeat is older than the configured staleness: that is
the only sign from a process on another machine, and it also catches a process that lives
but no longer works for the job (frozen, or its pid reused). Failing an abandoned job frees
its source for a new one (catalog.jobs.start_job refuses a second running job).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.orm import Session

from catalog.models import JOB_STAGE, HarvestError, HarvestJob, HarvestSource, JobStatus, utcnow
from catalog.store import Store
from dcat.bilingual import Bilingual

log = logging.getLogger(__name__)

PROCESS_ENDED = Bilingual(
    "Abgebrochen: der Prozess endete während des Laufs", "Aborted: the process ended during the run"
)


def this_runner() -> str:
    """host:pid of this process, so a later start can tell whether a 'running' job is dead."""
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(store: Store, job_id: int, now: datetime | None = None) -> bool:
    """Note that the job is alive; False if it no longer runs (it was failed as abandoned)."""
    with store.transaction() as session:
        statement = (
            update(HarvestJob)
            .where(HarvestJob.id == job_id, HarvestJob.status == JobStatus.RUNNING)
            .values(heartbeat_at=now or utcnow())
        )
        return _rows_changed(session, statement) == 1


@dataclass(frozen=True)
class _Running:
    id: int
    source_id: str
    runner: str
    last_sign: datetime


def fail_abandoned_jobs(
    store: Store,
    source_id: str | None = None,
    *,
    stale_after: timedelta | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Mark failed the running jobs (of one source, or all) whose process died; their ids.

    Without `stale_after` only the process table of this host is asked. The common case,
    nothing abandoned, reads and writes nothing.
    """
    now = now or utcnow()
    query = select(
        HarvestJob.id,
        HarvestJob.source_id,
        HarvestJob.runner,
        HarvestJob.heartbeat_at,
        HarvestJob.started_at,
    ).where(HarvestJob.status == JobStatus.RUNNING)
    if source_id is not None:
        query = query.where(HarvestJob.source_id == source_id)
    with store.reading() as session:
        running = [
            _Running(job_id, source, runner, heartbeat or started)
            for job_id, source, runner, heartbeat, started in session.execute(query)
        ]
    failed = []
    for job in running:
        if _process_gone(job.runner):
            ended = _fail(store, job, now, PROCESS_ENDED)
        elif stale_after is not None and job.last_sign < now - stale_after:
            ended = _fail(store, job, now, _no_heartbeat_message(job, stale_after), stale_after)
        else:
            ended = False
        if ended:
            failed.append(job.id)
    return failed


def _fail(
    store: Store,
    job: _Running,
    now: datetime,
    message: Bilingual,
    stale_after: timedelta | None = None,
) -> bool:
    """Fail the job unless it ended or beat meanwhile (another process may be sweeping too)."""
    condition = [HarvestJob.id == job.id, HarvestJob.status == JobStatus.RUNNING]
    if stale_after is not None:
        cutoff = now - stale_after
        condition.append(
            (HarvestJob.heartbeat_at < cutoff)
            | (HarvestJob.heartbeat_at.is_(None) & (HarvestJob.started_at < cutoff))
        )
    statement = (
        update(HarvestJob)
        .where(*condition)
        .values(status=JobStatus.FAILED, finished_at=now, message=message.de, message_en=message.en)
    )
    with store.transaction() as session:
        done = _rows_changed(session, statement) == 1
        if done:
            source_name = session.scalar(
                select(HarvestSource.name).where(HarvestSource.id == job.source_id)
            )
            session.add(HarvestError.job_failure(job.id, source_name or "", message, JOB_STAGE))
    if done:
        log.warning("harvest job %d (%s) was abandoned: %s", job.id, job.runner, message.en)
    return done


def _no_heartbeat_message(job: _Running, stale_after: timedelta) -> Bilingual:
    seconds = int(stale_after.total_seconds())
    since = f"{job.last_sign:%Y-%m-%d %H:%M:%S} UTC"
    return Bilingual(
        f"Abgebrochen: kein Lebenszeichen von {job.runner} seit {since}, länger als {seconds} s",
        f"Aborted: no heartbeat from {job.runner} since {since}, for more than {seconds} s",
    )


def _rows_changed(session: Session, statement: Update) -> int:
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _process_gone(runner: str) -> bool:
    """Whether the runner is a process of this host that no longer exists."""
    host, _, pid = runner.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
