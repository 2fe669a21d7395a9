"""Which harvest sources are due: the rule behind `catalog harvest --due`, run from cron.

A source is due when it is enabled, has no job running, and its last job started at least
its schedule's interval ago (daily 24 h, weekly 7 days; manual never). Any job counts,
failed ones too, so a broken source is tried once per interval rather than at every cron
tick. The interval is shortened by DUE_TOLERANCE: a cron line at 02:30 whose job started at
02:30:05 yesterday finds the source due again today at 02:30:00. The tolerance is shorter
than the cron period recommended in the README (every 15 minutes), so the start time does
not creep earlier day by day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from catalog.job_liveness import fail_abandoned_jobs
from catalog.models import HarvestJob, HarvestSource, JobStatus
from catalog.store import Store

SCHEDULE_INTERVALS: dict[str, timedelta | None] = {
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "manual": None,
}
DUE_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class SourceTiming:
    """What the due rule needs to know about one source."""

    source_id: str
    name: str
    schedule: str
    enabled: bool
    last_started_at: datetime | None = None
    running: bool = False


def interval_of(schedule: str) -> timedelta | None:
    """The time between two scheduled jobs; None for manual (and unknown) schedules."""
    return SCHEDULE_INTERVALS.get(schedule)


def next_due_at(schedule: str, last_started_at: datetime | None, now: datetime) -> datetime | None:
    """When the source is (or was) due next; None for manual sources. Never run: now."""
    interval = interval_of(schedule)
    if interval is None:
        return None
    if last_started_at is None:
        return now
    return max(now, last_started_at + interval - DUE_TOLERANCE)


def is_due(timing: SourceTiming, now: datetime) -> bool:
    """Whether `catalog harvest --due` runs this source now."""
    if not timing.enabled or timing.running:
        return False
    interval = interval_of(timing.schedule)
    if interval is None:
        return False
    if timing.last_started_at is None:
        return True
    return now - timing.last_started_at >= interval - DUE_TOLERANCE


def due_sources(timings: Iterable[SourceTiming], now: datetime) -> list[SourceTiming]:
    """The due ones among `timings`, in the order given."""
    return [timing for timing in timings if is_due(timing, now)]


def load_timings(store: Store, sources: Sequence[HarvestSource]) -> list[SourceTiming]:
    """The timings of these sources, from their jobs: newest start, and whether one runs."""
    ids = [source.id for source in sources]
    with store.reading() as session:
        last_starts = dict(
            session.execute(
                select(HarvestJob.source_id, func.max(HarvestJob.started_at))
                .where(HarvestJob.source_id.in_(ids))
                .group_by(HarvestJob.source_id)
            ).all()
        )
        running = set(
            session.scalars(
                select(HarvestJob.source_id).where(
                    HarvestJob.source_id.in_(ids), HarvestJob.status == JobStatus.RUNNING
                )
            )
        )
    return [
        SourceTiming(
            source_id=source.id,
            name=source.name,
            schedule=source.schedule,
            enabled=source.enabled,
            last_started_at=last_starts.get(source.id),
            running=source.id in running,
        )
        for source in sources
    ]


def find_due_sources(
    store: Store,
    sources: Sequence[HarvestSource],
    now: datetime,
    *,
    stale_after: timedelta | None = None,
) -> list[HarvestSource]:
    """The due ones among `sources`. Jobs left running by a dead process (or, with
    `stale_after`, silent for longer) are marked failed first (catalog.job_liveness), so a
    crash does not keep its source from ever being due again."""
    for source in sources:
        if source.enabled:
            fail_abandoned_jobs(store, source.id, stale_after=stale_after, now=now)
    due = {timing.source_id for timing in due_sources(load_timings(store, sources), now)}
    return [source for source in sources if source.id in due]
