"""Places people can see: the dataset page's map, and the results page's place filter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from catalog.ingest import RecordPreparer
from catalog.migrate import upgrade_database
from catalog.organizations import sync_organizations
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store, open_store
from dcat.model import LocationInput
from tests.catalog.search.support import add_dataset
from tests.conftest import minimal_config
from web import create_app

DEMO_CITY = "11,2841° bis 11,4635° Ost, 48,9617° bis 49,0583° Nord"


def _get(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:500])
    return response.get_data(as_text=True)


def _count(html: str) -> int:
    found = re.search(r'class="result-count" role="status">\s*(\d+)', html)
    assert found, html[:2000]
    return int(found.group(1))


def _names(html: str) -> list[str]:
    return sorted(re.findall(r'class="dataset-title"><a href="/dataset/([^"]+)"', html))


def test_the_dataset_page_draws_the_box_over_germany_and_says_it_in_words(
    demo_client: FlaskClient,
) -> None:
    page = _get(demo_client, "/dataset/baumkataster")
    svg = re.search(r"<svg[^>]*place-map-svg.*?</svg>", page, re.S)
    assert svg, "the page has the map"
    assert 'role="img"' in svg.group(0)
    assert f'<title id="place-map-title">Räumliche Ausdehnung: {DEMO_CITY}</title>' in svg.group(0)
    assert '<path class="place-map-outline" d="M' in svg.group(0)
    # The demo city is a few pixels wide on a map of Germany: a dot marks where it is.
    assert 'class="place-map-box"' in svg.group(0) and 'class="place-map-dot"' in svg.group(0)
    assert f"<figcaption>Räumliche Ausdehnung: {DEMO_CITY}" in page
    # Nothing on the map comes from another host.
    assert not re.search(r'(?:href|src)="https?://', svg.group(0))

    english = _get(demo_client, "/dataset/baumkataster?lang=en")
    assert "Spatial extent: 11.2841° to 11.4635° east, 48.9617° to 49.0583° north" in english


def test_a_dataset_without_a_place_has_no_map(demo_client: FlaskClient) -> None:
    page = _get(demo_client, "/suche?q=Bevölkerung")
    first = _names(page)[0]
    assert "place-map" not in _get(demo_client, f"/dataset/{first}")


def test_the_maps_link_finds_the_datasets_in_the_same_area(demo_client: FlaskClient) -> None:
    page = _get(demo_client, "/dataset/baumkataster")
    link = re.search(r'<a href="(/suche\?bbox=[^"]+)">Datensätze in diesem Gebiet</a>', page)
    assert link
    area = _get(demo_client, link.group(1).replace("&amp;", "&"))
    assert "baumkataster" in _names(area)
    assert 0 < _count(area) < _count(_get(demo_client, "/suche"))


def test_a_typed_box_narrows_and_its_chip_removes_it(demo_client: FlaskClient) -> None:
    everything = _count(_get(demo_client, "/suche?q=Radwege"))
    inside = _get(demo_client, "/suche?q=Radwege&bbox=11.36,49.0,11.38,49.01")
    assert 0 < _count(inside) <= everything
    assert _count(_get(demo_client, "/suche?q=Radwege&bbox=13.09,52.34,13.76,52.68")) == 0
    chip = re.search(r'<a class="chip" href="([^"]+)"><span>Gebiet: 11.36,49.0,11.38,49.01', inside)
    assert chip
    back = chip.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(back).query) == {"q": ["Radwege"]}


@pytest.mark.parametrize(
    ("bbox", "says"),
    [
        ("11.3,49.0,11.4", "vier durch Kommas getrennte Zahlen"),
        ("11.4,49.0,11.3,49.1", "West darf nicht östlich von Ost"),
        ("elf,49,11.4,49.1", "keine Zahl"),
        ("11.3,91,11.4,92", "Breitengrade"),
    ],
)
def test_a_box_that_cannot_be_one_is_explained_not_an_error(
    demo_client: FlaskClient, bbox: str, says: str
) -> None:
    page = _get(demo_client, f"/suche?bbox={bbox}", status=400)
    assert says in page
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
    # The search itself still runs, without the place.
    assert _count(page) == _count(_get(demo_client, "/suche"))


def test_the_box_error_speaks_english_on_english_pages(demo_client: FlaskClient) -> None:
    page = _get(demo_client, "/suche?lang=en&bbox=1,2,3", status=400)
    assert "An area needs four numbers separated by commas" in page


def test_an_unknown_district_is_named(demo_client: FlaskClient) -> None:
    page = _get(demo_client, "/suche?place=Atlantis", status=400)
    assert "Den Ort „Atlantis“ kennt dieser Katalog nicht." in page


@pytest.fixture
def district_client(tmp_path: Path) -> Iterator[FlaskClient]:
    config = minimal_config(storage={"data_dir": str(tmp_path / "instance")})
    config["catalog"]["districts"] = [
        {"name": "Altstadt", "bbox": [11.355, 48.995, 11.385, 49.015]},
        {"name": "Hafen", "bbox": [11.386, 48.990, 11.463, 49.020]},
        {"name": "Nordstadt"},
    ]
    settings: Settings = settings_from_mapping(config, base_dir=tmp_path, env={})
    store: Store = open_store(settings.database_url)
    upgrade_database(store)
    sync_organizations(store, settings.organizations)
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    preparer = RecordPreparer(settings)
    wkt = "POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"
    add_dataset(
        store,
        preparer,
        "rathaus",
        "Sitzungen im Rathaus",
        spatial=[LocationInput(bbox=wkt.format(w=11.37, s=49.0, e=11.371, n=49.001))],
    )
    add_dataset(
        store,
        preparer,
        "kaimauer",
        "Pegel an der Kaimauer",
        spatial=[LocationInput(bbox=wkt.format(w=11.43, s=49.0, e=11.44, n=49.01))],
    )
    add_dataset(store, preparer, "markt", "Wochenmärkte", geocoding="Altstadt")
    add_dataset(store, preparer, "haushalt", "Haushaltsplan")
    yield app.test_client()
    store.close()


def test_the_place_filter_offers_the_districts_with_a_box_and_narrows_to_them(
    district_client: FlaskClient,
) -> None:
    page = _get(district_client, "/suche")
    assert _count(page) == 4
    options = re.findall(r'<option value="([^"]*)"', page)
    assert options == ["", "Altstadt", "Hafen"]  # Nordstadt has no box
    assert _names(_get(district_client, "/suche?place=Altstadt")) == ["markt", "rathaus"]
    harbour = _get(district_client, "/suche?place=Hafen")
    assert _names(harbour) == ["kaimauer"]
    assert re.search(r'<option value="Hafen" selected>', harbour)
    assert "Ort: Hafen" in harbour
    both = _get(district_client, "/suche?place=Hafen&bbox=11.3,48.9,11.39,49.1")
    assert _names(both) == []  # the typed box meets the harbour's edge, not the quay
