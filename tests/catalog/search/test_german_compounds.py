"""German compounds: a search for a part ("Luft", "Zählung") finds the datasets that write
it inside a compound ("Luftqualität", "Verkehrszählung"), a dataset with the word itself
comes first, and the German query set keeps the recall and precision measured for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from catalog.ingest import RecordPreparer
from catalog.search.base import IndexDocument, SearchBackend, SearchQuery
from catalog.search.compounds import compound_parts
from catalog.search.service import SearchIndex
from catalog.search.tantivy.backend import SUBDIRECTORY, VERSION_FILE, TantivyBackend
from catalog.search.whoosh.backend import WhooshBackend
from catalog.search.whoosh.schema import build_schema
from catalog.store import Store
from tests.catalog.search.conftest import ENGINES
from tests.catalog.search.german_corpus import (
    build_index,
    corpus_documents,
    judge,
    load_queries,
    mean_precision,
    mean_recall,
)
from tests.catalog.search.support import add_dataset

# benchmarks/RESULTS.md, "German search quality": before 0.549 / 0.708, after 0.870 / 0.772.
RECALL_AFTER = 0.870
PRECISION_BEFORE = 0.708
MARGIN = 0.02


def _names(index: SearchIndex, text: str) -> list[str]:
    return [hit.name for hit in index.search(SearchQuery(text=text, limit=50)).hits]


def test_compounds_split_into_their_parts() -> None:
    assert compound_parts("Luftqualität") == ("luft", "qualität")
    assert set(compound_parts("Verkehrszählung")) >= {"verkehrs", "zählung"}
    assert compound_parts("Luft") == ()
    assert compound_parts("Transport") == ()  # not "Tran" + "Sport": the model is unsure


def test_a_part_finds_the_compounds_and_the_whole_word_ranks_first(
    store: Store, preparer: RecordPreparer, index: SearchIndex
) -> None:
    add_dataset(store, preparer, "luftqualitaet", "Luftqualität: Stundenwerte")
    add_dataset(store, preparer, "luftmessstationen", "Standorte der Luftmessstationen")
    add_dataset(store, preparer, "verkehrszaehlung", "Verkehrszählung 2023")
    add_dataset(store, preparer, "luft-und-laerm", "Luft und Lärm in der Innenstadt")
    add_dataset(store, preparer, "parkhaeuser", "Parkhäuser")

    luft = _names(index, "Luft")
    assert set(luft) == {"luft-und-laerm", "luftqualitaet", "luftmessstationen"}
    assert luft[0] == "luft-und-laerm"
    assert _names(index, "Zählung") == ["verkehrszaehlung"]
    assert _names(index, "Verkehrszählung") == ["verkehrszaehlung"]


def test_a_query_compound_that_finds_nothing_whole_is_searched_as_its_parts(
    store: Store, preparer: RecordPreparer, index: SearchIndex
) -> None:
    add_dataset(store, preparer, "staender", "Ständer für Fahrräder am Rathaus")
    add_dataset(store, preparer, "radverkehr", "Radverkehr: Zählstellen")
    add_dataset(store, preparer, "rathaus", "Öffnungszeiten im Rathaus")

    assert _names(index, "Fahrradständer") == ["staender"]
    # A compound found whole is not split: no dataset joins by its parts meeting by chance.
    assert _names(index, "Radverkehr") == ["radverkehr"]


def test_the_compiled_model_splits_as_the_package_does() -> None:
    from compound_split import char_split

    from catalog.search.compound_model import best_split

    words = [
        "luftqualität", "verkehrszählung", "fahrrad", "transport", "wohnungen",
        "kindertagesstätten", "straßenverkehrsunfälle", "radverkehr-zählstellen", "bau", "ab",
    ]  # fmt: skip
    for word in words:
        score, body, head = char_split.split_compound(word)[0]
        assert best_split(word) == (score, body.lower(), head.lower()), word


def test_an_index_without_the_parts_field_is_rebuilt(tmp_path: Path) -> None:
    schema = build_schema()
    schema.remove("parts")
    whoosh_index.create_in(str(tmp_path), schema, indexname="records")
    backend = WhooshBackend(tmp_path)
    try:
        assert "parts" in backend._index.schema.names()
    finally:
        backend.close()


def test_a_tantivy_index_of_another_schema_version_is_rebuilt_empty(tmp_path: Path) -> None:
    first = TantivyBackend(tmp_path)
    first.apply([_corpus_like_document()])
    assert first.document_count() == 1
    first.close()
    (tmp_path / SUBDIRECTORY / VERSION_FILE).write_text("0")
    again = TantivyBackend(tmp_path)
    try:
        assert again.document_count() == 0
    finally:
        again.close()


def _corpus_like_document() -> IndexDocument:
    from datetime import UTC, datetime

    now = datetime(2024, 1, 1, tzinfo=UTC)
    return IndexDocument(
        record_id="r1", name="luft", title="Luftqualität", description="", keywords=(),
        organization=None, organization_id=None, organization_title="", themes=(),
        theme_labels=(), formats=(), licenses=(), places=(), publisher="",
        status="published", validation_state="valid", source=None, catalog=None,
        resource_ids=(), flags=(), modified=None, issued=None, updated=now, created=now,
    )  # fmt: skip


@pytest.fixture(scope="module")
def german_documents(tmp_path_factory: pytest.TempPathFactory) -> list[IndexDocument]:
    return corpus_documents(tmp_path_factory.mktemp("german"))


@pytest.fixture(scope="module", params=ENGINES)
def corpus_index(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    german_documents: list[IndexDocument],
) -> Iterator[SearchBackend]:
    folder = tmp_path_factory.mktemp(f"german-{request.param}")
    backend = build_index(folder / "search", german_documents, request.param)
    yield backend
    backend.close()


def test_german_query_set_keeps_its_recall_and_precision(corpus_index: SearchBackend) -> None:
    judged = judge(corpus_index, load_queries())
    assert len(judged) >= 50
    assert mean_recall(judged) >= RECALL_AFTER - MARGIN
    assert mean_precision(judged) >= PRECISION_BEFORE


def test_luft_finds_the_air_quality_datasets_of_the_real_catalogs(
    corpus_index: SearchBackend,
) -> None:
    (luft,) = judge(corpus_index, {"Luft": frozenset()})
    assert {
        "luftqualitaet-stundenwerte-der-messstationen",
        "luftqualitaetsindex-muenster-aktuell-und-historisch",
        "standorte-der-luftmessstationen",
    } <= set(luft.found)


def test_whoosh_and_tantivy_give_the_same_hit_totals_on_the_german_query_set(
    tmp_path: Path, german_documents: list[IndexDocument]
) -> None:
    queries = load_queries()
    totals = {}
    for engine in ("whoosh", "tantivy"):
        backend = build_index(tmp_path / engine, german_documents, engine)
        try:
            totals[engine] = {item.query: len(item.found) for item in judge(backend, queries)}
        finally:
            backend.close()
    assert totals["tantivy"] == totals["whoosh"]
