"""A source's defaults, mappings and city switch in the steward area: set in the form and
checked by the same rules as config.yaml, shown on the source's page (read-only for config
sources), and applied when the source is harvested."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from rdflib import Graph, URIRef

from catalog.models import DatasetRecord, ValidationState
from catalog.records import list_revisions
from catalog.settings import Settings, SourceSettings
from catalog.store import Store
from dcat.namespaces import DCT
from tests.harvesters.recorded import RecordedServer, Route
from tests.web.steward.steward_support import (
    add_web_source,
    client_for,
    open_steward_catalog,
    page_text,
    post,
    snapshot,
    source_row,
    steward_app_for,
    steward_settings,
)

LICENCES = "http://dcat-ap.de/def/licenses/"
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
LEVELS = "http://dcat-ap.de/def/politicalGeocoding/Level/"
KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/099990000000"
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/stadtwerkeMusterstadt"
FREE_TEXT_LICENCE = "Nutzungsbedingungen der Stadtwerke"

NEW_SOURCE = {
    "name": "stadtwerke",
    "type": "dcat",
    "url": "https://daten.stadtwerke.example/catalog.ttl",
    "organization": "umweltamt",
    "schedule": "manual",
    "enabled": "on",
}
# What a steward enters, as the form's lists send it (the selects' values are IRIs).
SETTINGS_FORM = {
    "publisher_name": "Stadtwerke Musterstadt",
    "publisher_uri": "https://www.stadtwerke-musterstadt.example",
    "contact_name": "Open-Data-Team",
    "contact_email": "opendata@stadtwerke-musterstadt.example",
    "license": LICENCES + "dl-by-de/2.0",
    "contributor_id": CONTRIBUTOR,
    "geocoding_level": LEVELS + "municipality",
    "geocoding_uri": KEY,
    "themes": [THEMES + "GOVE", THEMES + "ENER"],
    "language": "http://publications.europa.eu/resource/authority/language/DEU",
    "license_map-0-source": FREE_TEXT_LICENCE,
    "license_map-0-target": LICENCES + "dl-by-de/2.0",
    "theme_map-0-source": "https://portal.example/theme/Umwelt%20und%20Klima?x=1",
    "theme_map-0-target": THEMES + "ENVI",
    "theme_map-1-source": "Verkehr",
    "theme_map-1-target": THEMES + "TRAN",
    "format_map-0-source": "Shape",
    "format_map-0-target": FILE_TYPES + "SHP",
}
# The same settings as a config.yaml entry writes them, with codes instead of IRIs.
SETTINGS_CONFIG = {
    "defaults": {
        "publisher": {
            "name": "Stadtwerke Musterstadt",
            "uri": "https://www.stadtwerke-musterstadt.example",
        },
        "contact": {"name": "Open-Data-Team", "email": "opendata@stadtwerke-musterstadt.example"},
        "license": "dl-by-de/2.0",
        "contributor_id": CONTRIBUTOR,
        "political_geocoding": {"level": "municipality", "uri": KEY},
        "themes": ["GOVE", "ENER"],
        "language": "de",
    },
    "mappings": {
        "license": {FREE_TEXT_LICENCE: "dl-by-de/2.0"},
        "theme": {
            "https://portal.example/theme/Umwelt%20und%20Klima?x=1": "ENVI",
            "Verkehr": "TRAN",
        },
        "format": {"Shape": "SHP"},
    },
    "city_defaults": False,
}


def test_the_form_offers_every_default_the_mapping_tables_and_the_city_switch(
    steward_app: Flask,
) -> None:
    page = page_text(client_for(steward_app, "anna").get("/verwaltung/quellen/neu"))

    for name in (
        "publisher_name",
        "publisher_uri",
        "contact_name",
        "contact_email",
        "contact_url",
        "license",
        "contributor_id",
        "geocoding_level",
        "geocoding_uri",
        "language",
        "license_map-0-source",
        "license_map-2-target",
        "theme_map-0-target",
        "format_map-0-target",
    ):
        assert f'name="{name}"' in page, name
    assert page.count('name="themes"') == 13  # the EU data themes
    assert f'value="{LICENCES}dl-by-de/2.0"' in page and f'value="{LEVELS}federal"' in page
    assert 'name="city_defaults" type="checkbox" checked' in page
    assert "Nur für Quellen der eigenen Ämter" in page


def test_a_steward_saves_defaults_and_mappings_and_they_are_stored_as_iris(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")

    response = post(anna, "/verwaltung/quellen/neu", NEW_SOURCE | SETTINGS_FORM)

    assert response.status_code == 303, page_text(response)
    source = source_row(store, "stadtwerke")
    assert source.defaults == {
        "publisher": {
            "name": "Stadtwerke Musterstadt",
            "uri": "https://www.stadtwerke-musterstadt.example",
        },
        "contact": {"name": "Open-Data-Team", "email": "opendata@stadtwerke-musterstadt.example"},
        "license": LICENCES + "dl-by-de/2.0",
        "contributor_id": CONTRIBUTOR,
        "political_geocoding": {"level": LEVELS + "municipality", "uri": KEY},
        "themes": [THEMES + "GOVE", THEMES + "ENER"],
        "language": "http://publications.europa.eu/resource/authority/language/DEU",
    }
    assert source.mappings == {
        "license": {FREE_TEXT_LICENCE: LICENCES + "dl-by-de/2.0"},
        "theme": {
            "https://portal.example/theme/Umwelt%20und%20Klima?x=1": THEMES + "ENVI",
            "Verkehr": THEMES + "TRAN",
        },
        "format": {"Shape": FILE_TYPES + "SHP"},
    }
    assert source.city_defaults is False  # the box was not ticked
    shown = page_text(anna.get("/verwaltung/quellen/stadtwerke"))
    assert "Ergänzungen und Zuordnungen" in shown
    assert "Stadtwerke Musterstadt" in shown and "Kommune" in shown
    assert "Datenlizenz Deutschland Namensnennung 2.0" in shown
    assert FREE_TEXT_LICENCE in shown and "Verkehr" in shown
    assert "werden in dieser Quelle nicht ergänzt" in shown


def test_the_form_and_config_yaml_store_the_same_settings(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu", NEW_SOURCE | SETTINGS_FORM)
    configured = SourceSettings.model_validate(
        {"name": "x", "type": "dcat", "url": NEW_SOURCE["url"], "organization": "umweltamt"}
        | SETTINGS_CONFIG
    )

    source = source_row(store, "stadtwerke")

    assert source.defaults == configured.defaults.model_dump(mode="json", exclude_defaults=True)
    assert source.mappings == configured.mappings.model_dump(mode="json", exclude_defaults=True)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"license": "gibt-es-nicht"}, "license", "Unbekannte Lizenz"),
        ({"license": "dl-by-de/9.0"}, "license", "Unbekannte Lizenz"),
        ({"publisher_name": ""}, "publisher_name", "Namen des Herausgebers"),
        ({"publisher_uri": "www.stadtwerke.example"}, "publisher_uri", "http:// oder https://"),
        ({"contact_email": ""}, "contact_email", "E-Mail-Adresse angeben (oder eine Webseite)"),
        ({"contact_email": "opendata(at)stadtwerke"}, "contact_email", "gültige E-Mail-Adresse"),
        ({"contributor_id": "stadtwerke"}, "contributor_id", "Contributor-ID"),
        ({"geocoding_level": "stadt"}, "geocoding_level", "Ebene aus der Liste"),
        ({"geocoding_uri": ""}, "geocoding_uri", "Schlüssels"),
        ({"themes": ["Quatsch"]}, "themes", "Unbekannte Kategorie"),
        ({"language": "platt"}, "language", "Unbekannte Sprache"),
        ({"license_map-0-target": "frei"}, "license_map-0-target", "Unbekannte Lizenz"),
        ({"theme_map-1-target": ""}, "theme_map-1-target", "Wert aus der Liste"),
        ({"format_map-0-source": ""}, "format_map-0-source", "wie die Quelle ihn schreibt"),
        (
            {"theme_map-1-source": "https://portal.example/theme/Umwelt%20und%20Klima?x=1"},
            "theme_map-1-source",
            "schon in einer Zeile darüber",
        ),
    ],
)
def test_a_wrong_setting_is_refused_at_its_field_and_nothing_is_saved(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    change: dict[str, object],
    field: str,
    message: str,
) -> None:
    _, store = steward_store
    before = snapshot(store)

    response = post(
        client_for(steward_app, "anna"),
        "/verwaltung/quellen/neu",
        NEW_SOURCE | SETTINGS_FORM | change,
    )

    assert response.status_code == 422
    text = page_text(response)
    assert f'<p class="field-message field-message-violation" id="error-{field}">' in text
    assert message in text.split(f'id="error-{field}">', 1)[1].split("</p>", 1)[0]
    assert f'href="#field-{field}"' in text and f'id="field-{field}"' in text
    assert snapshot(store) == before


def test_an_unknown_licence_is_refused_in_english_too(steward_app: Flask) -> None:
    anna = client_for(steward_app, "anna")
    anna.get("/?lang=en")

    text = page_text(
        post(anna, "/verwaltung/quellen/neu", NEW_SOURCE | SETTINGS_FORM | {"license": "frei"})
    )

    assert "Unknown licence: please choose one from the list." in text


def test_a_web_sources_settings_are_edited_and_emptied_in_its_form(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    post(anna, "/verwaltung/quellen/neu", NEW_SOURCE | SETTINGS_FORM)
    form = page_text(anna.get("/verwaltung/quellen/stadtwerke/bearbeiten"))
    assert f'value="{FREE_TEXT_LICENCE}"' in form and 'value="Verkehr"' in form
    assert 'value="Stadtwerke Musterstadt"' in form
    assert 'name="format_map-3-source"' in form  # the saved row and three empty ones

    response = post(
        anna,
        "/verwaltung/quellen/stadtwerke/bearbeiten",
        NEW_SOURCE
        | {
            "license": LICENCES + "cc-by/4.0",
            "format_map-0-source": "Shape",
            "format_map-0-target": FILE_TYPES + "SHP",
            "format_map-1-source": "Excel",
            "format_map-1-target": FILE_TYPES + "XLSX",
            "city_defaults": "on",
        },
    )

    assert response.status_code == 303
    source = source_row(store, "stadtwerke")
    assert source.defaults == {"license": LICENCES + "cc-by/4.0"}
    assert source.mappings == {
        "format": {"Shape": FILE_TYPES + "SHP", "Excel": FILE_TYPES + "XLSX"}
    }
    assert source.city_defaults is True


@pytest.fixture
def config_source_app(tmp_path: Path) -> Iterator[tuple[Flask, Store]]:
    """The steward catalog with a config source that has defaults, mappings, no city switch."""
    config_source = {
        "name": "land-portal",
        "type": "dcat",
        "url": "http://127.0.0.1:9/land.ttl",
        "organization": "umweltamt",
    } | SETTINGS_CONFIG
    settings = steward_settings(tmp_path, sources=[config_source])
    store = open_steward_catalog(settings, settings.database_url)
    with steward_app_for(settings, store) as app:
        yield app, store
    store.close()


def test_a_config_sources_settings_are_shown_read_only(
    config_source_app: tuple[Flask, Store],
) -> None:
    app, store = config_source_app
    anna = client_for(app, "anna")
    before = snapshot(store)

    page = page_text(anna.get("/verwaltung/quellen/land-portal"))
    edited = post(anna, "/verwaltung/quellen/land-portal/bearbeiten", NEW_SOURCE | SETTINGS_FORM)

    assert "Ergänzungen und Zuordnungen" in page
    assert "Diese Einstellungen stehen in config.yaml" in page
    assert "Stadtwerke Musterstadt" in page and CONTRIBUTOR in page and KEY in page
    assert FREE_TEXT_LICENCE in page and "Shape" in page
    assert "werden in dieser Quelle nicht ergänzt" in page
    assert "Bearbeiten" not in page and 'name="license"' not in page
    assert edited.status_code == 403
    assert snapshot(store) == before


DATASET = "https://daten.stadtwerke.example/dataset/ladestationen"
SOURCE_CATALOG = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .

<https://daten.stadtwerke.example/catalog> a dcat:Catalog ;
    dct:title "Daten der Stadtwerke"@de ;
    dct:description "Offene Daten der Stadtwerke Musterstadt."@de ;
    dct:publisher <https://www.stadtwerke-musterstadt.example> ;
    dcat:dataset <{DATASET}> .

<https://www.stadtwerke-musterstadt.example> a foaf:Agent ; foaf:name "Stadtwerke Musterstadt" .

<{DATASET}> a dcat:Dataset ;
    dct:title "Ladestationen"@de ;
    dct:description "Standorte der öffentlichen Ladestationen der Stadtwerke."@de ;
    dct:publisher <https://www.stadtwerke-musterstadt.example> ;
    dcatde:contributorID <{CONTRIBUTOR}> ;
    dcat:theme <{THEMES}ENER> ;
    dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open-Data-Team" ;
        vcard:hasEmail <mailto:opendata@stadtwerke-musterstadt.example> ] ;
    dcat:distribution <{DATASET}/csv> .

<{DATASET}/csv> a dcat:Distribution ;
    dct:title "Ladestationen (CSV)"@de ;
    dcat:accessURL <https://daten.stadtwerke.example/ladestationen.csv> ;
    dct:format <{FILE_TYPES}CSV> ;
    dct:license "{FREE_TEXT_LICENCE}" .
""".encode()


