"""Stored flat views: a cache of the view of each record's graph that reindex reads instead."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rdflib import URIRef
from sqlalchemy import delete, select, update

from catalog.models import DatasetRecord, StoredView
from catalog.records import Actor, RecordContent, create_record, update_record
from catalog.search.documents import Names, reindex_documents
from catalog.settings import Settings
from catalog.store import Store
from catalog.stored_views import current_views
from dcat.hashing import content_hash
from dcat.parsing import parse_rdf, parse_rdf_file
from dcat.serialise import serialise
from dcat.split import split_catalog_into_datasets
from dcat.view import dataset_view
from dcat.view_json import view_from_json, view_to_json, view_version

DEMO = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "tiefbauamt" / "catalog-1.ttl"
ACTOR = Actor("test")


def _fresh_view(record: DatasetRecord, lang: str):  # type: ignore[no-untyped-def]
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    return dataset_view(graph, URIRef(record.uri), lang=lang)


def _records(store: Store) -> list[DatasetRecord]:
    with store.reading() as session:
        return list(session.scalars(select(DatasetRecord).order_by(DatasetRecord.id)))


def test_harvest_stores_every_records_view_equal_to_the_freshly_computed_one(
    demo: tuple[Settings, Store],
) -> None:
    settings, store = demo
    lang = settings.catalog.language
    records = _records(store)
    with store.reading() as session:
        stored = current_views(session, {r.id: r.content_hash for r in records}, lang)
    assert len(records) > 50
    assert set(stored) == {r.id for r in records}  # every record, none outdated
    for record in records:
        assert stored[record.id] == _fresh_view(record, lang), record.name


def test_reindex_makes_missing_views_once_then_reads_the_stored_ones(
    demo: tuple[Settings, Store],
) -> None:
    settings, store = demo
    lang = settings.catalog.language
    names = Names.load(store)
    with store.transaction() as session:
        session.execute(delete(StoredView))
    backfilled = list(reindex_documents(store, names, lang, batch=7))
    with store.reading() as session:
        rows = session.scalar(select(StoredView).where(StoredView.lang == lang).limit(1))
        count = len(list(session.scalars(select(StoredView.record_id))))
    assert count == len(backfilled) == len(_records(store))
    assert rows is not None and rows.version == view_version()
    assert list(reindex_documents(store, names, lang, batch=7)) == backfilled


def test_reindex_uses_a_current_stored_view_and_remakes_an_outdated_one(
    demo: tuple[Settings, Store],
) -> None:
    settings, store = demo
    lang = settings.catalog.language
    names = Names.load(store)
    record = _records(store)[0]
    real_title = _fresh_view(record, lang).title
    marked = view_to_json(dataclasses.replace(_fresh_view(record, lang), title="Aus dem Speicher"))
    row = StoredView.record_id == record.id

    def title_in_index() -> str:
        documents = {d.record_id: d for d in reindex_documents(store, names, lang)}
        return documents[record.id].title

    with store.transaction() as session:
        session.execute(update(StoredView).where(row).values(view=marked))
    assert title_in_index() == "Aus dem Speicher"  # read from the store, not parsed

    with store.transaction() as session:
        session.execute(update(StoredView).where(row).values(view=marked, version="0ld"))
    assert title_in_index() == real_title  # another view version: made again from the graph
    with store.reading() as session:
        assert session.scalar(select(StoredView.version).where(row)) == view_version()

    with store.transaction() as session:
        session.execute(update(StoredView).where(row).values(view=marked, content_hash="0" * 64))
    assert title_in_index() == real_title  # made from another graph: made again


def test_saves_keep_the_view_of_the_graph_they_store(store: Store) -> None:
    """On SQLite and PostgreSQL: a create stores the view, an update replaces it."""
    first = next(split_catalog_into_datasets(parse_rdf_file(DEMO)))

    def content(graph, node, title=None):  # type: ignore[no-untyped-def]
        view = dataset_view(graph, node)
        if title is not None:
            view = dataclasses.replace(view, title=title)
        return RecordContent(
            uri=str(first.node),
            graph=serialise(graph, "nt").decode(),
            content_hash=content_hash(graph),
            view=view,
            view_lang="de",
        )

    record = create_record(store, content(first.graph, first.node), name="erster", actor=ACTOR)
    with store.reading() as session:
        kept = current_views(session, {record.id: content_hash(first.graph)}, "de")
    assert kept[record.id] == dataset_view(first.graph, first.node)

    changed = content(first.graph, first.node, title="Neu")
    changed = dataclasses.replace(changed, content_hash="f" * 64)
    update_record(store, record.id, changed, actor=ACTOR)
    with store.reading() as session:
        assert current_views(session, {record.id: content_hash(first.graph)}, "de") == {}
        kept = current_views(session, {record.id: "f" * 64}, "de")
        rows = list(session.scalars(select(StoredView).where(StoredView.record_id == record.id)))
    assert kept[record.id].title == "Neu" and len(rows) == 1
    assert view_from_json(rows[0].view) == kept[record.id]
