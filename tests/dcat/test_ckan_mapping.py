"""CKAN package <-> DCAT-AP.de: real portal packages in, the flat view back out as a package."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, URIRef

from dcat import namespaces as ns
from dcat.builder import build_dataset_graph
from dcat.ckan.parse import (
    CkanMappingError,
    ckan_fields,
    dataset_graph_from_ckan,
    dataset_input_from_ckan,
)
from dcat.ckan.serialize import ckan_package_from_view
from dcat.model import (
    AgentInput,
    ContactInput,
    DatasetInput,
    DistributionInput,
    LocationInput,
    PeriodInput,
)
from dcat.view import DatasetView, dataset_view
from dcat.vocabularies import VOCABULARIES
from tests.conftest import SHARED
from tests.dcat.official_shapes import official_report, requires_shared

CKAN_FIXTURES = SHARED / "fixtures" / "ckan"
CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"
JSON_TYPE = "http://publications.europa.eu/resource/authority/file-type/JSON"
XLSX = "http://publications.europa.eu/resource/authority/file-type/XLSX"
DL_BY = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
TRAN = "http://publications.europa.eu/resource/authority/data-theme/TRAN"
ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
MONTHLY = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"

# Packages per fixture file. DCAT-JSON documents and name lists hold no CKAN package.
EXPECTED_PACKAGES = {
    "ckanext-dcat-examples/catalog.json": 0,
    "ckanext-dcat-examples/catalog_datasets_list.json": 0,
    "ckanext-dcat-examples/ckan_dataset.json": 1,
    "ckanext-dcat-examples/ckan_dataset_multilingual.json": 1,
    "ckanext-dcat-examples/ckan_dcat_ap_dataset_series.json": 1,
    "ckanext-dcat-examples/ckan_full_dataset_croissant.json": 1,
    "ckanext-dcat-examples/ckan_full_dataset_dcat_ap.json": 1,
    "ckanext-dcat-examples/ckan_full_dataset_dcat_ap_legacy.json": 1,
    "ckanext-dcat-examples/ckan_full_dataset_dcat_ap_vocabularies.json": 1,
    "ckanext-dcat-examples/ckan_full_dataset_dcat_us_vocabularies.json": 1,
    "ckanext-dcat-examples/dataset.json": 0,
    "ckanext-dcat-examples/full_ckan_dataset_legacy.json": 1,
    "ckanext-dcat-examples/health_dcat_ap.json": 1,
    "opendata-swiss/dataset.json": 1,
    "transportdata-be/cambio-belgium-public.json": 1,
    "transportdata-be/organization_list.json": 0,
    "transportdata-be/packages_list.json": 0,
    "udata/dkan-french-w-license.json": 1,
}


def is_offline_vocabulary_gap(message: str) -> bool:
    """A violation only because the shared vocabulary files are old or missing.

    The EU language and planned-availability lists are not among them and the frequency list
    is the 2016 snapshot (see dcat-ap-de/VALIDATION.md); such a violation has the concept as
    its focus node, and our current vocabularies know that concept.
    """
    focus = message.split(" ", 2)[1]
    return any(focus in vocabulary for vocabulary in VOCABULARIES.values())


def packages_in(path: Path) -> list[dict[str, Any]]:
    """The CKAN packages of a fixture: a package, a list of them, or an Action API envelope."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "result" in data and "success" in data:
        data = data["result"]
    items = data if isinstance(data, list) else [data]
    return [
        item
        for item in items
        if isinstance(item, dict) and ("resources" in item or "extras" in item or "name" in item)
    ]


def package_of(relative: str) -> dict[str, Any]:
    (package,) = packages_in(CKAN_FIXTURES / relative)
    return package


def view_of(relative: str, lang: str = "de") -> DatasetView:
    graph, node = dataset_graph_from_ckan(package_of(relative))
    return dataset_view(graph, node, lang=lang)


