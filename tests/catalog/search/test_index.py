"""The search index follows every save, finds German words, counts facets exactly, pages
stably and never fails on what people type."""

from __future__ import annotations

import multiprocessing
import shutil
import threading

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog.ingest import RecordPreparer
from catalog.models import RecordStatus
from catalog.records import Actor, restore_revision, set_record_status, withdraw_record
from catalog.search.base import DateRange, SearchQuery, SortOrder
from catalog.search.service import SearchIndex, open_search_index
from catalog.settings import Settings
from catalog.setup import bring_index_up_to_date
from catalog.store import Store
from tests.catalog.search.support import DL_ZERO, add_dataset

STEWARD = Actor(label="test")


def _names(index: SearchIndex, text: str = "", **options: object) -> list[str]:
    result = index.search(SearchQuery(text=text, limit=100, **options))  # type: ignore[arg-type]
    return [hit.name for hit in result.hits]


def test_a_saved_record_is_found_right_after_the_save(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "baumkataster", "Baumkataster", "Alle Straßenbäume.")
    assert _names(index, "Straßenbäume") == ["baumkataster"]
    assert not index.is_behind()


@pytest.mark.parametrize(
    "typed", ["Bäume", "baeume", "Baum", "BAUM", "Strasse", "Straße", "straßen", "Baumkataster"]
)
def test_german_forms_find_the_record(
    store: Store, index: SearchIndex, preparer: RecordPreparer, typed: str
) -> None:
    add_dataset(
        store,
        preparer,
        "baeume",
        "Baumkataster",
        "Standorte der Bäume an jeder Straße.",
        keywords=["Baum"],
    )
    add_dataset(store, preparer, "wahlen", "Wahlergebnisse", "Stimmen je Wahlbezirk.")
    assert _names(index, typed) == ["baeume"]


