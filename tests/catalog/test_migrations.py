"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Connection, DateTime, TableClause, column, insert, select, table

from catalog.link_checks import claim_link, url_hash
from catalog.migrate import (
    DatabaseUnreachable,
    alembic_config,
    current_revision,
    head_revision,
    reachable_revision,
    upgrade_database,
)
from catalog.models import Base, HarvestJob, JobStatus, LinkCheck, LinkClaim
from catalog.store import Store, open_store
from tests.messages import both


def test_migrated_database_matches_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless(store: Store) -> None:
    assert upgrade_database(store) == head_revision()
    assert current_revision(store) == head_revision()


def test_upgrading_leaves_a_source_only_its_newest_running_job(
    database_url: tuple[str, dict[str, Any]],
) -> None:
    """Before revision 0006 a source could be left with two running jobs; the unique index
    of 0006 needs one at most, and the newest is the one a live process may still run."""
    url, options = database_url
    store = open_store(url, **options)
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        _insert_jobs_of_revision_0005(connection)

    upgrade_database(store)

    with store.reading() as session:
        jobs = {job.id: job for job in session.scalars(select(HarvestJob))}
    store.close()
    assert {job_id: job.status for job_id, job in jobs.items()} == {
        1: JobStatus.FAILED,
        2: JobStatus.DONE,
        3: JobStatus.RUNNING,
        4: JobStatus.RUNNING,
    }
    assert "neuere Ernte derselben Quelle" in both(jobs[1])
    assert jobs[3].heartbeat_at == jobs[3].started_at


def test_upgrading_keeps_checked_links_not_due_within_the_interval(
    database_url: tuple[str, dict[str, Any]],
) -> None:
    """The link claims of 0019 start from each URL's latest check in the history."""
    url, options = database_url
    store = open_store(url, **options)
    config = alembic_config()
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    history = [("https://a.example/x.csv", 30), ("https://a.example/x.csv", 2), ("https://b/", 9)]
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0017")  # link_checks as the model has it since 0011
        for link, hours_ago in history:
            connection.execute(
                insert(LinkCheck.__table__).values(
                    url_hash=url_hash(link),
                    url=link,
                    checked_at=now - timedelta(hours=hours_ago),
                    ok=True,
                    elapsed_ms=1,
                    announced="",
                    error="",
                )
            )

    upgrade_database(store)

    with store.reading() as session:
        claims = {c.url_hash: c.checked_at for c in session.scalars(select(LinkClaim))}
    assert claims == {
        url_hash("https://a.example/x.csv"): now - timedelta(hours=2),
        url_hash("https://b/"): now - timedelta(hours=9),
    }
    interval = timedelta(hours=5)
    assert not claim_link(store, "https://a.example/x.csv", "run", now, interval)
    assert claim_link(store, "https://b/", "run", now, interval)
    store.close()


def _insert_jobs_of_revision_0005(connection: Connection) -> None:
    """Two sources: `a` with two running jobs (1 and 3) and a done one, `b` with one running."""
    now = datetime(2026, 12, 1, 2, 30)
    organization = {"id": "o", "name": "amt", "title": "Amt", "description": "", "created_at": now}
    connection.execute(insert(_table("organizations", organization)).values(organization))
    for source_id in ("a", "b"):
        source = {
            "id": source_id,
            "name": source_id,
            "type": "dcat",
            "organization_id": "o",
            "schedule": "daily",
            "enabled": True,
            "options": {},
            "created_at": now,
            "updated_at": now,
        }
        connection.execute(insert(_table("harvest_sources", source)).values(source))
    for job_id, source_id, status in ((1, "a", "running"), (2, "a", "done"), (3, "a", "running")):
        job = {
            "id": job_id,
            "source_id": source_id,
            "status": status,
            "started_at": now + timedelta(hours=job_id),
            "gather_complete": False,
            "message": "",
            "runner": "",
        } | {
            f"{count}_count": 0 for count in ("new", "updated", "unchanged", "withdrawn", "failed")
        }
        connection.execute(insert(_table("harvest_jobs", job)).values(job))
    fourth = job | {"id": 4, "source_id": "b", "status": "running"}
    connection.execute(insert(_table("harvest_jobs", fourth)).values(fourth))


def _table(name: str, row: dict[str, Any]) -> TableClause:
    """The table as revision 0005 had it, as far as the row needs (dates and JSON typed)."""
    types = {datetime: DateTime(), dict: JSON()}
    return table(name, *(column(key, types.get(type(value))) for key, value in row.items()))


def test_a_database_that_does_not_answer_is_reported_as_unreachable() -> None:
    # Port 1 on the loopback: nothing listens, so the connection is refused at once.
    silent = open_store(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
    )
    try:
        with pytest.raises(DatabaseUnreachable):
            reachable_revision(silent)
    finally:
        silent.close()
