"""A queued job's steps, driven by hand: the same catalog and the same report as an in-process
job, and every step safe to run again after its worker died at any point (at-least-once
delivery hands the task to another worker, which starts it from the beginning).

Each scenario runs twice, on twin stores: through the queue's steps on `store` (SQLite and
PostgreSQL), and through the in-process runner on a second SQLite file; the queued job must
end where the in-process one ends.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal
from sqlalchemy import func, select

from catalog.harvest_batches import staged_so_far
from catalog.ingest import RecordPreparer
from catalog.job_liveness import fail_abandoned_jobs
from catalog.jobs import get_job, job_errors
from catalog.migrate import upgrade_database
from catalog.models import (
    DatasetRecord,
    HarvestBatch,
    HarvestJob,
    JobStatus,
    RecordStatus,
    Revision,
)
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import Settings
from catalog.store import Store, open_store
from dcat.namespaces import DCAT, DCT
from harvesters.queue import steps
from harvesters.runner import JobOutcome
from tests.conftest import REPO
from tests.harvesters.conftest import run_source, source_settings
from tests.harvesters.queue.steps_driver import (
    HandDispatch,
    enqueue_by_hand,
    run_all,
    worker_context,
)

DEMO = REPO / "catalog/demo/tiefbauamt"
BATCH_SIZE = 4
_PREPARER: dict[str, RecordPreparer] = {}


class WorkerDied(BaseException):
    """Stands for a SIGKILL: not an Exception, so no step's error handling catches it."""


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tiefbauamt"
    shutil.copytree(DEMO, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, source_dir: Path) -> Settings:
    plain = source_settings(
        tmp_path, [{"name": "tiefbau", "type": "dcat", "path": str(source_dir)}]
    )
    return plain.model_copy(
        update={"tasks": plain.tasks.model_copy(update={"batch_size": BATCH_SIZE})}
    )


@pytest.fixture
def twin(tmp_path: Path) -> Iterator[Store]:
    """The in-process job's store."""
    opened = open_store(f"sqlite:///{tmp_path / 'twin.db'}")
    upgrade_database(opened)
    yield opened
    opened.close()


def _preparer(settings: Settings) -> RecordPreparer:
    if "shared" not in _PREPARER:
        _PREPARER["shared"] = RecordPreparer(settings)
    return _PREPARER["shared"]


def _context(store: Store, settings: Settings) -> steps.WorkerContext:
    return worker_context(store, settings, _preparer(settings))


def _new_job(store: Store, settings: Settings) -> int:
    sync_organizations(store, settings.organizations)
    sync_sources(store, settings.sources)
    source = get_source_by_name(store, "tiefbau")
    assert source is not None
    return enqueue_by_hand(store, settings, source)


def _report(store: Store, job_id: int) -> dict[str, Any]:
    """A job as its report shows it: status, every count, and each error by record and stage."""
    job = get_job(store, job_id)
    assert job is not None
    errors = sorted((e.record_key, e.stage, e.message) for e in job_errors(store, job_id))
    return {
        "status": job.status,
        "counts": (
            job.new_count,
            job.updated_count,
            job.unchanged_count,
            job.withdrawn_count,
            job.failed_count,
            job.held_back_count,
            job.refused_count,
            job.warning_count,
        ),
        "errors": errors,
    }


def _in_process_report(twin: Store, outcome: JobOutcome) -> dict[str, Any]:
    return _report(twin, outcome.job_id)


def _catalog(store: Store) -> dict[str, tuple[str, str, list[tuple[int, str, str, str]]]]:
    """Each record by URI: its content hash, status and revisions (number, notes, status)."""
    with store.reading() as session:
        revisions: dict[str, list[tuple[int, str, str, str]]] = {}
        for revision in session.scalars(select(Revision).order_by(Revision.number)):
            revisions.setdefault(revision.record_id, []).append(
                (revision.number, revision.note, revision.note_en, revision.status.value)
            )
        return {
            record.uri: (record.content_hash, record.status.value, revisions[record.id])
            for record in session.scalars(select(DatasetRecord))
        }


def test_a_queued_job_ends_where_the_in_process_job_ends(
    store: Store, twin: Store, settings: Settings
) -> None:
    job_id = _new_job(store, settings)
    dispatch = HandDispatch()
    run_all(_context(store, settings), job_id, dispatch)
    expected = run_source(twin, settings, "tiefbau")

    assert _report(store, job_id) == _in_process_report(twin, expected)
    assert _catalog(store) == _catalog(twin)
    assert expected.counts.new > BATCH_SIZE  # so the job really had several batches
    with store.reading() as session:  # a finished job's staged records are gone
        assert session.scalar(select(func.count()).select_from(HarvestBatch)) == 0
        assert session.get(HarvestJob, job_id).runner == "task-queue"  # type: ignore[union-attr]

    again = _new_job(store, settings)
    run_all(_context(store, settings), again, HandDispatch())
    unchanged = run_source(twin, settings, "tiefbau")
    assert _report(store, again) == _in_process_report(twin, unchanged)
    assert _catalog(store) == _catalog(twin)  # no revision written by the unchanged run


