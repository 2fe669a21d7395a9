"""Running harvest jobs from the command line: progress on the terminal, a summary, an exit code."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from catalog.models import JobStatus
from catalog.settings import Settings
from cli.exit_codes import EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE
from cli.texts import Texts

if TYPE_CHECKING:
    from catalog.models import HarvestSource
    from catalog.store import Store
    from cli.display import HarvestDisplay
    from harvesters.runner import JobOutcome

# Named "catalog" as before the move to cli/, so the log lines of a harvest read the same.
log = logging.getLogger("catalog")


def run_due_harvests(store: Store, settings: Settings, *, force: bool, wait: bool = False) -> int:
    """`harvest --due`: each due source, checked again right before it starts."""
    from catalog.models import utcnow
    from catalog.organizations import list_sources
    from harvesters.schedule import find_due_sources

    stale_after = settings.harvest.stale_after
    due = find_due_sources(store, list_sources(store), utcnow(), stale_after=stale_after)
    if not due:
        click.echo(Texts(settings.catalog.language)("no_source_due"), err=True)
        return EXIT_OK

    def still_due(source: HarvestSource) -> bool:
        # Another process (the web app, an overlapping cron run) may have run it meanwhile.
        return bool(find_due_sources(store, [source], utcnow(), stale_after=stale_after))

    return run_harvests(store, settings, due, force=force, still_due=still_due, wait=wait)


def run_harvests(
    store: Store,
    settings: Settings,
    sources: Sequence[HarvestSource],
    *,
    force: bool,
    still_due: Callable[[HarvestSource], bool] | None = None,
    display: HarvestDisplay | None = None,
    wait: bool = False,
) -> int:
    """Harvest with a progress display and a summary table; returns the exit code.

    With `still_due`, the sources run one by one and each only if it says yes when its turn
    comes. The display is the terminal's (stderr) unless one is given. With a task queue
    (tasks.broker_url), the jobs are sent to it instead, and `wait` waits for their summary.
    """
    if settings.tasks.queued:
        from cli.queue import enqueue_harvests

        return enqueue_harvests(
            store, settings, sources, force=force, wait=wait, still_due=still_due, display=display
        )
    from catalog.ingest import RecordPreparer
    from catalog.search.service import open_search_index
    from harvesters.service import UnknownSource, harvest_sources

    if display is None:
        from cli.display import HarvestDisplay

        display = HarvestDisplay.for_terminal(language=settings.catalog.language)
    index = open_search_index(store, settings)
    try:
        # Saved records reach the search index in batches while the jobs run.
        with display, index.deferred():
            if still_due is None:
                outcomes = harvest_sources(
                    store, settings, sources, force=force, progress=display.progress_for
                )
            else:
                preparer = RecordPreparer(settings)
                outcomes = []
                for source in sources:
                    if not still_due(source):
                        log.info("source %s: no longer due, skipped", source.name)
                        continue
                    outcomes += harvest_sources(
                        store,
                        settings,
                        [source],
                        force=force,
                        preparer=preparer,
                        progress=display.progress_for,
                    )
    except UnknownSource as exc:
        say = Texts(settings.catalog.language)
        click.echo(say("error", message=say.pick(exc.text)), err=True)
        return EXIT_USAGE
    finally:
        index.close()
    return summarise(store, settings, outcomes, display)


def summarise(
    store: Store, settings: Settings, outcomes: Sequence[JobOutcome], display: HarvestDisplay
) -> int:
    """The summary table of the jobs, and the exit code they make."""
    from catalog.job_findings import error_digest, rule_groups

    ran = [outcome.job_id for outcome in outcomes if not outcome.refused]
    display.summary(
        outcomes,
        {job_id: rule_groups(store, job_id) for job_id in ran},
        {job_id: error_digest(store, job_id) for job_id in ran},
        report_url=lambda job_id: f"{settings.catalog.base_url}/verwaltung/jobs/{job_id}",
    )
    # A source refused because its job was running counts as a source that failed (DESIGN.md
    # keeps the exit codes to 0, 1, 2); the summary says why.
    if any(outcome.refused or outcome.status != JobStatus.DONE for outcome in outcomes):
        return EXIT_RECORD_ERRORS
    return EXIT_OK
