"""Freshness goes by the record's own dates (dct:modified, else dct:issued), never by when the
catalog wrote it: a record without either is unknown and sorts last under "newest"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from catalog.figures import catalog_figures, freshness
from catalog.ingest import RecordPreparer
from catalog.models import RecordStatus
from catalog.organizations import get_organization_by_name
from catalog.records import create_record
from catalog.search.base import SearchQuery, SortOrder
from catalog.search.service import SearchIndex
from catalog.settings import Settings
from catalog.store import Store
from dcat.builder import build_dataset_graph
from dcat.model import DatasetInput, DistributionInput
from tests.catalog.search.support import CC_BY, FILE_TYPE, STEWARD, THEME

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _add(
    store: Store,
    preparer: RecordPreparer,
    name: str,
    *,
    modified: date | None = None,
    issued: date | None = None,
    organization: str = "umweltamt",
) -> None:
    uri = f"{preparer.settings.catalog.base_url}/dataset/{name}"
    data = DatasetInput(
        title={"de": f"Datensatz {name}"},
        description={"de": "Eine Beschreibung des Datensatzes."},
        themes=[THEME + "ENVI"],
        distributions=[
            DistributionInput(
                access_url=f"https://daten.example/{name}.csv",
                format=FILE_TYPE + "CSV",
                license=CC_BY,
            )
        ],
        modified=modified,
        issued=issued,
    )
    graph, node = build_dataset_graph(data, uri=uri)
    prepared = preparer.prepare(graph, node)
    org = get_organization_by_name(store, organization)
    assert org is not None
    create_record(
        store,
        prepared.content,
        name=name,
        actor=STEWARD,
        status=RecordStatus.PUBLISHED,
        organization_id=org.id,
    )


def _catalog(store: Store, preparer: RecordPreparer) -> None:
    """Written now (2026 by the clock of the test run), dated by their own metadata."""
    _add(store, preparer, "frisch-geaendert", modified=date(2026, 6, 1))
    _add(store, preparer, "frisch-veroeffentlicht", issued=date(2026, 3, 1))
    _add(store, preparer, "alt-geaendert", modified=date(2016, 5, 1), issued=date(2026, 5, 1))
    _add(store, preparer, "ohne-datum-1")
    _add(store, preparer, "ohne-datum-2", organization="statistik")


def test_fresh_counts_only_records_dated_within_a_year_by_their_own_metadata(
    store: Store, preparer: RecordPreparer, index: SearchIndex, settings: Settings
) -> None:
    _catalog(store, preparer)

    figures = catalog_figures(store, index, settings, now=NOW)

    # Not 5 of 5, as it was when the catalog's own write time counted as an update;
    # dct:modified wins over a newer dct:issued ("alt-geaendert" was last changed in 2016).
    assert (figures.public, figures.fresh, figures.undated) == (5, 2, 2)
    assert figures.share(figures.fresh) == 40
    assert figures.share(figures.undated) == 40


def test_freshness_of_one_organisation(
    store: Store, preparer: RecordPreparer, index: SearchIndex
) -> None:
    _catalog(store, preparer)

    umweltamt = freshness(index, "umweltamt", now=NOW)
    statistik = freshness(index, "statistik", now=NOW)

    assert (umweltamt.public, umweltamt.fresh, umweltamt.older, umweltamt.undated) == (4, 2, 1, 1)
    assert (statistik.public, statistik.fresh, statistik.older, statistik.undated) == (1, 0, 0, 1)


def test_newest_first_puts_records_without_a_date_last(
    store: Store, preparer: RecordPreparer, index: SearchIndex
) -> None:
    _catalog(store, preparer)

    hits = index.search(SearchQuery(sort=SortOrder.NEWEST, limit=10)).hits

    names = [hit.name for hit in hits]
    assert names[:3] == ["frisch-geaendert", "frisch-veroeffentlicht", "alt-geaendert"]
    assert sorted(names[3:]) == ["ohne-datum-1", "ohne-datum-2"]


def test_oldest_first_still_lists_dated_records_in_order(
    store: Store, preparer: RecordPreparer, index: SearchIndex
) -> None:
    _catalog(store, preparer)

    hits = index.search(SearchQuery(sort=SortOrder.NEWEST, descending=False, limit=10)).hits

    dated = [hit.name for hit in hits if not hit.name.startswith("ohne-datum")]
    assert dated == ["alt-geaendert", "frisch-veroeffentlicht", "frisch-geaendert"]