def test_drafts_and_withdrawn_records_are_not_public(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    draft = add_dataset(store, preparer, "entwurf", "Lärmkarte", status=RecordStatus.DRAFT)
    public = add_dataset(store, preparer, "laerm", "Lärmkarte Straßenverkehr")
    assert _names(index, "Lärmkarte") == ["laerm"]
    assert sorted(_names(index, "Lärmkarte", include_non_public=True)) == ["entwurf", "laerm"]

    withdraw_record(store, public.id, actor=STEWARD)
    set_record_status(store, draft.id, RecordStatus.PUBLISHED, actor=STEWARD)
    assert _names(index, "Lärmkarte") == ["entwurf"]

    restore_revision(store, public.id, 1, actor=STEWARD)
    assert sorted(_names(index, "Lärmkarte")) == ["entwurf", "laerm"]


def test_facet_counts_are_exact_and_filters_narrow(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "a", "Luftmessung A", themes=["ENVI"], formats=["CSV", "JSON"])
    add_dataset(store, preparer, "b", "Luftmessung B", themes=["ENVI", "HEAL"], formats=["CSV"])
    add_dataset(
        store,
        preparer,
        "c",
        "Luftmessung C",
        themes=["HEAL"],
        formats=["PDF"],
        organization="statistik",
        license=DL_ZERO,
    )
    add_dataset(store, preparer, "d", "Wahlbezirke", themes=["GOVE"], formats=["CSV"])

    result = index.search(SearchQuery(text="Luftmessung"))
    counts = {name: {f.value: f.count for f in facet} for name, facet in result.facets.items()}
    assert result.total == 3
    assert counts["theme"] == {"ENVI": 2, "HEAL": 2}
    assert counts["format"] == {"CSV": 2, "JSON": 1, "PDF": 1}
    assert counts["organization"] == {"umweltamt": 2, "statistik": 1}
    assert counts["license"] == {"http://dcat-ap.de/def/licenses/cc-by/4.0": 2, DL_ZERO: 1}

    narrowed = index.search(SearchQuery(text="Luftmessung", filters={"theme": ["HEAL"]}))
    assert sorted(hit.name for hit in narrowed.hits) == ["b", "c"]
    both = index.search(SearchQuery(filters={"theme": ["HEAL"], "format": ["CSV"]}))
    assert [hit.name for hit in both.hits] == ["b"]
    assert {f.value: f.count for f in both.facets["theme"]} == {"ENVI": 1, "HEAL": 1}


def test_paging_lists_every_match_once_in_a_stable_order(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    for number in range(23):
        add_dataset(store, preparer, f"zaehlung-{number:02d}", f"Verkehrszählung {number:02d}")
    for sort in SortOrder:
        pages = [
            [
                hit.name
                for hit in index.search(
                    SearchQuery(text="Verkehrszählung", sort=sort, offset=offset, limit=5)
                ).hits
            ]
            for offset in range(0, 25, 5)
        ]
        walked = [name for page in pages for name in page]
        assert sorted(walked) == sorted(f"zaehlung-{n:02d}" for n in range(23)), sort
        again = [
            hit.name
            for hit in index.search(SearchQuery(text="Verkehrszählung", sort=sort, limit=23)).hits
        ]
        assert again == walked, sort
    by_title = _names(index, "Verkehrszählung", sort=SortOrder.TITLE)
    assert by_title == sorted(by_title)
    newest = _names(index, "", sort=SortOrder.NEWEST)
    assert newest[0] == "zaehlung-22"


def test_date_ranges_and_the_record_timeline(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    first = add_dataset(store, preparer, "eins", "Radwege")
    second = add_dataset(store, preparer, "zwei", "Radwege neu")
    timeline = index.record_timeline(SearchQuery(text="Radwege"))
    assert timeline == sorted([(first.updated_at, first.id), (second.updated_at, second.id)])
    later = index.search(
        SearchQuery(text="Radwege", ranges={"updated": DateRange(start=second.updated_at)})
    )
    assert [hit.name for hit in later.hits] == ["zwei"]


def test_a_misspelt_word_gets_a_suggestion(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "haushalt", "Haushaltsplan", keywords=["Finanzen"])
    result = index.search(SearchQuery(text="Haushaltsplam", suggest=True))
    assert result.total == 0
    assert result.suggestion == "haushaltsplan"
    # Without its linking s the compound is found by its parts (the split fallback).
    assert index.search(SearchQuery(text="Haushaltplan", suggest=True)).total == 1
    assert index.search(SearchQuery(text="Finanzen", suggest=True)).suggestion is None


@pytest.mark.parametrize(
    "typed",
    [
        '"unbalanced',
        "AND OR",
        "NOT",
        "OR",
        "((",
        ")",
        "*",
        "?",
        "-",
        "a AND",
        '""',
        "ODER NICHT",
        "Baum*",
        "*baum",
        "title:Baum",
        "[1 TO 5]",
        "Baum^3",
        "\\",
        "\x00",
        "ä" * 400,
        "NOT NOT x",
    ],
)
def test_syntax_errors_never_raise(
    store: Store, index: SearchIndex, preparer: RecordPreparer, typed: str
) -> None:
    add_dataset(store, preparer, "baum", "Baumkataster")
    result = index.search(SearchQuery(text=typed, suggest=True))
    assert result.total >= 0


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_text_is_a_query(sqlite_store: Store, settings: Settings, text: str) -> None:
    index = open_search_index(sqlite_store, settings)
    try:
        result = index.search(SearchQuery(text=text, suggest=True))
        assert result.total >= 0
    finally:
        index.close()


def test_an_empty_query_lists_everything_public_and_nonsense_finds_nothing(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "eins", "Radwege")
    add_dataset(store, preparer, "zwei", "Parkplätze")
    assert index.search(SearchQuery()).total == 2
    assert index.search(SearchQuery(text="qxzzyv")).total == 0


def test_deleting_the_index_loses_nothing(
    store: Store, settings: Settings, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "eins", "Radwege")
    add_dataset(store, preparer, "zwei", "Parkplätze")
    index.close()
    shutil.rmtree(settings.data_dir / "search")

    rebuilt = open_search_index(store, settings)
    try:
        assert rebuilt.search(SearchQuery()).total == 0
        assert rebuilt.reindex() == 2
        assert sorted(_names(rebuilt)) == ["eins", "zwei"]
    finally:
        rebuilt.close()


@pytest.mark.parametrize("engine", ["whoosh"])  # Whoosh pickles its analysers' module paths
def test_an_index_written_before_the_analysers_moved_is_refilled_by_init(
    store: Store,
    settings: Settings,
    index: SearchIndex,
    preparer: RecordPreparer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_dataset(store, preparer, "eins", "Radwege")
    index.close()
    # Whoosh keeps the schema pickled, naming each analyser class by its module; an index from
    # before a move names a module that is gone (same length: the pickle stays well-formed).
    (toc,) = (settings.data_dir / "search").glob("_records_*.toc")
    written = toc.read_bytes()
    assert b"catalog.search.whoosh.analysis" in written
    toc.write_bytes(
        written.replace(b"catalog.search.whoosh.analysis", b"catalog.search.whoosh.vanished")
    )

    assert bring_index_up_to_date(store, settings) == 1
    assert "unreadable" in caplog.text
    reopened = open_search_index(store, settings)
    try:
        assert _names(reopened, "Radwege") == ["eins"]
    finally:
        reopened.close()


def _hold_index_lock(engine: str, directory: str, ready, release) -> None:  # type: ignore[no-untyped-def]
    """In another process: take the engine's own writer lock and keep it until released."""
    if engine == "whoosh":
        from whoosh import index as whoosh_index

        writer = whoosh_index.open_dir(directory, indexname="records").writer()
        ready.set()
        release.wait(30)
        writer.cancel()
        return
    from pathlib import Path

    from catalog.search.tantivy.backend import TantivyBackend

    held = TantivyBackend(Path(directory)).acquire_writer(wait=0)
    ready.set()
    release.wait(30)
    held.rollback()
    held.wait_merging_threads()


def test_changes_wait_in_the_log_while_another_process_holds_the_index(
    store: Store, settings: Settings, index: SearchIndex, preparer: RecordPreparer, engine: str
) -> None:
    index.lock_wait = 0.2
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(
        target=_hold_index_lock,
        args=(engine, str(settings.data_dir / "search"), ready, release),
    )
    holder.start()
    try:
        assert ready.wait(30)
        add_dataset(store, preparer, "wartet", "Haltestellen")
        assert index.is_behind()
        assert _names(index, "Haltestellen") == []
    finally:
        release.set()
        holder.join(30)
    assert index.sync() == 1
    assert not index.is_behind()
    assert _names(index, "Haltestellen") == ["wartet"]


def test_a_deferring_harvest_thread_does_not_hold_back_another_threads_save(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    inside, release = threading.Event(), threading.Event()

    def harvest() -> None:
        with index.deferred(every=500):
            add_dataset(store, preparer, "geerntet", "Geerntete Haltestellen")
            inside.set()
            release.wait(30)

    worker = threading.Thread(target=harvest)
    worker.start()
    try:
        assert inside.wait(30)
        add_dataset(store, preparer, "bearbeitet", "Bearbeitete Radwege")
        # The steward's save applied the queue, the harvest's record included.
        assert _names(index, "Radwege") == ["bearbeitet"]
    finally:
        release.set()
        worker.join(30)
    assert _names(index, "Haltestellen") == ["geerntet"]
