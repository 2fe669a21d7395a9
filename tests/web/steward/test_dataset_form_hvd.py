"""High-Value Datasets in the stewards' form: the category checkboxes grouped by the
regulation's six categories, ticking marks the dataset, its distributions and their access
services, unticking takes the marking away again, each save a revision, and the HVD findings
stand beside their fields like every other finding."""

from __future__ import annotations

from typing import Any

from flask import Flask
from rdflib import URIRef

from catalog.models import RecordStatus
from catalog.settings import Settings
from catalog.store import Store
from dcat.hvd import APPLICABLE_LEGISLATION, HVD_CATEGORY, HVD_LEGISLATION
from dcat.namespaces import DCAT
from tests.web.steward.dataset_support import (
    CSV,
    DL_BY,
    dataset_app,
    dataset_store,
    db_state,
    form_fields,
    record_from_turtle,
    send_form,
    stored_graph,
)
from tests.web.steward.steward_support import client_for, page_text

__all__ = ["dataset_app", "dataset_store"]  # fixtures used by the tests below

NEW = "/verwaltung/datensaetze/neu?organization=umweltamt"
BASE = "http://catalog.test/dataset/"
BNA = "http://data.europa.eu/bna/"
GEOSPATIAL, ADDRESSES, MOBILITY = BNA + "c_ac64a52d", BNA + "c_c3de25e4", BNA + "c_b79e35eb"
REGULATION = URIRef(HVD_LEGISLATION)
OTHER_LAW = URIRef("http://data.europa.eu/eli/dir/2019/1024/oj")

# A record from a steward's script: HVD (mobility) with an API, and another law named too.
HVD_RECORD = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<urn:x:netz> a dcat:Dataset ;
  dct:title "Straßennetz"@de ; dct:description "Straßenabschnitte der Stadt."@de ;
  dcatap:hvdCategory <{MOBILITY}> ;
  dcatap:applicableLegislation <{HVD_LEGISLATION}>, <{OTHER_LAW}> ;
  dcat:contactPoint <urn:x:tiefbauamt> ;
  dcat:distribution <urn:x:netz-api> .
<urn:x:tiefbauamt> a vcard:Organization ; vcard:fn "Tiefbauamt" ;
  vcard:hasEmail <mailto:netz@teststadt.example> .
<urn:x:netz-api> a dcat:Distribution ;
  dcat:accessURL <https://daten.teststadt.example/netz/api> ;
  dct:license <{DL_BY}> ;
  dcatap:applicableLegislation <{HVD_LEGISLATION}> ;
  dcat:accessService <urn:x:netz-dienst> .
<urn:x:netz-dienst> a dcat:DataService ; dct:title "Straßennetz-API"@de ;
  dcat:endpointURL <https://daten.teststadt.example/netz/api> ;
  foaf:page <https://daten.teststadt.example/netz/api/doku> ;
  dcat:contactPoint <urn:x:tiefbauamt> ;
  dcatap:hvdCategory <{MOBILITY}> ;
  dcatap:applicableLegislation <{HVD_LEGISLATION}> .
