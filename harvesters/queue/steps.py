"""The three steps of a queued harvest job, as any worker runs them.

Each step reads what it needs from the database and writes what the next one needs there, so a
worker on any machine can take it; each is safe to run twice, as at-least-once delivery will
(a worker killed mid-task hands its task to another):

- gather skips the records an earlier try staged, and stages each batch together with the
  counts and errors of its records in one transaction;
- a batch saves through the runner's changed-only save (the content hash: a record saved by an
  earlier try is not written again) and stores its counts and errors in the transaction that
  marks it done, so a batch counts once; a record an earlier try saved counts as that try's
  new or updated record, judged by what the gather found stored;
- finish runs once per job (claim_finish), counts withdrawals from the revisions the job
  wrote, and closes the job with the sum of every batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from rdflib import URIRef
from sqlalchemy import func, select

from catalog.harvest_batches import (
    GatherOutcome,
    NotedError,
    claim_finish,
    complete_batch,
    drop_batches,
    end_gather,
    load_batch,
    ready_to_finish,
    seen_keys,
    stage_batch,
    staged_so_far,
    summed_counts,
)
from catalog.ingest import Delivery, RecordPreparer
from catalog.job_liveness import beat
from catalog.jobs import JobCounts, finish_job, job_with_source
from catalog.models import JobStatus, RecordStatus, Revision
from catalog.profile_store import V3Judgement
from catalog.quality.aggregates import take_snapshot
from catalog.settings import Settings
from catalog.store import Store
from dcat.bilingual import Bilingual, join_bilingual
from dcat.parsing import parse_rdf
from dcat.serialise import serialise
from harvesters.base import GatherError, RemoteRecord, cause_text, unexpected
from harvesters.heartbeat import JobHeartbeat, JobSuperseded
from harvesters.queue.plan import origin_from_json, origin_json, stored_from_json, stored_json
from harvesters.registry import UnknownSourceType, harvester_type
from harvesters.runner import (
    DeferredCreate,
    MappedRecord,
    PendingRecord,
    RunningJob,
    StoredState,
    complete_record,
    create_deferred,
    fail_record,
    map_record,
    normalise_record,
    stored_states,
    v3_verdicts,
    withdraw_vanished,
)
from harvesters.service import harvest_context

log = logging.getLogger(__name__)

NT = "application/n-triples"


class Dispatch(Protocol):
    """How a step hands on work: to the queue (harvesters.queue.app), or in tests by hand."""

    def send_batch(self, job_id: int, number: int) -> None: ...

    def send_finish(self, job_id: int) -> None: ...


@dataclass
class WorkerContext:
    """What a worker process holds for every task: settings, database, prepared shapes."""

    settings: Settings
    store: Store
    preparer: RecordPreparer


@dataclass
class QueuedJob(RunningJob):
    """A job's state within one task: errors are kept until the task stores its batch."""

    noted: list[NotedError] = field(default_factory=list)

    def note_error(
        self,
        store: Store,
        *,
        record_key: str,
        stage: str,
        message: Bilingual,
        report: dict[str, object] | None = None,
    ) -> None:
        self.noted.append(NotedError(record_key, stage, message, report))


# --- gather -----------------------------------------------------------------------------------