def test_a_harvest_of_a_web_source_maps_its_free_text_licence_and_notes_the_rule(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    server = RecordedServer().start()
    server.routes["/catalog.ttl"] = Route(SOURCE_CATALOG)
    anna = client_for(steward_app, "anna")
    try:
        created = post(
            anna,
            "/verwaltung/quellen/neu",
            NEW_SOURCE
            | {
                "url": server.url("/catalog.ttl"),
                "license_map-0-source": FREE_TEXT_LICENCE,
                "license_map-0-target": LICENCES + "dl-by-de/2.0",
                "city_defaults": "on",
            },
        )
        assert created.status_code == 303, page_text(created)
        assert post(anna, "/verwaltung/quellen/stadtwerke/ernten").status_code == 303
        assert steward_app.extensions["catalog.background_harvests"].join(timeout=60)
    finally:
        server.stop()

    record = _only_record(store)
    graph = Graph().parse(data=record.graph, format="turtle")
    assert set(graph.objects(URIRef(f"{DATASET}/csv"), DCT.license)) == {
        URIRef(LICENCES + "dl-by-de/2.0")
    }
    assert record.validation_state == ValidationState.VALID
    [revision] = list_revisions(store, record.id)
    assert "source-mapping" in revision.note


def test_without_the_mapping_the_same_record_is_held_back(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    server = RecordedServer().start()
    server.routes["/catalog.ttl"] = Route(SOURCE_CATALOG)
    add_web_source(store, "stadtwerke", server.url("/catalog.ttl"))
    try:
        assert (
            post(
                client_for(steward_app, "anna"), "/verwaltung/quellen/stadtwerke/ernten"
            ).status_code
            == 303
        )
        assert steward_app.extensions["catalog.background_harvests"].join(timeout=60)
    finally:
        server.stop()

    record = _only_record(store)
    assert record.validation_state == ValidationState.INVALID
    assert "source-mapping" not in list_revisions(store, record.id)[0].note


def _only_record(store: Store) -> DatasetRecord:
    with store.reading() as session:
        [record] = session.query(DatasetRecord).all()
    return record