@pytest.mark.parametrize("dies_after_saving", [0, 2, BATCH_SIZE])
def test_a_batch_whose_worker_died_runs_again_without_writing_or_counting_twice(
    store: Store,
    twin: Store,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    dies_after_saving: int,
) -> None:
    """The worker dies after saving some records of a batch (or all, just before the batch is
    marked done); the task is handed out again and the batch runs from its start."""
    job_id = _new_job(store, settings)
    dispatch = HandDispatch()
    context = _context(store, settings)
    steps.gather(context, job_id, dispatch)
    _, first = dispatch.batches.pop(0)

    saves = 0
    real_complete_record = steps.complete_record
    real_complete_batch = steps.complete_batch

    def dying_complete_record(*args: Any, **kwargs: Any) -> None:
        nonlocal saves
        if saves == dies_after_saving:
            raise WorkerDied
        saves += 1
        real_complete_record(*args, **kwargs)

    def dying_complete_batch(*args: Any, **kwargs: Any) -> bool:
        raise WorkerDied

    monkeypatch.setattr(steps, "complete_record", dying_complete_record)
    if dies_after_saving == BATCH_SIZE:
        monkeypatch.setattr(steps, "complete_batch", dying_complete_batch)
    with pytest.raises(WorkerDied):
        steps.process_batch(context, job_id, first, dispatch)
    monkeypatch.setattr(steps, "complete_record", real_complete_record)
    monkeypatch.setattr(steps, "complete_batch", real_complete_batch)

    dispatch.batches.insert(0, (job_id, first))  # handed out again
    run_all(context, job_id, dispatch)

    expected = run_source(twin, settings, "tiefbau")
    assert _report(store, job_id) == _in_process_report(twin, expected)
    assert _catalog(store) == _catalog(twin)  # one revision per record, as in-process


def test_a_gather_whose_worker_died_runs_again_and_skips_what_it_staged(
    store: Store, twin: Store, settings: Settings
) -> None:
    class DyingDispatch(HandDispatch):
        def send_batch(self, job_id: int, number: int) -> None:
            if number == 2:
                raise WorkerDied  # batch 2 is staged, but its message never left
            super().send_batch(job_id, number)

    job_id = _new_job(store, settings)
    context = _context(store, settings)
    dying = DyingDispatch()
    with pytest.raises(WorkerDied):
        steps.gather(context, job_id, dying)
    keys_before, _, next_number, unsent = staged_so_far(store, job_id)
    assert next_number == 3 and 2 in unsent and len(keys_before) > 0

    dispatch = HandDispatch(batches=list(dying.batches))
    run_all(context, job_id, dispatch)

    with store.reading() as session:
        items = [
            item["key"]
            for batch_items in session.scalars(select(HarvestBatch.items))
            for item in batch_items
        ]
    assert items == []  # dropped at the finish
    expected = run_source(twin, settings, "tiefbau")
    assert _report(store, job_id) == _in_process_report(twin, expected)
    assert _catalog(store) == _catalog(twin)


def test_each_staged_record_is_staged_once_across_gather_tries(
    store: Store, settings: Settings
) -> None:
    class DyingDispatch(HandDispatch):
        def send_batch(self, job_id: int, number: int) -> None:
            if number == 2:
                raise WorkerDied
            super().send_batch(job_id, number)

    job_id = _new_job(store, settings)
    context = _context(store, settings)
    with pytest.raises(WorkerDied):
        steps.gather(context, job_id, DyingDispatch())
    steps.gather(context, job_id, HandDispatch())  # the second try, up to its last batch
    with store.reading() as session:
        keys = [
            item["key"]
            for batch_items in session.scalars(
                select(HarvestBatch.items).where(HarvestBatch.job_id == job_id)
            )
            for item in batch_items
        ]
    assert len(keys) == len(set(keys)) > BATCH_SIZE


