"""The spreadsheet source form offers the publisher columns and the fallback columns, labelled
in German and English, saves them in the options' shape and names a wrong field at its input."""

from __future__ import annotations

from flask import Flask

from catalog.organizations import get_source_by_name
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.steward_support import (
    client_for,
    page_text,
    post,
    source_row,
    steward_app,
    steward_store,
)
from tests.web.steward.test_sources import NEW_SOURCE

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below

SHEET_FORM = {
    **NEW_SOURCE,
    "name": "musterdaten-nrw",
    "type": "spreadsheet",
    "url": "https://daten.nrw.example/musterdatenkatalog.csv",
    "columns": "title = dct:title\npublisher = dct:publisher foaf:Agent",
    "spreadsheet_fallback_columns": "publisher = ORG",
}


def test_the_spreadsheet_form_offers_publisher_and_fallback_columns_in_both_languages(
    steward_app: Flask,
) -> None:
    anna = client_for(steward_app, "anna")
    german = page_text(anna.get("/verwaltung/quellen/neu"))
    anna.get("/?lang=en")
    english = page_text(anna.get("/verwaltung/quellen/neu"))

    textarea = (
        '<textarea id="field-spreadsheet_fallback_columns" name="spreadsheet_fallback_columns"'
    )
    assert textarea in german
    assert "Ersatzspalten" in german and "publisher = ORG" in german
    assert "Fallback columns" in english and "Ersatzspalten" not in english
    for field in ("publisher", "publisher_uri", "publisher_email", "publisher_homepage"):
        assert field in german.split('id="field-columns"', 1)[0].rsplit("Spaltenzuordnung", 1)[1]


def test_publisher_and_fallback_columns_are_saved_in_the_options_shape(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store

    response = post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu", SHEET_FORM)

    assert response.status_code == 303, page_text(response)
    assert source_row(store, "musterdaten-nrw").options == {
        "columns": {"title": "dct:title", "publisher": "dct:publisher foaf:Agent"},
        "fallback_columns": {"publisher": "ORG"},
    }


def test_a_fallback_for_an_unknown_field_is_refused_at_its_input(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")

    response = post(
        anna,
        "/verwaltung/quellen/neu",
        SHEET_FORM | {"spreadsheet_fallback_columns": "verlag = ORG"},
    )

    text = page_text(response)
    assert response.status_code == 422
    message = text.split('id="error-spreadsheet_fallback_columns">', 1)[1].split("</p>", 1)[0]
    assert "verlag" in message, message
    assert get_source_by_name(store, "musterdaten-nrw") is None
