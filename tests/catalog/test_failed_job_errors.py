"""A failed job counts the reason it failed as one of its errors, whoever failed it."""

from __future__ import annotations

import socket

from sqlalchemy import update

from catalog.job_findings import ErrorQuery, error_rows
from catalog.job_liveness import PROCESS_ENDED, fail_abandoned_jobs
from catalog.jobs import JobCounts, finish_job, job_errors, start_job
from catalog.models import HarvestJob
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.store import Store
from dcat.bilingual import Bilingual


def _source_id(store: Store) -> str:
    sync_organizations(store, [OrganizationSettings(name="umweltamt", title="Umweltamt")])
    sync_sources(
        store,
        [
            SourceSettings(
                name="luft", type="dcat", url="https://x.example/c.ttl", organization="umweltamt"
            )
        ],
    )
    return get_source_by_name(store, "luft").id


def test_a_job_failed_on_reading_its_source_reports_one_gather_error(store: Store) -> None:
    job_id = start_job(store, _source_id(store))
    finish_job(
        store,
        job_id,
        JobCounts(),
        gather_complete=False,
        failed=True,
        message=Bilingual("HTTP 500 auf Seite 3", "HTTP 500 on page 3"),
        failure_stage="gather",
    )
    report = error_rows(store, job_id, ErrorQuery())
    assert report.total == 1
    assert report.by_stage["gather"] == 1
    (error,) = report.rows
    assert (error.record_key, error.message, error.message_en) == (
        "luft",
        "HTTP 500 auf Seite 3",
        "HTTP 500 on page 3",
    )


def test_a_job_whose_process_died_reports_that_as_its_error(store: Store) -> None:
    job_id = start_job(store, _source_id(store))
    with store.transaction() as session:
        # No process has this pid (beyond the kernel's pid_max).
        session.execute(
            update(HarvestJob)
            .where(HarvestJob.id == job_id)
            .values(runner=f"{socket.gethostname()}:99999999")
        )
    assert fail_abandoned_jobs(store) == [job_id]
    report = error_rows(store, job_id, ErrorQuery())
    assert report.total == 1
    assert report.by_stage["job"] == 1
    assert [(e.message, e.message_en) for e in report.rows] == [
        (PROCESS_ENDED.de, PROCESS_ENDED.en)
    ]


def test_a_job_that_ends_normally_adds_no_error_of_its_own(store: Store) -> None:
    job_id = start_job(store, _source_id(store))
    note = Bilingual("Notiz", "note")
    finish_job(store, job_id, JobCounts(new=2, failed=1), gather_complete=True, message=note)
    assert job_errors(store, job_id) == []
