"""The option fields of the source form come from each source type's options model: a type
registered here appears with its labels in both languages, saves its options and is told
what is wrong at the field; csw offers its own options; the form tests its connection before
anything is saved, and shows the result on the same page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from pydantic import BaseModel, ConfigDict, Field
from rdflib import BNode, Graph, URIRef
from sqlalchemy import update

from catalog.models import HarvestSource
from catalog.settings import Settings
from catalog.store import Store
from harvesters.base import Harvester, OptionText, RemoteRecord, SourceType
from harvesters.registry import SOURCE_TYPES, registered
from tests.harvesters.csw_pages import paged_handler
from tests.harvesters.recorded import RecordedServer, Route
from tests.harvesters.test_csw_source import berlin_records
from tests.web.steward.steward_support import (
    add_web_source,
    client_for,
    page_text,
    post,
    snapshot,
    source_row,
    steward_app,
    steward_store,
)
from tests.web.steward.test_sources import CATALOG_PAGE, NEW_SOURCE
from web.steward.source_options import option_fields

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below


class WeatherOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    station: Annotated[
        str | None,
        OptionText("Messstation", "Weather station", "Kennung der Station.", "The station's id."),
    ] = None
    days: Annotated[
        int,
        Field(ge=1),
        OptionText("Tage zurück", "Days back", "Wie weit zurück.", "How far back."),
    ] = 7
    hourly: Annotated[bool, OptionText("Stündlich", "Hourly")] = False
    renames: Annotated[
        dict[str, str],
        OptionText("Umbenennungen", "Renamings", "Eine Zeile je Name.", "One line a name."),
    ] = Field(default_factory=dict)
    unit: Annotated[Literal["metrisch", "imperial"] | None, OptionText("Einheit", "Unit")] = None
    tags: Annotated[list[str], OptionText("Schlagworte", "Keywords")] = Field(default_factory=list)
    cache_dir: Annotated[
        str | None, OptionText("Zwischenspeicher", "Cache", operator_only=True)
    ] = None


class WeatherHarvester(Harvester):
    """A throwaway source type: it is only ever offered, saved and tested, never harvested."""

    type_name = "wetter"

    def gather(self) -> Iterator[RemoteRecord]:
        yield from ()

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        raise NotImplementedError


WEATHER = SourceType(
    name="wetter",
    label_de="Wetterdienst",
    label_en="Weather service",
    options=WeatherOptions,
    harvester=WeatherHarvester,
)
WEATHER_FORM = {
    **NEW_SOURCE,
    "type": "wetter",
    "url": "https://wetter.example/api",
    "wetter_station": "10384",
    "wetter_days": "14",
    "wetter_hourly": "on",
    "wetter_renames": "temp = Temperatur\n\nrain = Niederschlag",
    "wetter_unit": "imperial",
    "wetter_tags": "Wetter\n Klima \n",
}


@pytest.fixture
def weather() -> Iterator[SourceType]:
    with registered(WEATHER) as source_type:
        yield source_type


@pytest.fixture
def catalog_server() -> Iterator[RecordedServer]:
    server = RecordedServer().start()
    server.routes["/catalog.ttl"] = Route(CATALOG_PAGE)
    yield server
    server.stop()


def _error_at(text: str, field: str) -> str:
    """The message shown at a field of the form."""
    assert f'id="error-{field}"' in text, text[:3000]
    return text.split(f'id="error-{field}">', 1)[1].split("</p>", 1)[0]


def test_a_registered_type_offers_its_options_labelled_in_german_and_english(
    steward_app: Flask, weather: SourceType
) -> None:
    anna = client_for(steward_app, "anna")
    german = page_text(anna.get("/verwaltung/quellen/neu"))
    anna.get("/?lang=en")
    english = page_text(anna.get("/verwaltung/quellen/neu"))

    assert "Nur für die Art „Wetterdienst“" in german
    for label, hint in [("Messstation", "Kennung der Station."), ("Tage zurück", "Wie weit")]:
        assert label in german and hint in german and label not in english
    assert "Stündlich" in german and "Umbenennungen" in german
    assert "Only for the type “Weather service”" in english
    assert "Weather station" in english and "The station&#39;s id." in english
    assert "Days back" in english and "Hourly" in english and "Renamings" in english
    assert '<input id="field-wetter_station" name="wetter_station" type="text"' in german
    assert 'name="wetter_days" type="number"' in german and 'value="7"' in german
    assert 'name="wetter_hourly" type="checkbox"' in german
    assert '<textarea id="field-wetter_renames" name="wetter_renames"' in german
    assert '<select id="field-wetter_unit" name="wetter_unit">' in german
    assert '<option value="">(keine Angabe)</option>' in german
    assert '<option value="imperial">imperial</option>' in german
    assert '<textarea id="field-wetter_tags" name="wetter_tags"' in german
    assert "wetter_cache_dir" not in german and "Zwischenspeicher" not in german


def test_a_registered_types_options_are_saved_in_the_models_shape(
    steward_app: Flask, steward_store: tuple[Settings, Store], weather: SourceType
) -> None:
    _, store = steward_store

    response = post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu", WEATHER_FORM)

    assert response.status_code == 303, page_text(response)
    assert source_row(store, "umwelt-portal").options == {
        "station": "10384",
        "days": 14,
        "hourly": True,
        "renames": {"temp": "Temperatur", "rain": "Niederschlag"},
        "unit": "imperial",
        "tags": ["Wetter", "Klima"],
    }


@pytest.mark.parametrize(
    ("change", "field", "german", "english"),
    [
        ({"wetter_days": "abc"}, "wetter_days", "Bitte eine ganze Zahl angeben.", "whole number"),
        ({"wetter_days": "0"}, "wetter_days", "Bitte eine Zahl ab 1 angeben.", "at least 1"),
        (
            {"wetter_renames": "temp = Temperatur\nrain"},
            "wetter_renames",
            "Zeile 2: bitte als „Schlüssel = Wert“ schreiben.",
            "Line 2: please write it as “key = value”.",
        ),
        (
            {"wetter_unit": "kelvin"},
            "wetter_unit",
            "Bitte einen der angebotenen Werte wählen.",
            "Please choose one of the values offered.",
        ),
    ],
)
def test_a_wrong_option_is_reported_at_its_field_in_the_pages_language(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    weather: SourceType,
    change: dict[str, str],
    field: str,
    german: str,
    english: str,
) -> None:
    _, store = steward_store
    before = snapshot(store)
    anna = client_for(steward_app, "anna")

    response = post(anna, "/verwaltung/quellen/neu", WEATHER_FORM | change)
    anna.get("/?lang=en")
    in_english = page_text(post(anna, "/verwaltung/quellen/neu", WEATHER_FORM | change))

    assert response.status_code == 422
    text = page_text(response)
    assert _error_at(text, field) == german
    assert f'href="#field-{field}"' in text and f'id="field-{field}"' in text
    assert english in _error_at(in_english, field)
    assert f'value="{change.get("wetter_days", "14")}"' in text  # what was sent, shown again
    assert snapshot(store) == before


def test_an_edit_keeps_the_options_only_the_operator_sets(
    steward_app: Flask, steward_store: tuple[Settings, Store], weather: SourceType
) -> None:
    _, store = steward_store
    add_web_source(store, "wetter-web", "https://wetter.example/api")
    with store.transaction() as session:
        session.execute(
            update(HarvestSource)
            .where(HarvestSource.name == "wetter-web")
            .values(type="wetter", options={"cache_dir": "/srv/wetter", "days": 3})
        )
    anna = client_for(steward_app, "anna")
    form = page_text(anna.get("/verwaltung/quellen/wetter-web/bearbeiten"))
    assert 'name="wetter_days" type="number" inputmode="numeric" step="1" value="3"' in form

    response = post(anna, "/verwaltung/quellen/wetter-web/bearbeiten", WEATHER_FORM)

    assert response.status_code == 303, page_text(response)
    assert source_row(store, "wetter-web").options == {
        "cache_dir": "/srv/wetter",
        "station": "10384",
        "days": 14,
        "hourly": True,
        "renames": {"temp": "Temperatur", "rain": "Niederschlag"},
        "unit": "imperial",
        "tags": ["Wetter", "Klima"],
    }


def test_csw_options_are_offered_saved_and_shown(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    form = page_text(anna.get("/verwaltung/quellen/neu"))
    assert 'name="csw_constraint"' in form and "Einträge je Abruf" in form
    assert 'name="csw_open_licence_required" type="checkbox" checked' in form  # its default
    csw = {
        **NEW_SOURCE,
        "type": "csw",
        "url": "https://geoportal.example/csw",
        "csw_constraint": "opendata",
        "csw_page_size": "50",
        "ckan_fq": "tags:luft",  # belongs to CKAN: not kept for a CSW source
    }  # the licence box is not ticked

    response = post(anna, "/verwaltung/quellen/neu", csw)

    assert response.status_code == 303, page_text(response)
    assert source_row(store, "umwelt-portal").options == {
        "constraint": "opendata",
        "page_size": 50,
        "open_licence_required": False,
    }
    shown = page_text(anna.get("/verwaltung/quellen/umwelt-portal"))
    assert "Einträge je Abruf" in shown and "<code>50</code>" in shown
    edit = page_text(anna.get("/verwaltung/quellen/umwelt-portal/bearbeiten"))
    assert 'name="csw_page_size" type="number" inputmode="numeric" step="1" value="50"' in edit
    assert 'name="csw_open_licence_required" type="checkbox" aria-describedby' in edit
    refused = post(
        anna, "/verwaltung/quellen/neu", csw | {"name": "zu-gross", "csw_page_size": "5000"}
    )
    assert _error_at(page_text(refused), "csw_page_size") == "Bitte eine Zahl bis 1000 angeben."


def test_every_registered_option_declares_its_labels_and_has_a_field() -> None:
    for name, source_type in SOURCE_TYPES.items():
        for key, info in source_type.options.model_fields.items():
            texts = [item for item in info.metadata if isinstance(item, OptionText)]
            assert texts and texts[0].label_de and texts[0].label_en, (name, key)
        assert {field.key for field in option_fields(name)} <= set(
            source_type.options.model_fields
        )  # building the fields raises on an annotation the form has no widget for


def test_the_new_source_form_tests_the_connection_before_anything_is_saved(
    steward_app: Flask, steward_store: tuple[Settings, Store], catalog_server: RecordedServer
) -> None:
    _, store = steward_store
    before = snapshot(store)
    unnamed = NEW_SOURCE | {"name": "", "url": catalog_server.url("/catalog.ttl")}

    response = post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu/testen", unnamed)

    text = page_text(response)
    assert response.status_code == 200
    assert "Die Verbindung funktioniert" in text and "text/turtle" in text
    assert "https://daten.musterstadt.example/tiefbauamt/dataset/" in text  # the record's key
    assert "<h1>Neue Quelle</h1>" in text and f'value="{unnamed["url"]}"' in text
    assert 'action="/verwaltung/quellen/neu"' in text  # saving goes on from here
    assert 'formaction="/verwaltung/quellen/neu/testen"' in text
    assert 'id="error-name"' not in text  # the name is not needed for a test
    assert catalog_server.requests == ["/catalog.ttl"]
    assert snapshot(store) == before


def test_the_connection_test_reads_with_the_options_as_filled_in(
    steward_app: Flask, catalog_server: RecordedServer
) -> None:
    catalog_server.handlers["/csw"] = paged_handler(berlin_records())
    form = NEW_SOURCE | {
        "type": "csw",
        "url": catalog_server.url("/csw"),
        "csw_page_size": "3",
    }

    text = page_text(post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu/testen", form))

    assert "Die Verbindung funktioniert" in text, text[:3000]
    assert "Nährstoffversorgung des Oberbodens 2015" in text  # the first record's title
    [request] = catalog_server.requests
    assert parse_qs(urlsplit(request).query)["maxRecords"] == ["3"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"url": "ftp://daten.example/x.ttl"}, "url"), ({"csw_page_size": "viele"}, "csw_page_size")],
)
def test_a_connection_test_of_a_wrong_form_says_what_to_fix_and_fetches_nothing(
    steward_app: Flask,
    catalog_server: RecordedServer,
    change: dict[str, str],
    field: str,
) -> None:
    form = NEW_SOURCE | {"type": "csw", "url": catalog_server.url("/csw")} | change

    response = post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu/testen", form)

    assert response.status_code == 422
    assert _error_at(page_text(response), field)
    assert "Verbindungstest" not in page_text(response)
    assert catalog_server.requests == []


def test_the_edit_form_tests_the_changed_address_without_saving_it(
    steward_app: Flask, steward_store: tuple[Settings, Store], catalog_server: RecordedServer
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", "https://alt.example/catalog.ttl")
    before = snapshot(store)
    changed = NEW_SOURCE | {"url": catalog_server.url("/catalog.ttl")}

    response = post(
        client_for(steward_app, "anna"), "/verwaltung/quellen/umwelt-web/bearbeiten/testen", changed
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "Die Verbindung funktioniert" in text
    assert 'action="/verwaltung/quellen/umwelt-web/bearbeiten"' in text
    assert snapshot(store) == before


@pytest.mark.parametrize("actor", [None, "emil", "otto"], ids=["anonymous", "editor", "other"])
@pytest.mark.parametrize(
    "path", ["/verwaltung/quellen/neu/testen", "/verwaltung/quellen/umwelt-web/bearbeiten/testen"]
)
def test_only_the_organisations_admins_test_from_the_form(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    catalog_server: RecordedServer,
    actor: str | None,
    path: str,
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", "https://alt.example/catalog.ttl")
    form = NEW_SOURCE | {"url": catalog_server.url("/catalog.ttl")}

    response = post(client_for(steward_app, actor), path, form)

    if actor is None:
        assert (
            response.status_code == 302 and "/verwaltung/anmelden" in response.headers["Location"]
        )
    else:
        assert response.status_code == 403
    assert catalog_server.requests == []