def gather(context: WorkerContext, job_id: int, dispatch: Dispatch) -> None:
    """Read the source and stage its records in batches, sending each batch as it is staged."""
    store, settings = context.store, context.settings
    row = job_with_source(store, job_id)
    if row is None or row.status != JobStatus.RUNNING:
        drop_batches(store, job_id)  # it ended (failed as abandoned): nothing more to do
        return
    staged_keys, minted_names, number, unsent = staged_so_far(store, job_id)
    for waiting in unsent:  # staged by an earlier try that may have died before sending
        dispatch.send_batch(job_id, waiting)
    if row.batch_total is not None:
        _finish_if_ready(store, job_id, dispatch)
        return
    source = row.source
    job = QueuedJob.for_source(source, job_id)
    job.reserved_names |= minted_names
    try:
        harvester_class = harvester_type(source.type)
    except UnknownSourceType as exc:
        message = Bilingual(f"Quelle nicht geerntet: {exc}", f"Source not harvested: {exc}")
        end_gather(store, job_id, number - 1, GatherOutcome(False, True, "job", message))
        _finish_if_ready(store, job_id, dispatch)
        return
    harvest = harvest_context(store, settings, source)
    preparer = context.preparer.for_source(source)
    items: list[dict[str, Any]] = []

    def stage() -> None:
        nonlocal number
        if not items and not job.noted and job.counts == JobCounts():
            return
        to_prepare = any("graph" in item for item in items)
        stage_batch(store, job_id, number, list(items), job.counts, job.noted, done=not to_prepare)
        if to_prepare:
            dispatch.send_batch(job_id, number)
        number += 1
        items.clear()
        job.noted.clear()
        job.counts = JobCounts()

    try:
        harvester = harvester_class(source.url, source.path, harvest)
        known = stored_states(store, source.id)
        with JobHeartbeat(store, job_id, stale_after=settings.harvest.stale_after) as heartbeat:
            try:
                for remote in harvester.gather():
                    if remote.key in staged_keys:
                        continue  # an earlier try of this gather staged it
                    duplicate = remote.key in job.seen
                    mapped = map_record(store, job, remote, known, harvester, preparer)
                    if not duplicate:
                        items.append(_item(remote, known.get(remote.key), mapped))
                    if len(items) >= settings.tasks.batch_size:
                        stage()
                    heartbeat.beat_if_due()
                heartbeat.beat()
                outcome = GatherOutcome(complete=harvester.complete, notes=tuple(harvester.notes))
            except JobSuperseded as exc:
                log.error("source %s: %s", source.name, exc)
                outcome = GatherOutcome(False, True, "job", cause_text(exc))
            except GatherError as exc:
                outcome = GatherOutcome(False, True, "gather", exc.message)
            except Exception as exc:  # a bug or an odd source must not leave "running"
                log.exception("source %s: job %d failed while gathering", source.name, job_id)
                outcome = GatherOutcome(False, True, "job", unexpected(exc))
            stage()  # what was read before a failure is saved, as in-process
    finally:
        harvest.http.close()
    end_gather(store, job_id, number - 1, outcome)
    _finish_if_ready(store, job_id, dispatch)


def _item(
    remote: RemoteRecord, stored: StoredState | None, mapped: MappedRecord | None
) -> dict[str, Any]:
    """A gathered record as a batch keeps it: only its key if the gather settled it."""
    item: dict[str, Any] = {"key": remote.key, "label": remote.label}
    if mapped is None:
        return item
    item.update(
        graph=serialise(mapped.graph, "nt").decode("utf-8"),
        node=str(mapped.node),
        name=mapped.name,
        graph_hash=mapped.delivery.graph_hash,
        source_hash=mapped.delivery.source_hash,
        origin=origin_json(mapped.origin),
        # What was stored when the job began: a later try of the batch tells by it whether
        # a record it finds saved was saved by this job.
        stored=stored_json(stored),
    )
    return item


# --- a batch ----------------------------------------------------------------------------------


def process_batch(context: WorkerContext, job_id: int, number: int, dispatch: Dispatch) -> None:
    """Normalise, validate together and save one staged batch; then the job may finish."""
    store = context.store
    batch = load_batch(store, job_id, number)
    if batch is None:
        return  # the job finished and dropped its batches
    if batch.done:
        _finish_if_ready(store, job_id, dispatch)
        return
    row = job_with_source(store, job_id)
    if row is None or row.status != JobStatus.RUNNING or not beat(store, job_id):
        # The job ended (failed as abandoned, or its finish died after closing it): its
        # staged records will not be saved by it; the next job reads the source again.
        drop_batches(store, job_id)
        return
    job = QueuedJob.for_source(row.source, job_id)
    preparer = context.preparer.for_source(row.source)
    staged = [item for item in batch.items if "graph" in item]
    keys = [item["key"] for item in staged]
    now = stored_states(store, row.source.id, keys) if keys else {}
    waiting: list[tuple[PendingRecord, StoredState | None]] = []
    stale_after = context.settings.harvest.stale_after
    with JobHeartbeat(store, job_id, stale_after=stale_after):
        for item in staged:
            mapped = _mapped(item, now.get(item["key"]))
            pending = normalise_record(store, job, mapped, preparer)
            if pending is not None:
                waiting.append((pending, stored_from_json(item["stored"])))
        validated = list(_validated(preparer, job, store, waiting))
        verdicts = v3_verdicts(preparer, [entry[0].normalised.graph for entry, _ in validated])
        deferred: list[DeferredCreate] = []
        for ((pending, stored_then), report), v3 in zip(validated, verdicts, strict=True):
            _save_counted(store, job, pending, stored_then, report, preparer, v3, deferred)
        create_deferred(store, job, deferred)  # the batch's new records in one transaction
    complete_batch(store, job_id, number, job.counts, job.noted)
    _finish_if_ready(store, job_id, dispatch)


def _mapped(item: dict[str, Any], stored_now: StoredState | None) -> MappedRecord:
    return MappedRecord(
        remote=RemoteRecord(item["key"], None, item["label"]),
        stored=stored_now,
        graph=parse_rdf(item["graph"], content_type=NT),
        node=URIRef(item["node"]),
        name=item["name"],
        delivery=Delivery(graph_hash=item["graph_hash"], source_hash=item["source_hash"]),
        origin=origin_from_json(item["origin"]),
    )