def resources_with_url(package: dict[str, Any]) -> int:
    keys = ("url", "access_url", "download_url")
    return sum(
        1 for resource in package.get("resources") or () if any(resource.get(k) for k in keys)
    )


@requires_shared
def test_every_ckan_fixture_file_is_accounted_for() -> None:
    found = {str(p.relative_to(CKAN_FIXTURES)) for p in CKAN_FIXTURES.rglob("*.json")}
    assert found == set(EXPECTED_PACKAGES)


@requires_shared
@pytest.mark.parametrize("relative", sorted(EXPECTED_PACKAGES))
def test_every_fixture_package_maps_to_a_dataset_graph(relative: str) -> None:
    packages = packages_in(CKAN_FIXTURES / relative)
    assert len(packages) == EXPECTED_PACKAGES[relative]
    for package in packages:
        graph, node = dataset_graph_from_ckan(package, base_url="https://portal.example")
        view = dataset_view(graph, node)
        assert view.title
        has_notes = bool(package.get("notes") or package.get("notes_translated"))
        assert bool(view.description) == (has_notes or isinstance(package.get("description"), dict))
        assert len(view.distributions) == resources_with_url(package)
        assert len(set(graph.objects(node, ns.DCAT.distribution))) == resources_with_url(package)
        report = official_report(graph)
        unexplained = [
            message
            for message in report.messages
            if message.startswith("Violation") and not is_offline_vocabulary_gap(message)
        ]
        assert unexplained == [], unexplained


@requires_shared
def test_legacy_package_with_extras_maps_dates_roles_and_coverage() -> None:
    view = view_of("ckanext-dcat-examples/full_ckan_dataset_legacy.json", lang="en")
    assert view.title == "Zimbabwe Regional Geochemical Survey."
    assert len(view.keywords) == 7 and "geochemistry" in view.keywords
    assert view.issued == date(2012, 5, 10)
    assert view.modified == datetime(2012, 5, 10, 21, 4)
    assert view.identifier == "756d6426-d52d-492a-a263-599ad1caa123"
    assert view.landing_page == "http://some.source.url.com"
    assert view.contact is not None
    assert (view.contact.name, view.contact.email) == ("Geological Society", "info@gs.org")
    assert view.creator is not None and view.creator.email == "johndoe@example.com"
    assert view.maintainer is not None and view.maintainer.name == "Geological Society"
    assert (view.temporal_start, view.temporal_end) == (date(1982, 1, 1), date(1986, 1, 1))
    (location,) = view.locations
    assert location.geometry is not None and location.geometry.startswith("POLYGON((33.0 -22.0")
    assert location.bbox == "POLYGON((25.0 -22.0, 33.0 -22.0, 33.0 -15.0, 25.0 -15.0, 25.0 -22.0))"
    (resource,) = view.distributions
    assert resource.access_url == "http://www.bgs.ac.uk/gbase/geochemcd/home.html"
    assert resource.identifier == "95b07708-afde-4d24-a35c-1da8ddfd7d42"


@requires_shared
def test_scheming_package_maps_publisher_contact_frequency_and_periods() -> None:
    package = package_of("ckanext-dcat-examples/ckan_full_dataset_dcat_ap.json")
    graph, node = dataset_graph_from_ckan(package)
    assert isinstance(node, BNode)
    view = dataset_view(graph, node)
    assert view.identifier == "xx-some-dataset-id-yy"
    assert view.version_info == "1.0b"
    assert view.publisher is not None
    assert (view.publisher.name, view.publisher.uri) == (
        "Test Publisher",
        "http://example.org/publisher-id",
    )
    assert view.contact is not None and view.contact.email == "contact1@example.org"
    assert view.frequency is not None and view.frequency.iri == MONTHLY
    assert len(view.temporal) == 2
    assert (view.temporal_start, view.temporal_end) == (date(1905, 3, 1), date(2024, 5, 29))
    assert view.themes == ()  # example.org theme IRIs are not EU data themes
    assert view.spatial_uris == ()
    (location,) = view.locations
    assert location.uri == "https://sws.geonames.org/6361390/"
    assert location.centroid == "POINT(1.26639 41.12386)"
    (distribution,) = view.distributions
    assert distribution.format is not None and distribution.format.iri == CSV
    assert distribution.byte_size == 12323
    assert distribution.issued == datetime(2024, 5, 1, 1, 20, 33)
    assert view.pages == ("https://example.org/some-doc.html",)
    assert set(view.conforms_to) == {"Standard 1", "Standard 2"}


