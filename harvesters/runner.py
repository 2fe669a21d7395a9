"""The harvest job: what every source type shares, from gathering to withdrawal.

The runner, not the harvesters, owns job semantics (STYLE.md, after udata's BaseBackend):
changed-only saves by content hash, per-record errors that never stop the job, every error
kept, withdrawal of vanished records only after a complete gather and within a threshold,
one transaction per record so that a killed process leaves a consistent catalog.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Self

from rdflib import BNode, Graph, URIRef
from sqlalchemy import select

from catalog.ingest import Delivery, PreparedRecord, RecordPreparer, rename_node
from catalog.jobs import NO_MESSAGE, JobCounts, SourceBusy, finish_job, record_error
from catalog.models import (
    JOB_STAGE,
    DatasetRecord,
    HarvestSource,
    JobStatus,
    RecordStatus,
    ValidationState,
)
from catalog.names import unique_record_name
from catalog.profile_store import V3Judgement
from catalog.quality.aggregates import take_snapshot
from catalog.records import (
    Actor,
    NewRecord,
    RecordConflict,
    create_record,
    create_records,
    remember_source_hash,
    update_record,
    withdraw_record,
)
from catalog.store import Store
from dcat.bilingual import Bilingual, join_bilingual
from dcat.normalise import NormalisationResult
from dcat.normalise.base import short_text
from dcat.origin import CatalogOrigin
from dcat.text_limits import overlong_values
from dcat.validation import ValidationReport
from dcat.view import dataset_view
from harvesters.base import (
    GatherError,
    Harvester,
    RecordError,
    RecordHeldBack,
    RemoteRecord,
    cause_text,
    unexpected,
)
from harvesters.heartbeat import JobHeartbeat, JobSuperseded

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, JobCounts], None]


@dataclass(frozen=True)
class StoredState:
    """What the runner needs to know about a record the source delivered before."""

    record_id: str
    uri: str
    content_hash: str
    source_hash: str | None
    status: RecordStatus
    valid: bool


@dataclass
class JobOutcome:
    """What one job did; or, with `refused`, that none started because job `job_id` of the
    source was running (its message says so)."""

    job_id: int
    source: str
    status: JobStatus
    counts: JobCounts
    seconds: float
    message: Bilingual = NO_MESSAGE
    errors: int = 0
    refused: bool = False

    @classmethod
    def refused_start(cls, busy: SourceBusy) -> JobOutcome:
        return cls(
            job_id=busy.job_id,
            source=busy.source_name,
            status=JobStatus.RUNNING,
            counts=JobCounts(),
            seconds=0.0,
            message=cause_text(busy),
            refused=True,
        )


@dataclass
class RunningJob:
    """Mutable state of one running job."""

    id: int
    source: HarvestSource
    actor: Actor
    counts: JobCounts = field(default_factory=JobCounts)
    seen: set[str] = field(default_factory=set)
    errors: int = 0
    reserved_names: set[str] = field(default_factory=set)

    @classmethod
    def for_source(cls, source: HarvestSource, job_id: int) -> Self:
        """The job's state at its start, saving as "Harvest <source> #<job>"."""
        return cls(
            id=job_id,
            source=source,
            actor=Actor(label=f"Harvest {source.name} #{job_id}", harvest_job_id=job_id),
        )

    def note_error(
        self,
        store: Store,
        *,
        record_key: str,
        stage: str,
        message: Bilingual,
        report: dict[str, object] | None = None,
    ) -> None:
        """Keep a problem in the job's report (at once here; a queued job's batch collects
        them and stores them with its counts, harvesters.queue.steps)."""
        record_error(
            store, self.id, record_key=record_key, stage=stage, message=message, report=report
        )