def _validated(
    preparer: RecordPreparer,
    job: QueuedJob,
    store: Store,
    waiting: list[tuple[PendingRecord, StoredState | None]],
) -> Iterator[tuple[tuple[PendingRecord, StoredState | None], Any]]:
    """Each pending record with its report: the batch validated together, or, if that fails,
    one by one so that the record breaking it fails alone."""
    graphs = [pending.normalised.graph for pending, _ in waiting]
    try:
        reports = list(preparer.validator.validate_many(iter(graphs)))
    except Exception:
        log.exception("source %s: a validation batch failed", job.source.name)
        reports = []
    if len(reports) == len(waiting):
        yield from zip(waiting, reports, strict=True)
        return
    for entry in waiting:
        try:
            report = preparer.validator.validate(entry[0].normalised.graph)
        except Exception as exc:
            message = Bilingual("Validierung nicht möglich: ", "Validation impossible: ")
            fail_record(store, job, entry[0].remote, "validate", message + cause_text(exc))
            continue
        yield entry, report


def _save_counted(
    store: Store,
    job: QueuedJob,
    pending: PendingRecord,
    stored_then: StoredState | None,
    report: Any,
    preparer: RecordPreparer,
    v3: V3Judgement | None,
    deferred: list[DeferredCreate],
) -> None:
    """Save through the runner; a record an earlier try of this batch saved already is not
    written again (its content hash is equal) but counts as what that try did."""
    before = replace(job.counts)
    complete_record(store, job, pending, report, preparer, v3=v3, deferred=deferred)
    stored_now = pending.stored
    if job.counts.unchanged == before.unchanged + 1 and _saved_by_this_job(stored_then, stored_now):
        job.counts.unchanged -= 1
        if stored_then is None:
            job.counts.new += 1
        else:
            job.counts.updated += 1


def _saved_by_this_job(stored_then: StoredState | None, stored_now: StoredState | None) -> bool:
    if stored_now is None:
        return False
    if stored_then is None:
        return True  # the source's record did not exist when the job began
    return (stored_then.content_hash, stored_then.status) != (
        stored_now.content_hash,
        stored_now.status,
    )


# --- finish -----------------------------------------------------------------------------------


def _finish_if_ready(store: Store, job_id: int, dispatch: Dispatch) -> None:
    if ready_to_finish(store, job_id):
        dispatch.send_finish(job_id)


def finish(context: WorkerContext, job_id: int, finisher: str) -> None:
    """Withdraw what a complete read no longer lists, and close the job with every count."""
    store, settings = context.store, context.settings
    ended = job_with_source(store, job_id)
    if ended is not None and ended.status != JobStatus.RUNNING:
        drop_batches(store, job_id)  # a finish that died between closing the job and this
        return
    if not ready_to_finish(store, job_id) or not claim_finish(store, job_id, finisher):
        return
    row = job_with_source(store, job_id)
    if row is None or row.gather_outcome is None:
        return
    outcome = GatherOutcome.from_json(row.gather_outcome)
    counts = summed_counts(store, job_id)
    if outcome.failed:
        finish_job(
            store,
            job_id,
            counts,
            gather_complete=False,
            failed=True,
            message=outcome.message,
            failure_stage=outcome.stage,
        )
    elif not outcome.complete:
        message = join_bilingual("; ", list(outcome.notes)) + Bilingual(
            " — unvollständig gelesen, nichts zurückgezogen",
            " — read incompletely, nothing withdrawn",
        )
        finish_job(store, job_id, counts, gather_complete=False, message=message)
    else:
        job = QueuedJob.for_source(row.source, job_id)
        job.seen = seen_keys(store, job_id)
        withdrawal = withdraw_vanished(
            store,
            job,
            stored_states(store, row.source.id),
            settings.harvest.max_withdraw_fraction,
            row.force,
        )
        # Counted from the revisions, so a finish that died midway and ran again counts all.
        counts.withdrawn = _withdrawn_by(store, job_id)
        notes = [*outcome.notes, withdrawal] if withdrawal else list(outcome.notes)
        finish_job(store, job_id, counts, gather_complete=True, message=join_bilingual("; ", notes))
    take_snapshot(store)
    drop_batches(store, job_id)


def _withdrawn_by(store: Store, job_id: int) -> int:
    with store.reading() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Revision)
                .where(
                    Revision.harvest_job_id == job_id,
                    Revision.status == RecordStatus.WITHDRAWN,
                )
            )
            or 0
        )
