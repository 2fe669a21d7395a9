"""Dataset records: every save a revision, nothing deleted, each call one transaction."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog import change_log
from catalog.change_log import Change, append_changes, change_of, snapshot
from catalog.models import (
    DatasetRecord,
    RecordResource,
    RecordStatus,
    Revision,
    ValidationState,
    new_id,
    utcnow,
)
from catalog.quality.scores import ScoreInput, compliance, facts_of_stored_graph, keep_quality
from catalog.resources import keep_resource_ids, resource_ids, resource_ids_in_graph, resource_rows
from catalog.search.handover import ViewInHand, hand_over_views
from catalog.store import Store
from catalog.stored_views import ViewToStore, store_views
from dcat.bilingual import Bilingual
from dcat.quality import QualityFacts
from dcat.view import DatasetView, DistributionView

# The columns a revision copies from its record, so a restore brings all of them back.
# Not the 3.0 rendering and verdict: they are derived anew when a revision is restored.
SNAPSHOT_FIELDS = (
    "status",
    "graph",
    "content_hash",
    "title",
    "issued",
    "modified",
    "validation_state",
    "violation_count",
    "warning_count",
    "validation_report",
)

V3_COLUMNS = ("graph_v3", "violation_count_v3", "validation_report_v3")


@dataclass(frozen=True)
class RecordContent:
    """What a save writes: the record's graph as N-Triples and the columns derived from it."""

    uri: str
    graph: str
    content_hash: str
    title: str = ""
    source_hash: str | None = None
    issued: datetime | None = None
    modified: datetime | None = None
    validation_state: ValidationState = ValidationState.UNKNOWN
    violation_count: int = 0
    warning_count: int = 0
    validation_report: dict[str, Any] | None = None
    # The (sub-)catalog of its source that listed a harvested record.
    origin_catalog: str | None = None
    origin_catalog_title: str | None = None
    # The graph's distributions as the catalog reads them (catalog.ingest has them at hand);
    # None: read from the graph when saved. They give the record's CKAN resource ids.
    distributions: tuple[DistributionView, ...] | None = None
    # What the quality score reads of the graph (catalog.ingest has the graph at hand);
    # None: read from the graph when saved.
    quality_facts: QualityFacts | None = None
    # The graph's flat view (catalog.ingest has it at hand); the search index builds the
    # record's document from it instead of parsing the stored graph again. None: parsed.
    view: DatasetView | None = field(default=None, compare=False)
    # The language `view` was read in; the view is stored for it (catalog.stored_views).
    view_lang: str = field(default="de", compare=False)
    # The DCAT-AP.de 3.0 rendering as N-Triples and our 3.0 shapes' verdict on it (see
    # catalog.profile_store); None: not judged, the record stays out of 3.0 outputs.
    graph_v3: str | None = None
    violation_count_v3: int | None = None
    validation_report_v3: dict[str, Any] | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "graph": self.graph,
            "content_hash": self.content_hash,
            "source_hash": self.source_hash,
            "title": self.title,
            "issued": self.issued,
            "modified": self.modified,
            "validation_state": self.validation_state,
            "violation_count": self.violation_count,
            "warning_count": self.warning_count,
            "validation_report": self.validation_report,
            "origin_catalog": self.origin_catalog,
            "origin_catalog_title": self.origin_catalog_title,
            **self.v3_columns(),
        }

    def v3_columns(self) -> dict[str, Any]:
        return {
            "graph_v3": self.graph_v3,
            "violation_count_v3": self.violation_count_v3,
            "validation_report_v3": self.validation_report_v3,
        }

    def hand_over(self, session: Session, record_id: str) -> None:
        """Give the search index this content's view, if there is one (see `view`)."""
        if self.view is not None:
            hand_over_views(session, [(record_id, ViewInHand(self.content_hash, self.view))])

    def view_to_store(self, record_id: str) -> ViewToStore | None:
        """The view to keep beside the graph, so a reindex need not parse it (if there is one)."""
        if self.view is None:
            return None
        return ViewToStore(record_id, self.content_hash, self.view_lang, self.view)

    def resource_ids(self, record_id: str) -> set[str]:
        """The CKAN resource ids of this content saved as the record `record_id`."""
        if self.distributions is None:
            return resource_ids_in_graph(record_id, self.graph, self.uri)
        return resource_ids(record_id, self.distributions)

    def score_input(self, record_id: str) -> ScoreInput:
        """What the record's quality score needs of this content (catalog.quality)."""
        facts = self.quality_facts
        if facts is None:
            facts = facts_of_stored_graph(self.graph, self.uri)
        return ScoreInput(record_id, facts, compliance(self.validation_state, self.violation_count))


