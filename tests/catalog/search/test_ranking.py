"""Words that nearly every record has decide what matches but not the order."""

from __future__ import annotations

import pytest

from catalog.ingest import RecordPreparer
from catalog.search.base import SearchQuery, SortOrder
from catalog.search.service import SearchIndex
from catalog.search.whoosh import ranking
from catalog.store import Store
from tests.catalog.search.support import add_dataset


@pytest.fixture
def common_when_in_half(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small catalog, so 'common' must mean 'in more than half of the records' here."""
    monkeypatch.setattr(ranking, "COMMON_MINIMUM", 1)
    monkeypatch.setattr(ranking, "COMMON_SHARE", 0.5)


def test_common_words_filter_and_selective_words_rank(
    store: Store, index: SearchIndex, preparer: RecordPreparer, common_when_in_half: None
) -> None:
    add_dataset(store, preparer, "a", "Daten Radwege", "Daten zu Radwegen, Radwege, Radwege.")
    add_dataset(store, preparer, "b", "Daten Radwege Fußwege", "Daten.")
    add_dataset(store, preparer, "c", "Daten Parkplätze", "Daten.")
    add_dataset(store, preparer, "d", "Daten Wahlen", "Daten.")

    result = index.search(SearchQuery(text="Daten Radwege"))
    assert result.total == 2  # both words decide what matches
    assert [hit.name for hit in result.hits] == ["a", "b"]  # Radwege ranks: a has it most
    assert result.sorted_by is SortOrder.RELEVANCE

    everywhere = index.search(SearchQuery(text="Daten"))
    assert everywhere.total == 4
    assert everywhere.sorted_by is SortOrder.NEWEST
    assert [hit.name for hit in everywhere.hits] == ["d", "c", "b", "a"]


def test_in_a_small_catalog_every_word_ranks(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(store, preparer, "a", "Daten Radwege")
    add_dataset(store, preparer, "b", "Daten Parkplätze")
    assert index.search(SearchQuery(text="Daten")).sorted_by is SortOrder.RELEVANCE
