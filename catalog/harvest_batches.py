"""What a queued harvest job keeps between its tasks (harvesters/queue): staged batches and
the gather's outcome, so that any worker on any machine can take the next step, and a step run
twice (a task handed out again after its worker died) counts once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update

from catalog.jobs import NO_MESSAGE, JobCounts
from catalog.models import HarvestBatch, HarvestError, HarvestJob, JobStatus, utcnow
from catalog.store import Store
from dcat.bilingual import Bilingual


@dataclass(frozen=True)
class NotedError:
    """A problem for the job's report, kept until the batch it belongs to is stored."""

    record_key: str
    stage: str
    message: Bilingual
    report: dict[str, object] | None = None

    def row(self, job_id: int) -> HarvestError:
        return HarvestError(
            job_id=job_id,
            record_key=self.record_key,
            stage=self.stage,
            message=self.message.de,
            message_en=self.message.en,
            report=self.report,
        )


@dataclass(frozen=True)
class GatherOutcome:
    """How the gather ended; the finishing step decides on it (withdraw or not, job status)."""

    complete: bool
    failed: bool = False
    stage: str = "gather"
    message: Bilingual = NO_MESSAGE
    notes: tuple[Bilingual, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "failed": self.failed,
            "stage": self.stage,
            "message": [self.message.de, self.message.en],
            "notes": [[note.de, note.en] for note in self.notes],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GatherOutcome:
        return cls(
            complete=bool(data["complete"]),
            failed=bool(data["failed"]),
            stage=str(data["stage"]),
            message=Bilingual(*data["message"]),
            notes=tuple(Bilingual(*note) for note in data["notes"]),
        )


def counts_json(counts: JobCounts) -> dict[str, int]:
    return asdict(counts)


def counts_from_json(data: Mapping[str, int] | None) -> JobCounts:
    return JobCounts(**dict(data or {}))


def add_counts(total: JobCounts, more: JobCounts) -> JobCounts:
    return JobCounts(**{key: value + getattr(more, key) for key, value in asdict(total).items()})


# --- batches ----------------------------------------------------------------------------------


def stage_batch(
    store: Store,
    job_id: int,
    number: int,
    items: list[dict[str, Any]],
    gather_counts: JobCounts,
    errors: Iterable[NotedError],
    *,
    done: bool = False,
) -> None:
    """Keep a batch of gathered records with what the gather counted and reported for them,
    in one transaction: a gather that starts again skips exactly the records staged here.

    A batch whose records the gather settled all (unchanged, refused) is `done` at once."""
    with store.transaction() as session:
        session.add(
            HarvestBatch(
                job_id=job_id,
                number=number,
                items=items,
                gather_counts=counts_json(gather_counts),
                done=done,
                done_at=utcnow() if done else None,
            )
        )
        session.add_all(error.row(job_id) for error in errors)


def staged_so_far(store: Store, job_id: int) -> tuple[set[str], set[str], int, list[int]]:
    """Keys and minted names staged by an earlier try of the gather, the next batch number,
    and the numbers of the batches not yet done (to be sent again)."""
    keys: set[str] = set()
    names: set[str] = set()
    last = 0
    pending = []
    with store.reading() as session:
        rows = session.execute(
            select(HarvestBatch.number, HarvestBatch.items, HarvestBatch.done).where(
                HarvestBatch.job_id == job_id
            )
        )
        for number, items, done in rows:
            last = max(last, number)
            if not done:
                pending.append(number)
            for item in items:
                keys.add(item["key"])
                if item.get("name"):
                    names.add(item["name"])
    return keys, names, last + 1, sorted(pending)


def load_batch(store: Store, job_id: int, number: int) -> HarvestBatch | None:
    with store.reading() as session:
        return session.get(HarvestBatch, (job_id, number))


def complete_batch(
    store: Store, job_id: int, number: int, counts: JobCounts, errors: Iterable[NotedError]
) -> bool:
    """Store a batch's counts and errors and mark it done, unless another try did so first."""
    with store.transaction() as session:
        statement = (
            update(HarvestBatch)
            .where(
                HarvestBatch.job_id == job_id,
                HarvestBatch.number == number,
                HarvestBatch.done.is_(False),
            )
            .values(done=True, counts=counts_json(counts), done_at=utcnow())
        )
        if cast(CursorResult[Any], session.execute(statement)).rowcount != 1:
            return False  # a concurrent or earlier try stored this batch: roll back ours
        session.add_all(error.row(job_id) for error in errors)
        return True


def end_gather(store: Store, job_id: int, batch_total: int, outcome: GatherOutcome) -> None:
    with store.transaction() as session:
        session.execute(
            update(HarvestJob)
            .where(HarvestJob.id == job_id, HarvestJob.batch_total.is_(None))
            .values(batch_total=batch_total, gather_outcome=outcome.to_json())
        )


def ready_to_finish(store: Store, job_id: int) -> bool:
    """Whether the gather has ended and every batch it staged is done."""
    with store.reading() as session:
        job = session.get(HarvestJob, job_id)
        if job is None or job.status != JobStatus.RUNNING or job.batch_total is None:
            return False
        done = session.scalar(
            select(func.count())
            .select_from(HarvestBatch)
            .where(HarvestBatch.job_id == job_id, HarvestBatch.done.is_(True))
        )
        return done == job.batch_total


def claim_finish(store: Store, job_id: int, finisher: str) -> bool:
    """Let one finishing task work on the job: the first to claim it, or the same task again
    (handed out once more after its worker died)."""
    with store.transaction() as session:
        statement = (
            update(HarvestJob)
            .where(
                HarvestJob.id == job_id,
                HarvestJob.status == JobStatus.RUNNING,
                HarvestJob.finisher.is_(None) | (HarvestJob.finisher == finisher),
            )
            .values(finisher=finisher)
        )
        return cast(CursorResult[Any], session.execute(statement)).rowcount == 1


def summed_counts(store: Store, job_id: int) -> JobCounts:
    total = JobCounts()
    with store.reading() as session:
        for gathered, processed in session.execute(
            select(HarvestBatch.gather_counts, HarvestBatch.counts).where(
                HarvestBatch.job_id == job_id
            )
        ):
            total = add_counts(total, counts_from_json(gathered))
            total = add_counts(total, counts_from_json(processed))
    return total


def seen_keys(store: Store, job_id: int) -> set[str]:
    keys, _, _, _ = staged_so_far(store, job_id)
    return keys


def drop_batches(store: Store, job_id: int) -> None:
    """The staged records of a finished job: its revisions and report keep what matters."""
    with store.transaction() as session:
        session.execute(delete(HarvestBatch).where(HarvestBatch.job_id == job_id))
