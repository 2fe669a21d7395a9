"""A save hands the flat view it has over to the index writer: the record's document is built
from it, never by parsing the stored graph again, and equals the one parsed from the database."""

from __future__ import annotations

import pytest

from catalog.ingest import RecordPreparer
from catalog.records import get_record_by_name
from catalog.search import documents
from catalog.search.base import SearchQuery
from catalog.search.documents import Names, document_from_view, index_document
from catalog.search.handover import ViewInHand, take_view
from catalog.search.service import SearchIndex
from catalog.store import Store
from dcat.stored import stored_view
from tests.catalog.search.support import add_dataset


def _refuse_to_parse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the index parsed a stored graph the save had at hand")


def test_a_saved_record_is_indexed_from_the_view_the_save_had(
    store: Store, index: SearchIndex, preparer: RecordPreparer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "stored_view", _refuse_to_parse)
    add_dataset(store, preparer, "baeume", "Baumkataster", "Standorte der Straßenbäume.")
    found = index.search(SearchQuery(text="Straßenbäume"))
    assert [hit.name for hit in found.hits] == ["baeume"]
    assert store.handed_over == {}  # taken by the writer


def test_the_document_from_the_view_equals_the_document_from_the_stored_graph(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(
        store,
        preparer,
        "luft",
        "Luftqualität",
        "Stundenwerte.",
        keywords=["Luft", "Messstation"],
        themes=("ENVI", "HEAL"),
        formats=("CSV", "JSON"),
    )
    record = get_record_by_name(store, "luft")
    assert record is not None
    names = Names.load(store)
    prepared = preparer.prepare(*_graph_of(record.graph, record.uri))
    assert document_from_view(record, prepared.view, names) == index_document(record, names)


def test_a_view_of_another_graph_is_not_used(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "alt", "Alte Fassung")
    record = get_record_by_name(store, "alt")
    assert record is not None
    view = stored_view(record.graph, record.uri)
    store.handed_over[record.id] = ViewInHand("a-hash-of-an-older-graph", view)
    assert take_view(store, record.id, record.content_hash) is None
    store.handed_over[record.id] = ViewInHand(record.content_hash, view)
    assert take_view(store, record.id, record.content_hash) == view


def _graph_of(ntriples: str, uri: str):  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    from dcat.parsing import parse_rdf

    return parse_rdf(ntriples, content_type="application/n-triples"), URIRef(uri)
