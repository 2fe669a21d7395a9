"""Running configured sources: settings, store, registry and runner wired for one request.

The CLI and the steward UI both start jobs with catalog.jobs.claim_source and run them with
`run_started_job`, so a job from the command line and one from the web behave the same way,
and one source never has two jobs running at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from catalog.ingest import RecordPreparer
from catalog.jobs import JobCounts, SourceBusy, claim_source, finish_job, last_complete_job
from catalog.models import HarvestSource, JobStatus
from catalog.organizations import get_source_by_name, list_sources
from catalog.settings import Settings
from catalog.store import Store
from dcat.bilingual import Bilingual
from harvesters.base import HarvestContext, Harvester, unexpected
from harvesters.heartbeat import JobHeartbeat
from harvesters.http import HttpPolicy, session_for
from harvesters.registry import UnknownSourceType, harvester_type
from harvesters.runner import JobOutcome, ProgressCallback, run_harvest

log = logging.getLogger(__name__)


class UnknownSource(LookupError):
    """A source name that is not configured; a usage error (exit code 2). `text` says so in
    German and English apart; str() is the English."""

    def __init__(self, text: Bilingual) -> None:
        super().__init__(text.en)
        self.text = text


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
                names_known = ", ".join(source.name for source in list_sources(store))
                raise UnknownSource(
                    Bilingual(
                        f"Quelle {name!r} ist nicht konfiguriert "
                        f"(bekannt: {names_known or 'keine'})",
                        f"source {name!r} is not configured (known: {names_known or 'none'})",
                    )
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
        mappings=dict(source.mappings or {}),
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
    """Run one job per source, one after the other; a failing source does not stop the rest.

    A source whose job runs elsewhere is not harvested again: its outcome is `refused`.
    """
    preparer = preparer or RecordPreparer(settings)
    outcomes = []
    for source in sources:
        try:
            job_id = claim_source(store, source.id, stale_after=settings.harvest.stale_after)
        except SourceBusy as exc:
            log.warning("source %s: %s", source.name, exc)
            outcomes.append(JobOutcome.refused_start(exc))
            continue
        outcomes.append(
            run_started_job(
                store,
                settings,
                source,
                job_id,
                force=force,
                preparer=preparer,
                progress=progress(source) if progress is not None else None,
            )
        )
    return outcomes


def run_started_job(
    store: Store,
    settings: Settings,
    source: HarvestSource,
    job_id: int,
    *,
    preparer: RecordPreparer | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> JobOutcome:
    """Harvest the source into the job claim_source started for it, beating its heartbeat."""
    with JobHeartbeat(store, job_id, stale_after=settings.harvest.stale_after) as heartbeat:
        try:
            harvester_class = harvester_type(source.type)
        except UnknownSourceType as exc:
            # Recorded as a failed job, so the source's history shows why nothing arrived,
            # and the other sources still run.
            return _failed_without_harvester(store, source, job_id, str(exc))
        try:
            outcome = _run_with_harvester(
                store,
                settings,
                source,
                harvester_class,
                heartbeat,
                preparer or RecordPreparer(settings),
                force,
                progress,
            )
        except Exception as exc:  # the runner records what it can; this leaves no job running
            finish_job(
                store,
                job_id,
                JobCounts(),
                gather_complete=False,
                failed=True,
                message=unexpected(exc),
            )
            raise
    log.info(
        "source %s: job %d %s (%s)",
        source.name,
        outcome.job_id,
        outcome.status.value,
        outcome.counts,
    )
    return outcome


def _run_with_harvester(
    store: Store,
    settings: Settings,
    source: HarvestSource,
    harvester_class: type[Harvester],
    heartbeat: JobHeartbeat,
    preparer: RecordPreparer,
    force: bool,
    progress: ProgressCallback | None,
) -> JobOutcome:
    context = harvest_context(store, settings, source)
    try:
        return run_harvest(
            store,
            source,
            harvester_class(source.url, source.path, context),
            preparer.for_source(source),
            heartbeat=heartbeat,
            max_withdraw_fraction=settings.harvest.max_withdraw_fraction,
            force=force,
            progress=progress,
        )
    finally:
        context.http.close()


def _failed_without_harvester(
    store: Store, source: HarvestSource, job_id: int, reason: str
) -> JobOutcome:
    message = Bilingual(f"Quelle nicht geerntet: {reason}", f"Source not harvested: {reason}")
    finish_job(store, job_id, JobCounts(), gather_complete=False, failed=True, message=message)
    log.error("source %s: %s", source.name, message.en)
    return JobOutcome(job_id, source.name, JobStatus.FAILED, JobCounts(), 0.0, message)