@requires_shared
def test_portal_package_show_envelope_maps_theme_translations_and_format() -> None:
    view = view_of("transportdata-be/cambio-belgium-public.json", lang="de")
    assert view.title == "cambio: Stations"
    assert view.description.startswith("Contains a list of stations")
    assert [theme.iri for theme in view.themes] == [TRAN]
    assert view.publisher is not None
    assert (view.publisher.name, view.publisher.homepage) == ("Ward Docx", "https://www.cambio.be")
    assert view.temporal_start == datetime(2020, 3, 11, 17, 8)
    assert view.keywords == ("Car-sharing",)
    (distribution,) = view.distributions
    assert distribution.format is not None and distribution.format.iri == JSON_TYPE
    assert distribution.access_url == "https://cwapi.cambio-carsharing.com/pub/stations/BEL"


@requires_shared
def test_dkan_package_keeps_what_parses_and_drops_what_does_not() -> None:
    view = view_of("udata/dkan-french-w-license.json", lang="fr")
    assert view.title.startswith("Antennes régionales")
    assert view.issued is None  # "mar, 10/12/2019 - 09:23" is not guessed
    assert view.modified == datetime(2019, 9, 30, 22, 0)
    assert len(view.keywords) == 13
    assert view.contact is not None and view.contact.email == "opendata@hautsdefrance.fr"
    xlsx = next(d for d in view.distributions if d.title == "coordonnees_antennes.xlsx")
    assert xlsx.format is not None and xlsx.format.iri == XLSX
    assert xlsx.byte_size is None  # "42 octets"


@requires_shared
def test_translated_fields_become_language_tagged_literals() -> None:
    relative = "ckanext-dcat-examples/ckan_dataset_multilingual.json"
    assert view_of(relative, lang="es").title == "Conjunto de datos de prueba DCAT"
    assert view_of(relative, lang="ca").keywords == ("Pins", "Roures")
    assert view_of(relative, lang="en").description == "Some description"
    swiss = view_of("opendata-swiss/dataset.json", lang="de")
    assert swiss.description == "Deutsche Beschreibung"
    assert swiss.keywords == ("alter", "sozialhilfe")
    assert swiss.contact is not None and swiss.contact.email == "maria.muster@example.com"


def test_dcatde_extras_become_dcatde_properties() -> None:
    package = {
        "id": "abc",
        "name": "baeume",
        "title": "Bäume",
        "notes": "Alle Bäume",
        "license_id": DL_BY,
        "groups": [{"name": "envi", "title": "Umwelt"}],
        "extras": [
            {"key": "contributorID", "value": '["http://dcat-ap.de/def/contributors/x"]'},
            {
                "key": "politicalGeocodingURI",
                "value": '["http://dcat-ap.de/def/politicalGeocoding/stateKey/02"]',
            },
            {
                "key": "politicalGeocodingLevelURI",
                "value": "http://dcat-ap.de/def/politicalGeocoding/Level/state",
            },
            {"key": "geocodingText", "value": "Hamburg"},
            {"key": "legalbasisText", "value": "HmbTG"},
            {"key": "licenseAttributionByText", "value": "FHH"},
            {"key": "uri", "value": "https://hamburg.example/dataset/baeume"},
        ],
        "resources": [{"id": "r", "url": "https://hamburg.example/b.csv", "format": "CSV"}],
    }
    graph, node = dataset_graph_from_ckan(package)
    assert node == URIRef("https://hamburg.example/dataset/baeume")
    view = dataset_view(graph, node)
    assert view.contributor_id == "http://dcat-ap.de/def/contributors/x"
    assert view.political_geocoding_uris == (
        "http://dcat-ap.de/def/politicalGeocoding/stateKey/02",
    )
    assert (
        view.political_geocoding_level_uri == "http://dcat-ap.de/def/politicalGeocoding/Level/state"
    )
    assert (view.geocoding_description, view.legal_basis) == ("Hamburg", "HmbTG")
    assert [theme.iri for theme in view.themes] == [ENVI]
    (distribution,) = view.distributions
    assert distribution.license is not None and distribution.license.iri == DL_BY
    assert distribution.license_attribution_by_text == "FHH"
    assert ckan_fields(package)["contributorID"] == ["http://dcat-ap.de/def/contributors/x"]