def run_harvest(
    store: Store,
    source: HarvestSource,
    harvester: Harvester,
    preparer: RecordPreparer,
    *,
    heartbeat: JobHeartbeat,
    max_withdraw_fraction: float,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> JobOutcome:
    """Run the started job `heartbeat.job_id` (catalog.jobs.claim_source) and return what it
    did."""
    started = time.monotonic()
    job = RunningJob.for_source(source, heartbeat.job_id)
    known = stored_states(store, source.id)

    def after_each_record(seen: int, counts: JobCounts) -> None:
        heartbeat.beat_if_due()
        if progress is not None:
            progress(seen, counts)

    try:
        _harvest_all(store, job, known, harvester, preparer, after_each_record)
        heartbeat.beat()  # no withdrawal by a job that another one has replaced
    except JobSuperseded as exc:
        log.error("source %s: %s", source.name, exc)
        return _finish(store, job, started, failed=True, complete=False, message=cause_text(exc))
    except GatherError as exc:
        return _finish(
            store, job, started, failed=True, complete=False, message=exc.message, stage="gather"
        )
    except Exception as exc:  # a bug or an unforeseen source failure must not leave "running"
        log.exception("source %s: job %d failed", source.name, job.id)
        return _finish(
            store,
            job,
            started,
            failed=True,
            complete=False,
            message=unexpected(exc),
        )
    if not harvester.complete:
        message = join_bilingual("; ", harvester.notes) + Bilingual(
            " — unvollständig gelesen, nichts zurückgezogen",
            " — read incompletely, nothing withdrawn",
        )
        return _finish(store, job, started, failed=False, complete=False, message=message)
    withdrawal = withdraw_vanished(store, job, known, max_withdraw_fraction, force)
    # What the harvester noted on a complete read (e.g. which API a portal answered) belongs
    # in the job's message too, before anything the withdrawal had to say.
    notes = [*harvester.notes, withdrawal] if withdrawal else harvester.notes
    message = join_bilingual("; ", notes)
    return _finish(store, job, started, failed=False, complete=True, message=message)


@dataclass
class PendingRecord:
    """A record normalised and waiting for its validation report."""

    remote: RemoteRecord
    stored: StoredState | None
    node: URIRef
    name: str | None
    delivery: Delivery
    normalised: NormalisationResult
    origin: CatalogOrigin | None = None


def _harvest_all(
    store: Store,
    job: RunningJob,
    known: dict[str, StoredState],
    harvester: Harvester,
    preparer: RecordPreparer,
    progress: ProgressCallback | None,
) -> None:
    """Gather, map and normalise record by record; validate and save in batches.

    Validating many graphs together is about a quarter faster (Validator.validate_many gives
    each the report it would get alone); so is judging their 3.0 renderings together, and new
    records are created SAVE_BATCH to a transaction. At most one batch waits between
    normalising and saving, and a gather failure first lets the waiting records be saved.
    """
    waiting: deque[PendingRecord] = deque()
    gather_failure: list[Exception] = []

    def report_progress() -> None:
        if progress is not None:
            progress(len(job.seen), job.counts)

    def normalised_graphs() -> Iterator[Graph]:
        try:
            for remote in harvester.gather():
                pending = _start_one(store, job, remote, known, harvester, preparer)
                if pending is None:
                    report_progress()
                    continue
                waiting.append(pending)
                yield pending.normalised.graph
        except Exception as exc:  # raised below, once the waiting records are saved
            gather_failure.append(exc)

    graphs = normalised_graphs()
    reports = preparer.validator.validate_many(graphs)
    validated: list[tuple[PendingRecord, ValidationReport]] = []
    while True:
        try:
            report = next(reports)
        except StopIteration:
            break
        except Exception:
            # A batch could not be validated: find the record that breaks it, one by one,
            # then go on with the rest of the source. (Errors while saving are not caught
            # here: they end the job, as a broken database should.)
            log.exception("source %s: a validation batch failed", job.source.name)
            save_validated(store, job, validated, preparer, report_progress)
            validated = []
            validate_one_by_one(store, job, waiting, preparer, report_progress)
            reports = preparer.validator.validate_many(graphs)
            continue
        validated.append((waiting.popleft(), report))
        if len(validated) >= SAVE_BATCH:
            save_validated(store, job, validated, preparer, report_progress)
            validated = []
    save_validated(store, job, validated, preparer, report_progress)
    if gather_failure:
        raise gather_failure[0]


# Validated records saved together: their 3.0 verdicts judged in one run, their new records
# created in one transaction (the size of Validator.validate_many's batches).
SAVE_BATCH = 50


def save_validated(
    store: Store,
    job: RunningJob,
    validated: list[tuple[PendingRecord, ValidationReport]],
    preparer: RecordPreparer,
    report_progress: Callable[[], None] | None = None,
) -> None:
    """Complete and save validated records as a batch (see SAVE_BATCH)."""
    if not validated:
        return
    verdicts = v3_verdicts(preparer, [pending.normalised.graph for pending, _ in validated])
    deferred: list[DeferredCreate] = []
    for (pending, report), v3 in zip(validated, verdicts, strict=True):
        complete_record(store, job, pending, report, preparer, v3=v3, deferred=deferred)
    create_deferred(store, job, deferred)
    if report_progress is not None:
        for _ in validated:
            report_progress()


def v3_verdicts(preparer: RecordPreparer, graphs: list[Graph]) -> list[V3Judgement | None]:
    """The DCAT-AP.de 3.0 verdicts of a batch, judged together; if that fails, each record is
    judged alone when it is completed (and a record that breaks it fails alone)."""
    try:
        return list(preparer.v3_judge.judge_many(graphs))
    except Exception:
        log.exception("a 3.0 validation batch failed; judging its records one by one")
        return [None] * len(graphs)


def validate_one_by_one(
    store: Store,
    job: RunningJob,
    waiting: deque[PendingRecord],
    preparer: RecordPreparer,
    report_progress: Callable[[], None],
) -> None:
    while waiting:
        pending = waiting.popleft()
        try:
            report = preparer.validator.validate(pending.normalised.graph)
        except Exception as exc:
            message = Bilingual("Validierung nicht möglich: ", "Validation impossible: ")
            message += cause_text(exc)
            fail_record(store, job, pending.remote, "validate", message)
        else:
            complete_record(store, job, pending, report, preparer)
        report_progress()


def _start_one(
    store: Store,
    job: RunningJob,
    remote: RemoteRecord,
    known: dict[str, StoredState],
    harvester: Harvester,
    preparer: RecordPreparer,
) -> PendingRecord | None:
    """Everything before validation; None when the record is settled already."""
    mapped = map_record(store, job, remote, known, harvester, preparer)
    return normalise_record(store, job, mapped, preparer) if mapped is not None else None


@dataclass
class MappedRecord:
    """A delivered record as DCAT-AP.de RDF, before normalising: what a queued job stages."""

    remote: RemoteRecord
    stored: StoredState | None
    graph: Graph
    node: URIRef
    name: str | None
    delivery: Delivery
    origin: CatalogOrigin | None


def map_record(
    store: Store,
    job: RunningJob,
    remote: RemoteRecord,
    known: dict[str, StoredState],
    harvester: Harvester,
    preparer: RecordPreparer,
) -> MappedRecord | None:
    """Check, fetch whole if needed and map one gathered record; None when it is settled
    here (a duplicate key, unchanged, or refused: counted and reported)."""
    if remote.key in job.seen:
        fail_record(
            store,
            job,
            remote,
            "gather",
            Bilingual(
                f"Kennung doppelt in der Quelle: {remote.key}",
                f"Identifier occurs twice in the source: {remote.key}",
            ),
        )
        return None
    job.seen.add(remote.key)
    stored = known.get(remote.key)
    if remote.payload is None:
        # The source said "unchanged since the last complete job" (changed-only gathering).
        if stored is not None and stored.valid and stored.status != RecordStatus.WITHDRAWN:
            job.counts.unchanged += 1
            return None
        # We hold no good copy (it failed or was withdrawn before): fetch it whole.
        try:
            refetched = harvester.refetch(remote.key)
        except GatherError as exc:
            fail_record(store, job, remote, "gather", exc.message)
            return None
        if refetched is None or refetched.payload is None:
            not_available = Bilingual("Datensatz nicht abrufbar", "Record not available")
            fail_record(store, job, remote, "gather", not_available)
            return None
        remote = refetched
    try:
        try:
            graph, node = harvester.to_graph(remote)
        finally:
            _report_warnings(store, job, harvester)
        name = None
        if isinstance(node, BNode):
            name, uri = _mint_identity(store, job, preparer, graph, node, stored)
            graph, node = rename_node(graph, node, uri), uri
        origin = harvester.origin(remote)
        delivery = preparer.delivery(graph, origin)
    except RecordError as exc:
        held_back = isinstance(exc, RecordHeldBack)
        fail_record(store, job, remote, "map", exc.message, held_back=held_back)
        return None
    except Exception as exc:
        log.exception("record %s of %s could not be mapped", remote.key, job.source.name)
        fail_record(store, job, remote, "map", unexpected(exc))
        return None
    if (
        stored is not None
        and stored.source_hash == delivery.source_hash
        and stored.valid
        and stored.status == RecordStatus.PUBLISHED
    ):
        job.counts.unchanged += 1  # delivered as before, prepared by the same pipeline
        return None
    if name is not None:
        job.reserved_names.add(name)
    return MappedRecord(remote, stored, graph, URIRef(node), name, delivery, origin)


def normalise_record(
    store: Store, job: RunningJob, mapped: MappedRecord, preparer: RecordPreparer
) -> PendingRecord | None:
    """Normalise a mapped record for validation; None when it is refused (reported)."""
    try:
        normalised = preparer.normalise(mapped.graph, mapped.origin)
        _refuse_overlong_values(normalised.graph)
    except Exception as exc:
        if mapped.name is not None:
            job.reserved_names.discard(mapped.name)
        if isinstance(exc, RecordError):
            held_back = isinstance(exc, RecordHeldBack)
            fail_record(store, job, mapped.remote, "map", exc.message, held_back=held_back)
        else:
            log.exception("record %s of %s could not be mapped", mapped.remote.key, job.source.name)
            fail_record(store, job, mapped.remote, "map", unexpected(exc))
        return None
    return PendingRecord(
        mapped.remote,
        mapped.stored,
        mapped.node,
        mapped.name,
        mapped.delivery,
        normalised,
        mapped.origin,
    )


def _refuse_overlong_values(graph: Graph) -> None:
    """A value over its limit (dcat.text_limits) refuses the record alone: its last good
    version stays published, and as the source still lists it, nothing is withdrawn."""
    overlong = overlong_values(graph)
    if overlong:
        paths = [short_text(URIRef(finding.path or "")) for finding in overlong]
        raise RecordError(
            "; ".join(f"{p}: {f.message_de}" for p, f in zip(paths, overlong, strict=True)),
            "; ".join(f"{p}: {f.message_en}" for p, f in zip(paths, overlong, strict=True)),
        )


def complete_record(
    store: Store,
    job: RunningJob,
    pending: PendingRecord,
    report: ValidationReport,
    preparer: RecordPreparer,
    *,
    v3: V3Judgement | None = None,
    deferred: list[DeferredCreate] | None = None,
) -> None:
    """Derive the record's content and save it (changed-only). `v3`: its 3.0 verdict, judged
    with its batch; `deferred`: collect a new record there for create_deferred instead of
    creating it now."""
    try:
        prepared = preparer.complete(
            pending.normalised,
            report,
            pending.node,
            delivery=pending.delivery,
            origin=pending.origin,
            v3=v3,
        )
    except Exception as exc:
        log.exception("record %s of %s could not be mapped", pending.remote.key, job.source.name)
        fail_record(store, job, pending.remote, "map", unexpected(exc))
        return
    finally:
        if pending.name is not None:
            job.reserved_names.discard(pending.name)
    _save(store, job, pending.remote, pending.stored, prepared, pending.name, deferred)


def _mint_identity(
    store: Store,
    job: RunningJob,
    preparer: RecordPreparer,
    graph: Graph,
    node: BNode,
    stored: StoredState | None,
) -> tuple[str | None, URIRef]:
    """A dataset without an IRI of its own keeps the one we minted for it the first time.

    Names minted for records still waiting in the validation batch count as taken.
    """
    if stored is not None:
        return None, URIRef(stored.uri)
    view = dataset_view(graph, node)
    wanted = view.title or view.identifier or "datensatz"
    name = unique_record_name(store, wanted, also_taken=job.reserved_names)
    return name, URIRef(f"{preparer.settings.catalog.base_url}/dataset/{name}")


def _save(
    store: Store,
    job: RunningJob,
    remote: RemoteRecord,
    stored: StoredState | None,
    prepared: PreparedRecord,
    name: str | None,
    deferred: list[DeferredCreate] | None = None,
) -> None:
    content = prepared.content
    invalid = content.validation_state == ValidationState.INVALID
    if invalid:
        fail_record(
            store,
            job,
            remote,
            "validate",
            prepared.summary(),
            prepared.report_json(),
            held_back=True,
        )
        if stored is not None and (stored.valid or stored.content_hash == content.content_hash):
            # A failing record never overwrites the last good version, and the same failing
            # content is not written again as a new revision.
            return
    elif (
        stored is not None
        and stored.content_hash == content.content_hash
        and stored.status == RecordStatus.PUBLISHED
    ):
        job.counts.unchanged += 1
        if stored.source_hash != content.source_hash and content.source_hash is not None:
            # Same result from a changed delivery or pipeline: remember it, so the next run
            # can skip this record early.
            remember_source_hash(store, stored.record_id, content.source_hash)
        return
    if stored is None and deferred is not None:
        deferred.append(DeferredCreate(remote, prepared, name, invalid))
        return
    try:
        if stored is None:
            _create(store, job, remote, prepared, name)
            if not invalid:
                job.counts.new += 1
        else:
            update_record(
                store,
                stored.record_id,
                content,
                actor=job.actor,
                status=RecordStatus.PUBLISHED,
                note=prepared.change_note(),
            )
            if not invalid:
                job.counts.updated += 1
    except RecordConflict as exc:
        if invalid:  # counted as held back already; the report still says why it is missing
            job.note_error(
                store, record_key=remote.describe(), stage="store", message=cause_text(exc)
            )
        else:
            fail_record(store, job, remote, "store", cause_text(exc))


@dataclass(frozen=True)
class DeferredCreate:
    """A new record waiting to be created with the rest of its batch (create_deferred)."""

    remote: RemoteRecord
    prepared: PreparedRecord
    name: str | None
    invalid: bool


def create_deferred(store: Store, job: RunningJob, deferred: list[DeferredCreate]) -> None:
    """Create a batch's new records in one transaction (one commit instead of one each); if a
    name or URI clashes, create them one by one, so that only the clashing record fails."""
    if not deferred:
        return
    taken = set(job.reserved_names) | {waiting.name for waiting in deferred if waiting.name}
    items = []
    for waiting in deferred:
        name = waiting.name or unique_record_name(
            store, waiting.prepared.name_hint, also_taken=taken
        )
        taken.add(name)
        items.append(
            NewRecord(
                name=name,
                content=waiting.prepared.content,
                status=RecordStatus.PUBLISHED,
                organization_id=job.source.organization_id,
                source_id=job.source.id,
                remote_id=waiting.remote.key,
                note=waiting.prepared.change_note(),
            )
        )
    try:
        create_records(store, items, actor=job.actor)
    except RecordConflict:
        for waiting in deferred:
            _create_alone(store, job, waiting)
        return
    job.counts.new += sum(1 for waiting in deferred if not waiting.invalid)


def _create_alone(store: Store, job: RunningJob, waiting: DeferredCreate) -> None:
    try:
        _create(store, job, waiting.remote, waiting.prepared, waiting.name)
    except RecordConflict as exc:
        if waiting.invalid:  # counted as held back already
            job.note_error(
                store, record_key=waiting.remote.describe(), stage="store", message=cause_text(exc)
            )
        else:
            fail_record(store, job, waiting.remote, "store", cause_text(exc))
        return
    if not waiting.invalid:
        job.counts.new += 1


# A name chosen for a new record may be taken by another worker's batch between the look and
# the save (two records of one source with the same title): so many tries with a fresh one.
NAME_ATTEMPTS = 3


def _create(
    store: Store, job: RunningJob, remote: RemoteRecord, prepared: PreparedRecord, name: str | None
) -> None:
    for attempt in range(1, NAME_ATTEMPTS + 1):
        # Names minted for records still waiting in the batch count as taken.
        chosen = name or unique_record_name(
            store, prepared.name_hint, also_taken=job.reserved_names
        )
        try:
            create_record(
                store,
                prepared.content,
                name=chosen,
                actor=job.actor,
                status=RecordStatus.PUBLISHED,
                organization_id=job.source.organization_id,
                source_id=job.source.id,
                remote_id=remote.key,
                note=prepared.change_note(),
            )
            return
        except RecordConflict:
            if name is not None or attempt == NAME_ATTEMPTS or not _name_taken(store, chosen):
                raise


def _name_taken(store: Store, name: str) -> bool:
    with store.reading() as session:
        found = session.scalar(select(DatasetRecord.id).where(DatasetRecord.name == name))
    return found is not None


def fail_record(
    store: Store,
    job: RunningJob,
    remote: RemoteRecord,
    stage: str,
    message: Bilingual,
    report: dict[str, object] | None = None,
    *,
    held_back: bool = False,
) -> None:
    """Report a record that is not published: held back (stored with DCAT-AP.de violations,
    or its last good version kept) or refused (not stored at all)."""
    job.counts.failed += 1
    if held_back:
        job.counts.held_back += 1
    else:
        job.counts.refused += 1
    job.errors += 1
    job.note_error(store, record_key=remote.describe(), stage=stage, message=message, report=report)


def _report_warnings(store: Store, job: RunningJob, harvester: Harvester) -> None:
    """Put what the harvester noted about a record it still delivered into the job report."""
    for warning in harvester.take_warnings():
        job.counts.warnings += 1
        report = None
        if warning.finding is not None:
            report = ValidationReport(conforms=True, results=[warning.finding]).to_json()
        job.note_error(
            store,
            record_key=warning.record.describe(),
            stage="warning",
            message=warning.message,
            report=report,
        )


def withdraw_vanished(
    store: Store,
    job: RunningJob,
    known: dict[str, StoredState],
    max_fraction: float,
    force: bool,
) -> Bilingual | None:
    """Withdraw records the complete source no longer lists, unless that is suspiciously many."""
    active = {key: state for key, state in known.items() if state.status != RecordStatus.WITHDRAWN}
    vanished = [state for key, state in active.items() if key not in job.seen]
    if not vanished:
        return None
    if not force and len(vanished) > max_fraction * len(active):
        message = Bilingual(
            f"{len(vanished)} von {len(active)} Datensätzen fehlen in der Quelle; mehr als "
            f"{max_fraction:.0%}, daher wurde nichts zurückgezogen (mit --force erzwingen)",
            f"{len(vanished)} of {len(active)} records are missing from the source, more than "
            f"{max_fraction:.0%}: nothing was withdrawn (use --force to withdraw them)",
        )
        log.warning("source %s: %s", job.source.name, message.en)
        return message
    for state in vanished:
        withdraw_record(
            store,
            state.record_id,
            actor=job.actor,
            note=Bilingual("nicht mehr in der Quelle", "no longer in the source"),
        )
        job.counts.withdrawn += 1
    return None


def stored_states(
    store: Store, source_id: str, keys: Collection[str] | None = None
) -> dict[str, StoredState]:
    """The source's records by remote key (all, or those of `keys`): a few hundred bytes
    each, even for large sources."""
    query = select(
        DatasetRecord.remote_id,
        DatasetRecord.id,
        DatasetRecord.uri,
        DatasetRecord.content_hash,
        DatasetRecord.source_hash,
        DatasetRecord.status,
        DatasetRecord.validation_state,
    ).where(DatasetRecord.source_id == source_id)
    if keys is not None:  # the unique (source_id, remote_id) index answers this
        query = query.where(DatasetRecord.remote_id.in_(list(keys)))
    with store.reading() as session:
        rows = session.execute(query).all()
    return {
        remote_id: StoredState(
            record_id=record_id,
            uri=uri,
            content_hash=content_hash,
            source_hash=source_hash,
            status=status,
            valid=validation_state != ValidationState.INVALID,
        )
        for remote_id, record_id, uri, content_hash, source_hash, status, validation_state in rows
        if remote_id is not None
    }


def _finish(
    store: Store,
    job: RunningJob,
    started: float,
    *,
    failed: bool,
    complete: bool,
    message: Bilingual,
    stage: str = JOB_STAGE,
) -> JobOutcome:
    finished = finish_job(
        store,
        job.id,
        job.counts,
        gather_complete=complete,
        failed=failed,
        message=message,
        failure_stage=stage,
    )
    take_snapshot(store)  # the quality trend's point of the day (catalog.quality.aggregates)
    return JobOutcome(
        job_id=job.id,
        source=job.source.name,
        status=finished.status,
        counts=job.counts,
        seconds=time.monotonic() - started,
        message=message,
        errors=job.errors,
    )
