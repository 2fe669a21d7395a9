"""The search outbox: which records' documents are due, written with the change itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from catalog.models import SearchQueueEntry, utcnow
from catalog.store import CHANGED_RECORDS, HANDED_OVER, Store
from dcat.view import DatasetView


@dataclass(frozen=True)
class DueBatch:
    """Queue entries up to `last_entry`, and the distinct records they name."""

    last_entry: int
    record_ids: list[str]


def queue_for_index(session: Session, record_ids: Iterable[str]) -> None:
    """Inside the transaction that changes the records: their documents are now due."""
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        return
    now = utcnow()
    session.execute(insert(SearchQueueEntry), [{"record_id": i, "queued_at": now} for i in ids])
    session.info.setdefault(CHANGED_RECORDS, set()).update(ids)


@dataclass(frozen=True)
class ViewInHand:
    """The flat view a save had of the graph it stored, and that graph's content hash: the
    index writer uses it instead of parsing the stored graph again, as long as the record
    still has that hash (a later save elsewhere has not replaced it)."""

    content_hash: str
    view: DatasetView


def hand_over_views(session: Session, views: Iterable[tuple[str, ViewInHand]]) -> None:
    """Inside the saving transaction: the views of the records it stores, for the index."""
    session.info.setdefault(HANDED_OVER, {}).update(views)


def take_view(store: Store, record_id: str, content_hash: str) -> DatasetView | None:
    """The view handed over for the record's current graph; None: parse the stored graph."""
    handed = store.handed_over.pop(record_id, None)
    if isinstance(handed, ViewInHand) and handed.content_hash == content_hash:
        return handed.view
    return None


def due_batch(store: Store, limit: int = 1000) -> DueBatch | None:
    """The oldest due entries; None when the index is current."""
    query = select(SearchQueueEntry.id, SearchQueueEntry.record_id).order_by(SearchQueueEntry.id)
    with store.reading() as session:
        rows = session.execute(query.limit(limit)).all()
    if not rows:
        return None
    return DueBatch(last_entry=rows[-1][0], record_ids=list(dict.fromkeys(r[1] for r in rows)))


def mark_done(store: Store, last_entry: int) -> None:
    """Entries up to last_entry are in the index; later ones (newer changes) stay due."""
    with store.transaction() as session:
        session.execute(delete(SearchQueueEntry).where(SearchQueueEntry.id <= last_entry))


def newest_entry(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.max(SearchQueueEntry.id))) or 0


def due_count(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(SearchQueueEntry)) or 0