@dataclass(frozen=True)
class Actor:
    """Who causes a save: a steward, a harvest job or the system; named in every revision."""

    label: str
    user_id: str | None = None
    harvest_job_id: int | None = None


@dataclass(frozen=True)
class NewRecord:
    """One record for create_records, the batch form of create_record."""

    name: str
    content: RecordContent
    status: RecordStatus = RecordStatus.DRAFT
    organization_id: str | None = None
    source_id: str | None = None
    remote_id: str | None = None
    note: Bilingual | None = None  # the first revision's note; "angelegt" without one


@dataclass
class RecordPage:
    records: list[DatasetRecord]
    next_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class RecordNotFound(LookupError):
    """No record (or revision) with the given key."""


class RecordConflict(ValueError):
    """The name or URI is already used by another record."""


# What a revision says when its caller gives no note of its own.
CREATED = Bilingual("angelegt", "created")
UPDATED = Bilingual("geändert", "updated")
WITHDRAWN = Bilingual("zurückgezogen", "withdrawn")


def create_record(
    store: Store,
    content: RecordContent,
    *,
    name: str,
    actor: Actor,
    status: RecordStatus = RecordStatus.DRAFT,
    organization_id: str | None = None,
    source_id: str | None = None,
    remote_id: str | None = None,
    note: Bilingual | None = None,
) -> DatasetRecord:
    """Store a new record with its first revision."""
    with _translated_conflicts(name, content.uri), store.transaction() as session:
        now = utcnow()
        record = DatasetRecord(
            id=new_id(),
            name=name,
            organization_id=organization_id,
            source_id=source_id,
            remote_id=remote_id,
            status=status,
            revision_number=0,
            created_at=now,
            updated_at=now,
            **content.columns(),
        )
        session.add(record)
        _append_revision(session, record, actor, note or CREATED)
        session.flush()
        keep_resource_ids(session, record.id, content.resource_ids(record.id))
        keep_quality(session, [content.score_input(record.id)])
        content.hand_over(session, record.id)
        store_views(session, filter(None, [content.view_to_store(record.id)]))
        append_changes(session, [change_of(record, None, change_log.CREATED)])
        return record


def create_records(store: Store, items: Sequence[NewRecord], *, actor: Actor) -> list[str]:
    """Store many new records and their first revisions in one transaction; returns their ids."""
    if not items:
        return []
    with _translated_conflicts(), store.transaction() as session:
        # The time is taken once the write lock is held, so that (updated_at, id) order is
        # commit order on SQLite: a keyset walker past "now" cannot miss this batch.
        record_rows, revision_rows = _new_rows(items, actor, utcnow())
        # Core inserts on the tables: executemany without the ORM's per-row bookkeeping.
        session.execute(insert(_table(DatasetRecord)), record_rows)
        session.execute(insert(_table(Revision)), revision_rows)
        resources = [
            resource
            for item, row in zip(items, record_rows, strict=True)
            for resource in resource_rows(row["id"], item.content.resource_ids(row["id"]))
        ]
        if resources:
            session.execute(insert(_table(RecordResource)), resources)
        keep_quality(
            session,
            [
                item.content.score_input(row["id"])
                for item, row in zip(items, record_rows, strict=True)
            ],
        )
        views = []
        for item, row in zip(items, record_rows, strict=True):
            item.content.hand_over(session, row["id"])
            views.append(item.content.view_to_store(row["id"]))
        store_views(session, filter(None, views))
        append_changes(session, [_created(row) for row in record_rows])
    return [row["id"] for row in record_rows]


