"""The change log: every committed change to a record, in commit order, in the change's transaction.

One log for every reader that follows the catalog: the public change feed and webhooks
(catalog.change_feed) and, on each web node, the search index (issue 22). A reader keeps the
last position it has seen and asks for what comes after it.

Why positions are never seen out of order: an autoincrement id is taken when a row is
inserted, not when it commits, so on PostgreSQL a transaction with id 8 can commit before one
with id 7, and a reader that saw 8 and moved its cursor past it would skip 7 for good. Here a
transaction takes its positions from the one row of `change_log_head` as its last statement
before the commit (append_changes). Updating that row locks it until the commit, so the next
writer gets the next position only after this one has committed (PostgreSQL makes a commit
visible before it releases the locks), and every position below a visible one is visible too.
On SQLite every writer holds the database's write lock from BEGIN IMMEDIATE to the commit,
which gives the same order. The cost is that writers queue for the head row for the
few microseconds between their last statement and their commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.orm import Session

from catalog.models import (
    ChangeLogEntry,
    ChangeLogHead,
    DatasetRecord,
    RecordStatus,
    ValidationState,
    utcnow,
)
from catalog.store import CHANGED_RECORDS, Store

HEAD_ROW = 1

# What a record change did, as the log names it.
CREATED = "created"
UPDATED = "updated"
STATUS = "status"
RESTORED = "restored"
ACTIONS = (CREATED, UPDATED, STATUS, RESTORED)

# The record columns whose change the log names; the graph counts as "content".
TRACKED_COLUMNS = (
    "status",
    "content_hash",
    "title",
    "issued",
    "modified",
    "validation_state",
    "violation_count",
    "warning_count",
)


@dataclass(frozen=True)
class Change:
    """A change of one record, as its transaction hands it to append_changes."""

    record_id: str
    revision_number: int
    action: str
    status_before: RecordStatus | None
    validation_before: ValidationState | None
    status_after: RecordStatus
    validation_after: ValidationState
    organization_id: str | None
    changed: tuple[str, ...]
    changed_at: datetime


def snapshot(record: DatasetRecord) -> dict[str, Any]:
    """The tracked columns of a record, taken before a change to compare after it."""
    return {column: getattr(record, column) for column in TRACKED_COLUMNS}


def change_of(record: DatasetRecord, before: dict[str, Any] | None, action: str) -> Change:
    """The change a transaction made to `record`, given its snapshot from before (None: new)."""
    after = snapshot(record)
    if before is None:
        changed = tuple(_column_name(column) for column in TRACKED_COLUMNS)
    else:
        changed = tuple(
            _column_name(column) for column in TRACKED_COLUMNS if before[column] != after[column]
        )
    return Change(
        record_id=record.id,
        revision_number=record.revision_number,
        action=action,
        status_before=None if before is None else before["status"],
        validation_before=None if before is None else before["validation_state"],
        status_after=record.status,
        validation_after=record.validation_state,
        organization_id=record.organization_id,
        changed=changed,
        changed_at=record.updated_at,
    )


def _column_name(column: str) -> str:
    return "content" if column == "content_hash" else column


def append_changes(session: Session, changes: Sequence[Change]) -> list[int]:
    """Write the changes at the next positions: the LAST statement before the commit.

    Everything else the transaction writes is flushed first, so the head row stays locked
    only for the insert below and the commit (see the module docstring for why it is locked).
    After the commit the store tells its listeners (this process's search index) which
    records changed, so they follow the log at once instead of at their next poll.
    """
    if not changes:
        return []
    session.info.setdefault(CHANGED_RECORDS, set()).update(c.record_id for c in changes)
    session.flush()
    session.execute(
        update(ChangeLogHead)
        .where(ChangeLogHead.id == HEAD_ROW)
        .values(position=ChangeLogHead.position + len(changes))
    )
    last = session.scalar(select(ChangeLogHead.position).where(ChangeLogHead.id == HEAD_ROW))
    if last is None:
        raise RuntimeError("the change log has no head row: run `catalog init` to migrate")
    first = last - len(changes) + 1
    positions = list(range(first, last + 1))
    session.execute(
        insert(ChangeLogEntry),
        [
            {
                "position": position,
                "record_id": change.record_id,
                "revision_number": change.revision_number,
                "action": change.action,
                "status_before": change.status_before,
                "validation_before": change.validation_before,
                "status_after": change.status_after,
                "validation_after": change.validation_after,
                "organization_id": change.organization_id,
                "changed": list(change.changed),
                "changed_at": change.changed_at or utcnow(),
            }
            for position, change in zip(positions, changes, strict=True)
        ],
    )
    return positions


@dataclass(frozen=True)
class ChangePage:
    """Log entries after a position, and the position a reader continues from.

    `next_position` is the last entry's position, or, when fewer than asked for matched, the
    head the reader saw: every change up to it has been looked at.
    """

    entries: list[ChangeLogEntry]
    next_position: int


def head_position(store: Store) -> int:
    """The last position handed out (and committed: see the module docstring)."""
    with store.reading() as session:
        return _head(session)


def _head(session: Session) -> int:
    return session.scalar(select(ChangeLogHead.position).where(ChangeLogHead.id == HEAD_ROW)) or 0


def read_changes(
    store: Store,
    *,
    after: int,
    limit: int,
    conditions: Iterable[ColumnElement[bool]] = (),
) -> ChangePage:
    """Entries after position `after` in order, at most `limit`, matching all `conditions`.

    The head is read first: every position up to it is committed, so a page that ends short
    of `limit` may move the reader's position to the head without skipping anything.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    with store.reading() as session:
        head = _head(session)
        query = (
            select(ChangeLogEntry)
            .where(ChangeLogEntry.position > after, ChangeLogEntry.position <= head, *conditions)
            .order_by(ChangeLogEntry.position)
            .limit(limit)
        )
        entries = list(session.scalars(query))
    if len(entries) == limit:
        return ChangePage(entries, entries[-1].position)
    return ChangePage(entries, max(head, after))


def count_changes(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0
