"""Datasets are found by place: the box around their dct:spatial, intersected in the index."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, Schema

from catalog.ingest import RecordPreparer
from catalog.records import get_record_by_name
from catalog.search.base import All, Intersects, Not, SearchQuery, Term
from catalog.search.documents import Names, index_document
from catalog.search.service import SearchIndex, open_search_index
from catalog.settings import DistrictSettings, Settings
from catalog.setup import bring_index_up_to_date
from catalog.store import Store
from dcat.bounding_box import BoundingBox
from dcat.model import LocationInput
from tests.catalog.search.support import add_dataset

CRS84 = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> "
# Berlin as the FIS-Broker records give it, in CRS84 (longitude first).
BERLIN = CRS84 + "POLYGON((13.09 52.34, 13.76 52.34, 13.76 52.68, 13.09 52.68, 13.09 52.34))"
# A park inside Berlin, as EPSG:4326 writes it (latitude first).
TIERGARTEN = (
    "<http://www.opengis.net/def/crs/EPSG/0/4326> "
    "POLYGON((52.50 13.33, 52.50 13.37, 52.52 13.37, 52.52 13.33, 52.50 13.33))"
)
# Brandenburg an der Havel: west of Berlin, no shared point.
BRANDENBURG = CRS84 + "POLYGON((12.40 52.35, 12.70 52.35, 12.70 52.50, 12.40 52.50, 12.40 52.35))"
# A long strip north to south through Berlin's middle, poking out of it above and below.
STRIP = "POLYGON((13.40 52.00, 13.45 52.00, 13.45 53.00, 13.40 53.00, 13.40 52.00))"


@pytest.fixture
def places(store: Store, index: SearchIndex, preparer: RecordPreparer) -> SearchIndex:
    add_dataset(store, preparer, "berlin", "Stadtgrenze", spatial=[LocationInput(bbox=BERLIN)])
    add_dataset(
        store, preparer, "tiergarten", "Parkbäume", spatial=[LocationInput(bbox=TIERGARTEN)]
    )
    add_dataset(
        store, preparer, "brandenburg", "Havelufer", spatial=[LocationInput(geometry=BRANDENBURG)]
    )
    add_dataset(store, preparer, "streifen", "Radweg", spatial=[LocationInput(geometry=STRIP)])
    add_dataset(store, preparer, "ohne-ort", "Haushaltsplan")
    return index


def _names(index: SearchIndex, box: BoundingBox, **options: object) -> list[str]:
    query = SearchQuery(condition=Intersects(box), limit=100, **options)  # type: ignore[arg-type]
    return sorted(hit.name for hit in index.search(query).hits)


def test_documents_carry_the_box_around_their_places(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    add_dataset(
        store,
        preparer,
        "zwei-orte",
        "Messstellen",
        spatial=[LocationInput(bbox=TIERGARTEN), LocationInput(geometry=BRANDENBURG)],
    )
    add_dataset(store, preparer, "ohne-ort", "Haushaltsplan")
    names = Names.load(store)
    both = index_document(get_record_by_name(store, "zwei-orte"), names)  # type: ignore[arg-type]
    assert both.bbox == BoundingBox(12.40, 52.35, 13.37, 52.52)
    nowhere = index_document(get_record_by_name(store, "ohne-ort"), names)  # type: ignore[arg-type]
    assert nowhere.bbox is None


def test_a_box_inside_a_record_finds_it(places: SearchIndex) -> None:
    # A square kilometre at the Brandenburg Gate: inside Berlin and inside the Tiergarten box.
    assert _names(places, BoundingBox(13.370, 52.514, 13.380, 52.518)) == ["berlin", "tiergarten"]


def test_a_box_around_a_record_finds_it(places: SearchIndex) -> None:
    assert _names(places, BoundingBox(12.0, 52.0, 13.0, 53.0)) == ["brandenburg"]


def test_overlapping_boxes_match(places: SearchIndex) -> None:
    # From Potsdam into Berlin's south-west corner.
    assert _names(places, BoundingBox(12.9, 52.2, 13.2, 52.4)) == ["berlin"]


def test_crossing_boxes_match_though_no_corner_lies_inside_the_other(
    places: SearchIndex,
) -> None:
    # A wide flat band across the strip: neither box has a corner inside the other.
    assert _names(places, BoundingBox(13.0, 52.90, 14.0, 52.95)) == ["streifen"]


def test_touching_edges_count_as_shared(places: SearchIndex) -> None:
    assert _names(places, BoundingBox(12.0, 52.0, 12.40, 52.35)) == ["brandenburg"]


def test_disjoint_boxes_and_records_without_a_place_are_left_out(places: SearchIndex) -> None:
    assert _names(places, BoundingBox(6.8, 50.8, 7.2, 51.1)) == []  # Köln
    everywhere = BoundingBox(-180, -90, 180, 90)
    assert "ohne-ort" not in _names(places, everywhere)
    assert len(_names(places, everywhere)) == 4


def test_intersects_combines_with_other_conditions(places: SearchIndex) -> None:
    berlin = BoundingBox(13.09, 52.34, 13.76, 52.68)
    query = SearchQuery(
        text="Parkbäume", condition=All((Intersects(berlin), Not(Term("name", "berlin"))))
    )
    assert [hit.name for hit in places.search(query).hits] == ["tiergarten"]
    counted = places.search(SearchQuery(condition=Not(Intersects(berlin)), limit=100))
    assert sorted(hit.name for hit in counted.hits) == ["brandenburg", "ohne-ort"]


@pytest.mark.parametrize("engine", ["whoosh"])  # tantivy: test_german_compounds, schema version
def test_an_index_without_the_box_fields_is_rebuilt_by_init(
    store: Store,
    settings: Settings,
    index: SearchIndex,
    preparer: RecordPreparer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_dataset(store, preparer, "berlin", "Stadtgrenze", spatial=[LocationInput(bbox=BERLIN)])
    index.close()
    directory = settings.data_dir / "search"
    # An index as written before the box fields existed: same name, fewer fields.
    old = whoosh_index.create_in(str(directory), Schema(record_id=ID(unique=True)), "records")
    old.close()

    assert bring_index_up_to_date(store, settings) == 1
    assert "older schema" in caplog.text
    reopened = open_search_index(store, settings)
    try:
        assert _names(reopened, BoundingBox(13.3, 52.4, 13.4, 52.5)) == ["berlin"]
    finally:
        reopened.close()


def test_a_dataset_naming_a_district_gets_the_districts_box(
    store: Store, index: SearchIndex, preparer: RecordPreparer
) -> None:
    districts = [
        DistrictSettings(name="Altstadt", bbox=(11.355, 48.995, 11.385, 49.015)),
        DistrictSettings(
            name="Hafen",
            uri="https://www.musterstadt.example/stadtteile/hafen",
            bbox=(11.385, 48.990, 11.463, 49.020),
        ),
        DistrictSettings(name="Nordstadt"),
    ]
    add_dataset(store, preparer, "markt", "Wochenmärkte", geocoding="Innenstadt, Altstadt")
    add_dataset(
        store,
        preparer,
        "kai",
        "Kaianlagen",
        spatial=["https://www.musterstadt.example/stadtteile/hafen"],
    )
    add_dataset(store, preparer, "norden", "Spielplätze", geocoding="Nordstadt")
    names = Names.load(store, districts)
    boxes = {
        name: index_document(get_record_by_name(store, name), names).bbox  # type: ignore[arg-type]
        for name in ("markt", "kai", "norden")
    }
    assert boxes == {
        "markt": BoundingBox(11.355, 48.995, 11.385, 49.015),
        "kai": BoundingBox(11.385, 48.990, 11.463, 49.020),
        "norden": None,  # a district without a box in the config
    }
