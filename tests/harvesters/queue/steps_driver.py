"""Driving a queued job's steps by hand, as workers would, so tests can stop and repeat them."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.ingest import RecordPreparer
from catalog.jobs import claim_source
from catalog.models import HarvestSource
from catalog.settings import Settings
from catalog.store import Store
from harvesters.queue import steps


@dataclass
class HandDispatch:
    """Notes what a step sends instead of sending it."""

    batches: list[tuple[int, int]] = field(default_factory=list)
    finishes: list[int] = field(default_factory=list)

    def send_batch(self, job_id: int, number: int) -> None:
        self.batches.append((job_id, number))

    def send_finish(self, job_id: int) -> None:
        self.finishes.append(job_id)


def enqueue_by_hand(store: Store, settings: Settings, source: HarvestSource) -> int:
    """A queued job as enqueue_harvest starts it, without a broker."""
    return claim_source(store, source.id, stale_after=settings.harvest.stale_after, queued=True)


def run_all(context: steps.WorkerContext, job_id: int, dispatch: HandDispatch) -> None:
    """Gather, every batch sent, and the finish: one worker doing it all in order."""
    steps.gather(context, job_id, dispatch)
    while dispatch.batches:
        sent_job, number = dispatch.batches.pop(0)
        steps.process_batch(context, sent_job, number, dispatch)
    while dispatch.finishes:
        steps.finish(context, dispatch.finishes.pop(0), finisher="finisher-1")


def worker_context(
    store: Store, settings: Settings, preparer: RecordPreparer
) -> steps.WorkerContext:
    return steps.WorkerContext(settings=settings, store=store, preparer=preparer)