def test_unknown_format_is_left_out_and_media_type_kept() -> None:
    package = {
        "id": "x",
        "title": "T",
        "resources": [
            {"url": "https://a.example/1", "format": "Irgendwas Eigenes"},
            {"url": "https://a.example/2", "format": "application/x-eigen"},
        ],
    }
    data = dataset_input_from_ckan(package)
    first, second = data.distributions
    assert (first.format, first.media_type) == (None, None)
    assert (second.format, second.media_type) == (None, "application/x-eigen")


@pytest.mark.parametrize(
    ("package", "field"),
    [
        ({"id": "x", "title": "  ", "notes": "n"}, "title"),
        ({"id": "x", "notes": "n"}, "title"),
        ({"title": "T"}, "id"),
    ],
)
def test_package_that_cannot_be_a_dataset_raises_with_the_field_named(
    package: dict[str, Any], field: str
) -> None:
    with pytest.raises(CkanMappingError, match=f"'{field}'.* / .*'{field}'"):
        dataset_graph_from_ckan(package)


def rich_view() -> DatasetView:
    data = DatasetInput(
        title={"de": "Straßenbäume"},
        description={"de": "Alle Straßenbäume."},
        identifier="baeume-1",
        keywords={"de": ("Bäume", "Umwelt")},
        themes=(ENVI,),
        publisher=AgentInput("Stadt Teststadt", uri="https://teststadt.example/"),
        contact=ContactInput(name="Umweltamt", email="umwelt@teststadt.example"),
        contributor_id="http://dcat-ap.de/def/contributors/teststadt",
        political_geocoding_uris=("http://dcat-ap.de/def/politicalGeocoding/stateKey/02",),
        political_geocoding_level_uri="http://dcat-ap.de/def/politicalGeocoding/Level/state",
        geocoding_description={"de": "Stadtgebiet"},
        legal_basis={"de": "§ 1"},
        temporal=(PeriodInput(date(2020, 1, 1), date(2020, 12, 31)),),
        issued=date(2021, 1, 1),
        modified=datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC),
        accrual_periodicity=MONTHLY,
        landing_page="https://teststadt.example/baeume",
        version_info="3",
        distributions=(
            DistributionInput(
                access_url="https://teststadt.example/b.csv",
                title={"de": "CSV"},
                format=CSV,
                license=DL_BY,
                license_attribution_by_text="Stadt Teststadt",
                byte_size=10,
                modified=date(2024, 2, 3),
                identifier="res-1",
            ),
        ),
    )
    graph, node = build_dataset_graph(data, uri="https://teststadt.example/dataset/baeume")
    return dataset_view(graph, node)