def _created(row: dict[str, Any]) -> Change:
    return Change(
        record_id=row["id"],
        revision_number=row["revision_number"],
        action=change_log.CREATED,
        status_before=None,
        validation_before=None,
        status_after=row["status"],
        validation_after=row["validation_state"],
        organization_id=row["organization_id"],
        changed=("status", "content", "title", "issued", "modified", "validation_state"),
        changed_at=row["updated_at"],
    )


def _new_rows(
    items: Sequence[NewRecord], actor: Actor, now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    record_rows = []
    revision_rows = []
    for item in items:
        record_id = new_id()
        columns = item.content.columns()
        record_rows.append(
            {
                "id": record_id,
                "name": item.name,
                "organization_id": item.organization_id,
                "source_id": item.source_id,
                "remote_id": item.remote_id,
                "status": item.status,
                "revision_number": 1,
                "created_at": now,
                "updated_at": now,
                **columns,
            }
        )
        for key in ("uri", *V3_COLUMNS):
            del columns[key]
        revision_rows.append(
            {
                "record_id": record_id,
                "number": 1,
                "created_at": now,
                "author": actor.label,
                "user_id": actor.user_id,
                "harvest_job_id": actor.harvest_job_id,
                "note": (item.note or CREATED).de,
                "note_en": (item.note or CREATED).en,
                "status": item.status,
                **columns,
            }
        )
    return record_rows, revision_rows


def update_record(
    store: Store,
    record_id: str,
    content: RecordContent,
    *,
    actor: Actor,
    status: RecordStatus | None = None,
    note: Bilingual | None = None,
) -> DatasetRecord:
    """Replace a record's graph (and optionally its status).

    A save that changes nothing writes nothing, so re-harvesting unchanged records is free.
    The graph counts as unchanged when its canonical hash is: N-Triples of the same graph
    may name its blank nodes differently.
    """
    with _translated_conflicts(uri=content.uri), store.transaction() as session:
        record = _load_for_update(session, record_id)
        changes = content.columns()
        if status is not None:
            changes["status"] = status
        # Blank node labels make the texts (and a 3.0 report's focus nodes) differ for one
        # graph; its hash and 3.0 violation count do not.
        unstable = ("graph", "graph_v3", "validation_report_v3")
        compared = {k: v for k, v in changes.items() if k not in unstable}
        if all(getattr(record, key) == value for key, value in compared.items()):
            if record.graph_v3 is None and content.graph_v3 is not None:
                # Judged before it was backfilled: derived columns, not a change of the dataset.
                for key, value in content.v3_columns().items():
                    setattr(record, key, value)
            return record
        before = snapshot(record)
        for key, value in changes.items():
            setattr(record, key, value)
        record.updated_at = utcnow()
        _append_revision(session, record, actor, note or UPDATED)
        session.flush()
        keep_resource_ids(session, record.id, content.resource_ids(record.id))
        keep_quality(session, [content.score_input(record.id)])
        content.hand_over(session, record.id)
        store_views(session, filter(None, [content.view_to_store(record.id)]))
        append_changes(session, [change_of(record, before, change_log.UPDATED)])
        return record


def set_record_status(
    store: Store,
    record_id: str,
    status: RecordStatus,
    *,
    actor: Actor,
    note: Bilingual | None = None,
) -> DatasetRecord:
    """Publish, unpublish or withdraw; the graph stays as it is and a revision records it."""
    with store.transaction() as session:
        record = _load_for_update(session, record_id)
        if record.status == status:
            return record
        before = snapshot(record)
        record.status = status
        record.updated_at = utcnow()
        _append_revision(
            session,
            record,
            actor,
            note or Bilingual(f"Status: {status.value}", f"status: {status.value}"),
        )
        append_changes(session, [change_of(record, before, change_log.STATUS)])
        return record


def withdraw_record(
    store: Store, record_id: str, *, actor: Actor, note: Bilingual | None = None
) -> DatasetRecord:
    """Take a record out of public view, keeping it and its history for a later restore."""
    return set_record_status(
        store,
        record_id,
        RecordStatus.WITHDRAWN,
        actor=actor,
        note=note or WITHDRAWN,
    )


def remember_source_hash(store: Store, record_id: str, source_hash: str) -> None:
    """Note what a harvest delivered for a record whose content it did not change.

    Not a change of the dataset, so no revision: the hash only lets the next harvest skip it.
    """
    with store.transaction() as session:
        session.execute(
            update(DatasetRecord)
            .where(DatasetRecord.id == record_id)
            .values(source_hash=source_hash)
        )


def restore_revision(
    store: Store, record_id: str, number: int, *, actor: Actor, note: Bilingual | None = None
) -> DatasetRecord:
    """Make an earlier revision current again, as a new revision (history is never rewritten)."""
    with store.transaction() as session:
        record = _load_for_update(session, record_id)
        revision = session.scalar(
            select(Revision).where(Revision.record_id == record_id, Revision.number == number)
        )
        if revision is None:
            raise RecordNotFound(f"record {record_id} has no revision {number}")
        before = snapshot(record)
        for key in SNAPSHOT_FIELDS:
            setattr(record, key, getattr(revision, key))
        for key in V3_COLUMNS:  # not judged until the caller judges the restored graph
            setattr(record, key, None)
        record.source_hash = None  # no longer what the source delivered: the next harvest checks
        record.updated_at = utcnow()
        _append_revision(
            session,
            record,
            actor,
            note
            or Bilingual(f"Revision {number} wiederhergestellt", f"revision {number} restored"),
        )
        session.flush()
        keep_resource_ids(
            session, record.id, resource_ids_in_graph(record.id, record.graph, record.uri)
        )
        keep_quality(
            session,
            [
                ScoreInput(
                    record.id,
                    facts_of_stored_graph(record.graph, record.uri),
                    compliance(record.validation_state, record.violation_count),
                )
            ],
        )
        append_changes(session, [change_of(record, before, change_log.RESTORED)])
        return record


def get_record(store: Store, record_id: str) -> DatasetRecord | None:
    with store.reading() as session:
        return session.get(DatasetRecord, record_id)


def get_records(store: Store, record_ids: Sequence[str]) -> dict[str, DatasetRecord]:
    """The records with these ids, by id; ids of no record are missing."""
    query = select(DatasetRecord).where(DatasetRecord.id.in_(list(record_ids)))
    with store.reading() as session:
        return {record.id: record for record in session.scalars(query)}


def get_record_by_name(store: Store, name: str) -> DatasetRecord | None:
    with store.reading() as session:
        return session.scalar(select(DatasetRecord).where(DatasetRecord.name == name))


def get_record_by_name_or_id(store: Store, key: str) -> DatasetRecord | None:
    """As the CKAN API looks records up: by either."""
    query = select(DatasetRecord).where((DatasetRecord.name == key) | (DatasetRecord.id == key))
    with store.reading() as session:
        return session.scalar(query)


def get_record_by_uri(store: Store, uri: str) -> DatasetRecord | None:
    with store.reading() as session:
        return session.scalar(select(DatasetRecord).where(DatasetRecord.uri == uri))


def get_record_by_remote_id(store: Store, source_id: str, remote_id: str) -> DatasetRecord | None:
    with store.reading() as session:
        return session.scalar(
            select(DatasetRecord).where(
                DatasetRecord.source_id == source_id, DatasetRecord.remote_id == remote_id
            )
        )


def list_revisions(store: Store, record_id: str) -> list[Revision]:
    with store.reading() as session:
        return list(
            session.scalars(
                select(Revision).where(Revision.record_id == record_id).order_by(Revision.number)
            )
        )


def list_records(
    store: Store,
    *,
    after: str | None = None,
    limit: int = 100,
    statuses: Iterable[RecordStatus] | None = None,
    organization_id: str | None = None,
    source_id: str | None = None,
    validation_states: Iterable[ValidationState] | None = None,
    changed_since: datetime | None = None,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> RecordPage:
    """One page in (updated_at, id) order; the cursor stays valid while other records change.

    `conditions` narrow it further (catalog.publication's rule of a profile)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    query = select(DatasetRecord).order_by(DatasetRecord.updated_at, DatasetRecord.id)
    if statuses is not None:
        query = query.where(DatasetRecord.status.in_(list(statuses)))
    if validation_states is not None:
        query = query.where(DatasetRecord.validation_state.in_(list(validation_states)))
    if changed_since is not None:
        query = query.where(DatasetRecord.updated_at >= changed_since)
    if organization_id is not None:
        query = query.where(DatasetRecord.organization_id == organization_id)
    if source_id is not None:
        query = query.where(DatasetRecord.source_id == source_id)
    if conditions:
        query = query.where(*conditions)
    if after is not None:
        updated_at, last_id = decode_cursor(after)
        query = query.where(
            tuple_(DatasetRecord.updated_at, DatasetRecord.id) > tuple_(updated_at, last_id)
        )
    with store.reading() as session:
        records = list(session.scalars(query.limit(limit + 1)))
    next_cursor = encode_cursor(records[limit - 1]) if len(records) > limit else None
    return RecordPage(records=records[:limit], next_cursor=next_cursor)


def iter_records(store: Store, *, batch: int = 500, **filters: Any) -> Iterator[DatasetRecord]:
    """Every record list_records(**filters) would page through, a batch at a time."""
    cursor = None
    while True:
        page = list_records(store, after=cursor, limit=batch, **filters)
        yield from page.records
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def encode_cursor(record: DatasetRecord) -> str:
    return encode_position(record.updated_at, record.id)


def encode_position(updated_at: datetime, record_id: str) -> str:
    """The cursor for "after this place in (updated_at, id) order"."""
    raw = f"{updated_at.isoformat()}|{record_id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Read a cursor from encode_cursor; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, record_id = raw.split("|", 1)
        return datetime.fromisoformat(stamp), record_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"invalid paging cursor {cursor!r}") from exc


def _table(model: type[DatasetRecord] | type[Revision] | type[RecordResource]) -> Table:
    return cast(Table, model.__table__)


def _load_for_update(session: Session, record_id: str) -> DatasetRecord:
    record = session.get(DatasetRecord, record_id, with_for_update=True)
    if record is None:
        raise RecordNotFound(f"no dataset record with id {record_id}")
    return record


def _append_revision(
    session: Session, record: DatasetRecord, actor: Actor, note: Bilingual
) -> None:
    """Every change is a revision (and a change-log entry, which the search index follows)."""
    record.revision_number += 1
    session.add(
        Revision(
            record_id=record.id,
            number=record.revision_number,
            created_at=record.updated_at,
            author=actor.label,
            user_id=actor.user_id,
            harvest_job_id=actor.harvest_job_id,
            note=note.de,
            note_en=note.en,
            **{key: getattr(record, key) for key in SNAPSHOT_FIELDS},
        )
    )


@contextmanager
def _translated_conflicts(name: str | None = None, uri: str | None = None) -> Iterator[None]:
    """Turn a unique-constraint failure into RecordConflict naming what clashed."""
    try:
        yield
    except IntegrityError as exc:
        detail = " ".join(str(exc.orig).split())
        clash = "name or URI"
        if "name" in detail and name:
            clash = f"name {name!r}"
        elif "uri" in detail and uri:
            clash = f"URI {uri!r}"
        raise RecordConflict(f"another record already uses this {clash} ({detail})") from exc