def test_the_finish_runs_once_however_often_it_is_sent(
    store: Store, settings: Settings, source_dir: Path
) -> None:
    context = _context(store, settings)
    first = _new_job(store, settings)
    run_all(context, first, HandDispatch())

    (source_dir / "catalog-2.ttl").unlink()  # its records vanish from the source
    loose = settings.model_copy(update={"harvest": _no_threshold(settings)})
    context = _context(store, loose)
    job_id = _new_job(store, loose)
    dispatch = HandDispatch()
    steps.gather(context, job_id, dispatch)
    while dispatch.batches:
        steps.process_batch(context, *dispatch.batches.pop(0), dispatch)
    assert dispatch.finishes == [job_id]
    steps.finish(context, job_id, finisher="second")
    steps.finish(context, job_id, finisher="first")  # the job has ended: nothing happens
    job = get_job(store, job_id)
    assert job is not None and job.status in (JobStatus.DONE, JobStatus.DONE_WITH_ERRORS)
    with store.reading() as session:
        withdrawn_revisions = session.scalar(
            select(func.count())
            .select_from(Revision)
            .where(Revision.harvest_job_id == job_id, Revision.status == RecordStatus.WITHDRAWN)
        )
    assert job.withdrawn_count == withdrawn_revisions > 0


def _no_threshold(settings: Settings) -> Any:
    return settings.harvest.model_copy(update={"max_withdraw_fraction": 1.0})


def test_a_source_that_cannot_be_read_fails_the_queued_job_and_withdraws_nothing(
    store: Store, twin: Store, settings: Settings, source_dir: Path
) -> None:
    context = _context(store, settings)
    run_all(context, _new_job(store, settings), HandDispatch())
    run_source(twin, settings, "tiefbau")
    before = _catalog(store)
    shutil.rmtree(source_dir)

    job_id = _new_job(store, settings)
    run_all(context, job_id, HandDispatch())
    expected = run_source(twin, settings, "tiefbau")
    report = _report(store, job_id)
    assert report["status"] == JobStatus.FAILED
    assert report == _in_process_report(twin, expected)
    assert _catalog(store) == before


def _change_every_description(source_dir: Path) -> None:
    """A new dct:description on every dataset of the source: the next job updates them all."""
    for path in source_dir.glob("*.ttl"):
        graph = Graph().parse(path, format="turtle")
        for dataset in set(graph.subjects(RDF.type, DCAT.Dataset)):
            graph.set((dataset, DCT.description, Literal("Neu beschrieben.", lang="de")))
        graph.serialize(path, format="turtle")


def test_an_update_batch_whose_worker_died_runs_again_without_a_second_revision(
    store: Store,
    twin: Store,
    settings: Settings,
    source_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = _context(store, settings)
    run_all(context, _new_job(store, settings), HandDispatch())
    run_source(twin, settings, "tiefbau")
    _change_every_description(source_dir)

    job_id = _new_job(store, settings)
    dispatch = HandDispatch()
    steps.gather(context, job_id, dispatch)
    _, first = dispatch.batches.pop(0)
    saves = 0
    real_complete_record = steps.complete_record

    def dying_complete_record(*args: Any, **kwargs: Any) -> None:
        nonlocal saves
        if saves == 2:
            raise WorkerDied  # two records of the batch are updated, the rest not
        saves += 1
        real_complete_record(*args, **kwargs)

    monkeypatch.setattr(steps, "complete_record", dying_complete_record)
    with pytest.raises(WorkerDied):
        steps.process_batch(context, job_id, first, dispatch)
    monkeypatch.setattr(steps, "complete_record", real_complete_record)
    dispatch.batches.insert(0, (job_id, first))
    run_all(context, job_id, dispatch)

    expected = run_source(twin, settings, "tiefbau")
    assert expected.counts.updated > 2
    assert _report(store, job_id) == _in_process_report(twin, expected)
    assert _catalog(store) == _catalog(twin)


def test_the_batches_of_a_job_failed_as_abandoned_are_dropped_unsaved(
    store: Store, settings: Settings
) -> None:
    """A job whose heartbeat stopped (all workers gone) is failed when its source is started
    again; a batch task of it delivered later saves nothing and leaves nothing staged."""
    job_id = _new_job(store, settings)
    dispatch = HandDispatch()
    context = _context(store, settings)
    steps.gather(context, job_id, dispatch)
    later = datetime.now(UTC) + settings.harvest.stale_after * 2
    assert fail_abandoned_jobs(store, stale_after=settings.harvest.stale_after, now=later) == [
        job_id
    ]
    while dispatch.batches:
        steps.process_batch(context, *dispatch.batches.pop(0), dispatch)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(HarvestBatch)) == 0
        assert session.scalar(select(func.count()).select_from(DatasetRecord)) == 0
    assert dispatch.finishes == []
    job = get_job(store, job_id)
    assert job is not None and job.status == JobStatus.FAILED