def test_package_from_view_uses_ckan_and_ckanext_dcatde_names() -> None:
    package = ckan_package_from_view(
        rich_view(), name="baeume", organization={"id": "org-1", "name": "umweltamt"}
    )
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert (package["name"], package["title"], package["notes"]) == (
        "baeume",
        "Straßenbäume",
        "Alle Straßenbäume.",
    )
    assert package["license_id"] == package["license_url"] == DL_BY
    assert package["owner_org"] == "org-1"
    assert [tag["name"] for tag in package["tags"]] == ["Bäume", "Umwelt"]
    assert [group["name"] for group in package["groups"]] == ["envi"]
    assert json.loads(extras["contributorID"]) == ["http://dcat-ap.de/def/contributors/teststadt"]
    assert extras["politicalGeocodingLevelURI"].endswith("/Level/state")
    assert (extras["geocodingText"], extras["legalbasisText"]) == ("Stadtgebiet", "§ 1")
    assert extras["uri"] == "https://teststadt.example/dataset/baeume"
    assert package["metadata_modified"] == "2024-02-03T04:05:06+00:00"
    (resource,) = package["resources"]
    assert (resource["id"], resource["url"], resource["format"]) == (
        "res-1",
        "https://teststadt.example/b.csv",
        "CSV",
    )
    assert resource["license"] == DL_BY and resource["size"] == 10
    json.dumps(package)


def test_view_to_package_to_graph_keeps_the_key_fields() -> None:
    original = rich_view()
    package = ckan_package_from_view(original, name="baeume", organization=None)
    graph, node = dataset_graph_from_ckan(package)
    back = dataset_view(graph, node)
    for name in (
        "uri",
        "title",
        "description",
        "identifier",
        "keywords",
        "themes",
        "formats",
        "licenses",
        "contributor_id",
        "political_geocoding_uris",
        "political_geocoding_level_uri",
        "geocoding_description",
        "legal_basis",
        "issued",
        "modified",
        "temporal_start",
        "temporal_end",
        "landing_page",
        "frequency",
        "version_info",
    ):
        assert getattr(back, name) == getattr(original, name), name
    assert back.publisher is not None and original.publisher is not None
    assert (back.publisher.name, back.publisher.uri) == (
        original.publisher.name,
        original.publisher.uri,
    )
    assert back.contact is not None and back.contact.email == "umwelt@teststadt.example"
    (before,) = original.distributions
    (after,) = back.distributions
    for name in ("identifier", "title", "access_url", "format", "license", "byte_size", "modified"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.license_attribution_by_text == "Stadt Teststadt"


def test_every_period_and_place_survive_package_show_and_update() -> None:
    data = DatasetInput(
        title={"de": "Lärmkartierung"},
        description={"de": "Lärm an Hauptstraßen."},
        temporal=[
            PeriodInput(date(2017, 1, 1), date(2017, 12, 31)),
            PeriodInput(date(2022, 1, 1), None),
        ],
        spatial=[
            "http://dcat-ap.de/def/politicalGeocoding/districtKey/09162",
            "https://www.geonames.org/2867714",
            LocationInput(
                bbox="POLYGON((11.3 48.0, 11.7 48.0, 11.7 48.3, 11.3 48.3, 11.3 48.0))",
                centroid="POINT(11.5 48.1)",
            ),
        ],
    )
    graph, node = build_dataset_graph(data, uri="http://catalog.test/dataset/laerm")
    original = dataset_view(graph, node)
    package = json.loads(json.dumps(ckan_package_from_view(original, name="laerm")))
    back_graph, back_node = dataset_graph_from_ckan(package)
    back = dataset_view(back_graph, back_node)
    assert sorted(back.temporal, key=repr) == sorted(original.temporal, key=repr)
    assert len(original.temporal) == 2
    assert back.spatial_uris == original.spatial_uris
    assert [(loc.bbox, loc.centroid) for loc in back.locations] == [
        (loc.bbox, loc.centroid) for loc in original.locations
    ]


def test_a_mapping_error_names_the_package_in_both_languages() -> None:
    with pytest.raises(CkanMappingError) as refused:
        dataset_input_from_ckan({"name": "baeume", "title": ""})
    error = refused.value
    assert error.message_de.startswith("Das CKAN-Paket 'baeume' hat keinen Titel")
    assert error.message_en.startswith("The CKAN package 'baeume' has no title")
    assert " / " not in error.message_de + error.message_en
