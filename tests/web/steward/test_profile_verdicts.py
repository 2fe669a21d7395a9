"""The steward's dataset page shows the DCAT-AP.de 3.0 verdict where it differs from 2.0's."""

from __future__ import annotations

from flask import Flask

from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.dataset_support import dataset_app, dataset_store, record_from_turtle
from tests.web.steward.steward_support import client_for

__all__ = ["dataset_app", "dataset_store"]

TURTLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://daten.example/dataset/baeume> a dcat:Dataset ;
  dct:title "Straßenbäume"@de ; dct:description "Alle Straßenbäume der Stadt."@de ;
  dcat:distribution <https://daten.example/dataset/baeume/csv> .
<https://daten.example/dataset/baeume/csv> a dcat:Distribution ;
  dcat:accessURL <https://daten.example/baeume.csv> {licence} .
"""


def test_a_record_valid_in_2_0_but_without_a_distribution_licence_shows_the_3_0_violation(
    dataset_store: tuple[Settings, Store], dataset_app: Flask
) -> None:
    settings, store = dataset_store
    record = record_from_turtle(
        settings, store, TURTLE.format(licence=""), "https://daten.example/dataset/baeume"
    )
    assert record.validation_state.value != "invalid"
    client = client_for(dataset_app, "emil")
    page = client.get(f"/verwaltung/datensaetze/{record.name}").get_data(as_text=True)
    assert "Prüfung nach DCAT-AP.de 3.0" in page
    assert "Nach DCAT-AP.de 2.0 gültig, nach DCAT-AP.de 3.0 nicht" in page
    assert "genau eine Lizenz (dcterms:license) je Distribution" in page
    english = client.get(
        f"/verwaltung/datensaetze/{record.name}", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 200


def test_a_record_both_profiles_accept_shows_no_second_verdict(
    dataset_store: tuple[Settings, Store], dataset_app: Flask
) -> None:
    settings, store = dataset_store
    licence = "; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0>"
    record = record_from_turtle(
        settings, store, TURTLE.format(licence=licence), "https://daten.example/dataset/baeume"
    )
    page = client_for(dataset_app, "emil").get(f"/verwaltung/datensaetze/{record.name}")
    assert "DCAT-AP.de 3.0" not in page.get_data(as_text=True)
