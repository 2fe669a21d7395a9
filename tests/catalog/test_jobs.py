"""Harvest jobs keep every error and never stay 'running' after their process died."""

from __future__ import annotations

import socket

from sqlalchemy import update

from catalog.job_liveness import fail_abandoned_jobs
from catalog.jobs import (
    JobCounts,
    finish_job,
    get_job,
    job_errors,
    last_complete_job,
    record_error,
    start_job,
)
from catalog.models import HarvestJob, JobStatus
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.store import Store
from dcat.bilingual import Bilingual


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
    return get_source_by_name(store, name).id


def test_every_record_error_is_kept_without_a_cap(store: Store) -> None:
    job_id = start_job(store, _source_id(store))
    for n in range(150):
        record_error(
            store,
            job_id,
            record_key=f"r{n}",
            stage="validate" if n % 2 else "map",
            message=Bilingual(f"Fehler {n}", f"Error {n}"),
            report={"violations": n},
        )
    errors = job_errors(store, job_id)
    assert [e.record_key for e in errors] == [f"r{n}" for n in range(150)]
    assert len(job_errors(store, job_id, stage="map")) == 75
    assert errors[149].report == {"violations": 149}


def test_job_status_follows_from_failures(store: Store) -> None:
    source_id = _source_id(store)
    # One after the other: a source has at most one running job.
    clean = start_job(store, source_id)
    finish_job(store, clean, JobCounts(new=3), gather_complete=True)
    partial = start_job(store, source_id)
    finish_job(store, partial, JobCounts(new=2, failed=1), gather_complete=True)
    broken = start_job(store, source_id)
    finish_job(
        store,
        broken,
        JobCounts(new=1),
        gather_complete=False,
        failed=True,
        message=Bilingual("HTTP 500 auf Seite 3", "HTTP 500 on page 3"),
    )
    assert get_job(store, clean).status == JobStatus.DONE
    assert get_job(store, partial).status == JobStatus.DONE_WITH_ERRORS
    assert get_job(store, broken).status == JobStatus.FAILED
    assert last_complete_job(store, source_id).id == partial


def test_a_job_left_running_by_a_dead_process_is_marked_failed(store: Store) -> None:
    # Two sources, since one source cannot have two running jobs.
    alive = start_job(store, _source_id(store))
    dead = start_job(store, _source_id(store, "wasser"))
    with store.transaction() as session:
        # No process has this pid (beyond the kernel's pid_max).
        session.execute(
            update(HarvestJob)
            .where(HarvestJob.id == dead)
            .values(runner=f"{socket.gethostname()}:99999999")
        )
    assert fail_abandoned_jobs(store) == [dead]
    assert get_job(store, dead).status == JobStatus.FAILED
    assert get_job(store, alive).status == JobStatus.RUNNING
