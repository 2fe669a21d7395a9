"""Each record's flat view kept beside its graph, so a reindex reads JSON instead of RDF.

A stored view is a cache of dcat.stored.stored_view(graph, uri, lang): saves that have the
view at hand write it in their own transaction; a reindex makes the missing or outdated ones
from the graph once and stores them. A row counts only while its content hash equals the
record's and its version equals dcat.view_json.view_version(), so a changed graph or a changed
view function never serves an old view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from catalog.models import StoredView
from dcat.view import DatasetView
from dcat.view_json import view_from_json, view_to_json, view_version

# Row-value IN lists stay well below SQLite's and PostgreSQL's parameter limits.
CHUNK = 500


@dataclass(frozen=True)
class ViewToStore:
    """The view of the record `record_id` as made from its graph with `content_hash`."""

    record_id: str
    content_hash: str
    lang: str
    view: DatasetView


def store_views(session: Session, views: Iterable[ViewToStore]) -> int:
    """Inside a transaction: keep these views (replacing older ones); returns how many."""
    rows = {
        (item.record_id, item.lang): {
            "record_id": item.record_id,
            "lang": item.lang,
            "content_hash": item.content_hash,
            "version": view_version(),
            "view": view_to_json(item.view),
        }
        for item in views
    }
    keys = list(rows)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        session.execute(
            delete(StoredView).where(tuple_(StoredView.record_id, StoredView.lang).in_(chunk))
        )
    if rows:
        session.execute(insert(StoredView), list(rows.values()))
    return len(rows)


def current_views(session: Session, hashes: Mapping[str, str], lang: str) -> dict[str, DatasetView]:
    """The stored views of these records (record id -> its current content hash) that are still
    right: made from that hash by this version of the view code. Others are left out."""
    version = view_version()
    found: dict[str, DatasetView] = {}
    ids: Sequence[str] = list(hashes)
    for start in range(0, len(ids), CHUNK):
        query = select(StoredView.record_id, StoredView.content_hash, StoredView.view).where(
            StoredView.record_id.in_(ids[start : start + CHUNK]),
            StoredView.lang == lang,
            StoredView.version == version,
        )
        for record_id, content_hash, text in session.execute(query):
            if hashes.get(record_id) == content_hash:
                found[record_id] = view_from_json(text)
    return found