"""


def _new_values(client: Any, **changes: Any) -> dict[str, Any]:
    values = form_fields(client.get(NEW))
    values.update(
        {
            "title_de": "Adressen der Stadt",
            "description_de": "Alle Hausadressen mit Koordinaten.",
            "contact_email": "geo@teststadt.example",
            "distributions-0-access_url": "https://daten.teststadt.example/adressen.csv",
            "distributions-0-download_url": "https://daten.teststadt.example/adressen.csv",
            "distributions-0-format": CSV,
            "licence": DL_BY,
            **changes,
        }
    )
    return values


def test_the_form_offers_the_hvd_categories_grouped_by_the_six_of_the_regulation(
    dataset_app: Flask,
) -> None:
    page = page_text(client_for(dataset_app, "emil").get(NEW))
    section = page[page.index('id="hvd_categories"') : page.index('id="distributions"')]
    assert "<legend>Hochwertiger Datensatz (HVD)</legend>" in section
    assert 'aria-describedby="hvd_categories-hint"' in section
    summaries = [part.split("</summary>")[0] for part in section.split("<summary>")[1:]]
    assert summaries == [
        "Georaum",
        "Erdbeobachtung und Umwelt",
        "Meteorologie",
        "Statistik",
        "Unternehmen und Eigentümerschaft von Unternehmen",
        "Mobilität",
    ]
    assert section.count('name="hvd_categories"') == 96  # every concept of the vocabulary
    assert f'value="{ADDRESSES}"' in section and ">Adressen</label>" in section
    assert "Georaum (allgemein)" in section
    assert 'name="hvd_categories" value' in section and " checked" not in section
    english = page_text(client_for(dataset_app, "emil").get(NEW + "&lang=en"))
    assert "<legend>High-value dataset (HVD)</legend>" in english
    assert "<summary>Geospatial</summary>" in english


def test_creating_an_hvd_dataset_in_the_form_marks_dataset_and_distribution(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    values = _new_values(client, hvd_categories=[ADDRESSES])
    saved = send_form(client, NEW, values, "publish")
    assert saved.status_code == 303, page_text(saved)
    graph, record = stored_graph(store, "adressen-der-stadt")
    node = URIRef(BASE + "adressen-der-stadt")
    [distribution] = graph.objects(node, DCAT.distribution)
    assert set(graph.objects(node, HVD_CATEGORY)) == {URIRef(ADDRESSES)}
    assert (node, APPLICABLE_LEGISLATION, REGULATION) in graph
    assert (distribution, APPLICABLE_LEGISLATION, REGULATION) in graph
    assert record.revision_number == 1 and record.violation_count == 0

    again = form_fields(client.get("/verwaltung/datensaetze/adressen-der-stadt/bearbeiten"))
    assert again["hvd_categories"] == ADDRESSES  # ticked when the form comes back


def test_unticking_every_category_drops_the_marking_everywhere_in_a_new_revision(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, HVD_RECORD, "urn:x:netz", name="netz")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/netz/bearbeiten"
    values = form_fields(client.get(path))
    assert values["hvd_categories"] == MOBILITY
    del values["hvd_categories"]  # a browser sends nothing for unticked boxes
    assert send_form(client, path, values, "publish").status_code == 303

    graph, record = stored_graph(store, "netz")
    assert record.revision_number == 2
    assert (None, HVD_CATEGORY, None) not in graph
    assert (None, APPLICABLE_LEGISLATION, REGULATION) not in graph
    # Another law the record names is no HVD marking: it stays.
    assert (URIRef(BASE + "netz"), APPLICABLE_LEGISLATION, OTHER_LAW) in graph
    assert (URIRef("urn:x:netz-dienst"), DCAT.endpointURL, None) in graph


def test_changing_the_category_reaches_the_access_service_and_an_unchanged_form_saves_nothing(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, HVD_RECORD, "urn:x:netz", name="netz")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/netz/bearbeiten"
    before = db_state(store)
    assert send_form(client, path, form_fields(client.get(path)), "publish").status_code == 303
    assert db_state(store) == before

    values = form_fields(client.get(path))
    values["hvd_categories"] = [MOBILITY, GEOSPATIAL]
    assert send_form(client, path, values, "publish").status_code == 303
    graph, record = stored_graph(store, "netz")
    assert record.revision_number == 2
    for part in (BASE + "netz", "urn:x:netz-dienst"):
        assert set(graph.objects(URIRef(part), HVD_CATEGORY)) == {
            URIRef(MOBILITY),
            URIRef(GEOSPATIAL),
        }
    for part in (BASE + "netz", "urn:x:netz-api", "urn:x:netz-dienst"):
        assert (URIRef(part), APPLICABLE_LEGISLATION, REGULATION) in graph


def test_a_row_added_to_an_hvd_dataset_carries_the_marking(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, HVD_RECORD, "urn:x:netz", name="netz")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/netz/bearbeiten"
    values = form_fields(client.get(path))
    values["distributions-1-access_url"] = "https://daten.teststadt.example/netz.csv"
    values["distributions-1-download_url"] = "https://daten.teststadt.example/netz.csv"
    values["distributions-1-format"] = CSV
    values["distributions-1-licence"] = ""  # "as chosen above", as the browser sends it
    assert send_form(client, path, values, "publish").status_code == 303
    graph, _ = stored_graph(store, "netz")
    distributions = set(graph.objects(URIRef(BASE + "netz"), DCAT.distribution))
    assert len(distributions) == 2
    assert all((d, APPLICABLE_LEGISLATION, REGULATION) in graph for d in distributions)


def test_hvd_findings_stand_beside_their_fields_like_every_other_finding(
    dataset_app: Flask,
) -> None:
    client = client_for(dataset_app, "emil")
    # No download, no API, no contact: the regulation's checks are warnings, the draft saves.
    values = _new_values(
        client,
        hvd_categories=[ADDRESSES],
        contact_email="",
        contact_name="",
        **{"distributions-0-download_url": ""},
    )
    saved = send_form(client, NEW, values, "draft")
    assert saved.status_code == 303, page_text(saved)
    page = page_text(client.get(saved.headers["Location"]))
    warnings = page[page.index('id="warning-summary-title"') : page.index('class="dataset-form')]
    assert "HVD: Es fehlt eine API" in warnings
    assert "HVD: Es fehlt ein Kontakt" in warnings
    contact = page[page.index('<label for="contact_email">') : page.index('id="contact_email"')]
    assert "HVD: Es fehlt ein Kontakt" in contact


def test_an_hvd_shapes_violation_stands_beside_the_hvd_categories(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    # The regulation named, but no category: the SEMIC HVD shapes want dcatap:hvdCategory.
    without_category = HVD_RECORD.replace(f"dcatap:hvdCategory <{MOBILITY}> ;", "", 1)
    record_from_turtle(
        settings, store, without_category, "urn:x:netz", name="netz", status=RecordStatus.DRAFT
    )
    page = page_text(client_for(dataset_app, "emil").get("/verwaltung/datensaetze/netz/bearbeiten"))
    section = page[page.index('id="hvd_categories"') : page.index('id="distributions"')]
    assert (
        "field-error"
        in page[page.index('id="hvd_categories"') - 80 : page.index('id="hvd_categories"')]
    )
    assert "field-message-violation" in section and "HVD:" in section
    assert '<a href="#hvd_categories">HVD-Kategorien: HVD:' in page
