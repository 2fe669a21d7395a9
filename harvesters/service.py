"""Running configured sources: settings, store, registry and runner wired for one request.

The CLI and the steward UI both start harvests through `harvest_sources`, so a job from the
command line and one from the web behave the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from catalog.ingest import RecordPreparer
from catalog.jobs import JobCounts, finish_job, last_complete_job, start_job
from catalog.models import HarvestSource, JobStatus
from catalog.organizations import get_source_by_name, list_sources
from catalog.settings import Settings
from catalog.store import Store
from harvesters.base import HarvestContext
from harvesters.http import HttpPolicy, session_for
from harvesters.registry import UnknownSourceType, harvester_type
from harvesters.runner import JobOutcome, ProgressCallback, run_harvest

log = logging.getLogger(__name__)


class UnknownSource(LookupError):
    """A source name that is not configured; a usage error (exit code 2)."""


@dataclass(frozen=True)
class SourceChoice:
    """Which sources a request means, checked before any job starts."""

    sources: list[HarvestSource]

    @classmethod
    def resolve(cls, store: Store, names: Sequence[str], *, all_sources: bool) -> SourceChoice:
        if all_sources or not names:
            return cls([source for source in list_sources(store) if source.enabled])
        chosen = []
        for name in names:
            source = get_source_by_name(store, name)
            if source is None:
                known = ", ".join(source.name for source in list_sources(store)) or "keine / none"
                raise UnknownSource(
                    f"Quelle {name!r} ist nicht konfiguriert (bekannt: {known}) / "
                    f"source {name!r} is not configured (known: {known})"
                )
            chosen.append(source)
        return cls(chosen)


def http_policy(settings: Settings) -> HttpPolicy:
    """The network rules every harvester request follows, from the harvest settings."""
    harvest = settings.harvest
    return HttpPolicy(
        connect_timeout=harvest.connect_timeout,
        read_timeout=harvest.read_timeout,
        retries=harvest.retries,
        backoff=harvest.retry_backoff,
        max_bytes=harvest.max_response_mb * 1024 * 1024,
        max_seconds=harvest.max_response_seconds,
        allow_private_networks=harvest.allow_private_networks,
        user_agent=HttpPolicy.default_user_agent(settings.catalog.base_url),
    )


def harvest_context(store: Store, settings: Settings, source: HarvestSource) -> HarvestContext:
    """What the source's harvester may know: the last complete job, limits, the HTTP session."""
    last = last_complete_job(store, source.id)
    return HarvestContext(
        base_url=settings.catalog.base_url,
        modified_since=last.started_at if last is not None else None,
        max_pages=settings.harvest.max_pages,
        http=session_for(http_policy(settings)),
        options=dict(source.options or {}),
    )


def harvest_sources(
    store: Store,
    settings: Settings,
    sources: Sequence[HarvestSource],
    *,
    force: bool = False,
    preparer: RecordPreparer | None = None,
    progress: Callable[[HarvestSource], ProgressCallback | None] | None = None,
) -> list[JobOutcome]:
    """Run one job per source, one after the other; a failing source does not stop the rest."""
    preparer = preparer or RecordPreparer(settings)
    outcomes = []
    for source in sources:
        try:
            harvester_class = harvester_type(source.type)
        except UnknownSourceType as exc:
            # Recorded as a failed job, so the source's history shows why nothing arrived,
            # and the other sources still run.
            outcomes.append(_failed_without_harvester(store, source, str(exc)))
            continue
        context = harvest_context(store, settings, source)
        harvester = harvester_class(source.url, source.path, context)
        try:
            outcome = run_harvest(
                store,
                source,
                harvester,
                preparer.for_source(source),
                max_withdraw_fraction=settings.harvest.max_withdraw_fraction,
                force=force,
                progress=progress(source) if progress is not None else None,
            )
        finally:
            context.http.close()
        log.info(
            "source %s: job %d %s (%s)",
            source.name,
            outcome.job_id,
            outcome.status.value,
            outcome.counts,
        )
        outcomes.append(outcome)
    return outcomes


def _failed_without_harvester(store: Store, source: HarvestSource, reason: str) -> JobOutcome:
    job_id = start_job(store, source.id)
    message = f"Quelle nicht geerntet / source not harvested: {reason}"
    finish_job(store, job_id, JobCounts(), gather_complete=False, failed=True, message=message)
    log.error("source %s: %s", source.name, message)
    return JobOutcome(job_id, source.name, JobStatus.FAILED, JobCounts(), 0.0, message)
