"""The dataset pages: the list with its filters, and the form with plain-German fields,
validation on every save with the findings beside their fields, drafts saved with violations,
publishing refused with them, rows added and removed without JavaScript, status actions, and
edits that keep every triple the form does not show."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from catalog.editing import Editing
from catalog.models import RecordStatus, ValidationState
from catalog.settings import Settings
from catalog.store import Store
from dcat.namespaces import DCAT, DCATDE, DCT
from tests.web.steward.dataset_support import (
    CC_ZERO,
    CSV,
    DL_BY,
    ENVI,
    JSON,
    dataset_app,
    dataset_store,
    db_state,
    form_fields,
    record_from_turtle,
    rights_of,
    send_form,
    stored_graph,
)
from tests.web.steward.steward_support import client_for, page_text, post

__all__ = ["dataset_app", "dataset_store"]  # fixtures used by the tests below

NEW = "/verwaltung/datensaetze/neu?organization=umweltamt"
BASE = "http://catalog.test/dataset/"

RICH_RECORD = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix adms: <http://www.w3.org/ns/adms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:x:luft> a dcat:Dataset ;
  dct:title "Luftmessstellen"@de, "Air quality stations"@en ;
  dct:description "Stündliche Messwerte der Luftmessstellen."@de ;
  dcat:keyword "Luft"@de, "air"@en ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
  dcat:landingPage <https://umwelt.example/luft> ;
  dct:conformsTo <https://umwelt.example/standard/luft-1> ;
  owl:versionInfo "2.1" ;
  adms:versionNotes "Neue Messstelle Hafen"@de ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Umweltamt" ;
      vcard:hasEmail <mailto:luft@umwelt.example> ;
      vcard:hasAddress [ a vcard:Address ; vcard:street-address "Rathausplatz 1" ] ] ;
  dcat:distribution [ a dcat:Distribution ;
      dct:title "Messwerte als CSV"@de ;
      dcat:accessURL <https://umwelt.example/luft.csv> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
      dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
      dcat:byteSize "2048"^^xsd:decimal ;
      foaf:page <https://umwelt.example/luft/doku> ;
      dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] .
"""


def _new_values(client: Any, **changes: Any) -> dict[str, Any]:
    values = form_fields(client.get(NEW))
    values.update(
        {
            "title_de": "Bäume an Straßen",
            "distributions-0-access_url": "https://daten.example/baeume.csv",
            "distributions-0-format": CSV,
            "licence": DL_BY,
            **changes,
        }
    )
    return values


def _without(graph: Graph, *predicates: URIRef) -> Graph:
    kept = Graph()
    for s, p, o in graph:
        if p not in predicates:
            kept.add((s, p, o))
    return kept


def test_the_new_form_explains_licences_and_starts_from_the_organisation(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(
        settings,
        store,
        RICH_RECORD,
        "urn:x:luft",
        name="luft",
    )
    page = client_for(dataset_app, "emil").get(NEW)
    text = page_text(page)
    assert page.status_code == 200
    assert "Datenlizenz Deutschland Namensnennung 2.0" in text
    assert "Jede Nutzung erlaubt, auch kommerziell; die Quelle muss genannt werden." in text
    assert (
        "„Namensnennung“ heißt: Wer die Daten verwendet, muss angeben, woher sie stammen." in text
    )
    assert '<option value="Luft">' in text  # a keyword of the catalog, offered as a suggestion
    values = form_fields(page)
    assert values["publisher_name"] == "Umweltamt" and values["whole_city"] == "y"
    assert values["attribution"] == "Stadt Teststadt, Umweltamt"
    assert 'value="Altstadt"' in text and 'value="Hafen"' in text
    assert values["licence"] == ""  # a licence is the steward's decision, never preset


def test_a_draft_with_a_violation_is_saved_and_the_german_message_stands_beside_the_field(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    saved = send_form(client, NEW, _new_values(client), "draft")
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(
        "/verwaltung/datensaetze/baeume-an-strassen/bearbeiten"
    )
    _, record = stored_graph(store, "baeume-an-strassen")
    assert record.status == RecordStatus.DRAFT and record.violation_count == 1

    page = page_text(client.get(saved.headers["Location"]))
    assert "Als Entwurf gespeichert" in page and "Der Entwurf hat 1 Verstoß" in page
    field = page[
        page.index('<label for="description_de">') - 200 : page.index('id="description_de"')
    ]
    assert 'class="field field-error"' in field
    assert "Der Datensatz braucht eine Beschreibung (dct:description)." in field
    assert '<a href="#description_de">Beschreibung: Der Datensatz braucht eine Beschreibung' in page
    english = page_text(client.get(saved.headers["Location"] + "?lang=en"))
    assert "The dataset needs a description (dct:description)." in english


def test_publishing_with_a_violation_is_refused_keeps_what_was_typed_and_saves_nothing(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    before = db_state(store)
    refused = send_form(client, NEW, _new_values(client, keywords="Bäume, Stadtgrün"), "publish")
    assert refused.status_code == 422
    assert db_state(store) == before
    text = page_text(refused)
    assert "Nicht veröffentlicht" in text and 'class="error-summary" role="alert"' in text
    shown = form_fields(refused)
    assert shown["title_de"] == "Bäume an Straßen" and shown["keywords"] == "Bäume, Stadtgrün"
    assert shown["distributions-0-access_url"] == "https://daten.example/baeume.csv"
    assert shown["distributions-0-format"] == CSV and shown["licence"] == DL_BY


def test_a_fixed_draft_is_published_and_found_in_search_and_in_the_dcat_catalog(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    edit_page = send_form(client, NEW, _new_values(client), "draft").headers["Location"]
    values = form_fields(client.get(edit_page))
    values["description_de"] = "Alle Straßenbäume mit Art und Pflanzjahr."
    published = send_form(client, edit_page, values, "publish")
    assert published.status_code == 303
    assert published.headers["Location"].endswith("/verwaltung/datensaetze/baeume-an-strassen")
    graph, record = stored_graph(store, "baeume-an-strassen")
    assert record.status == RecordStatus.PUBLISHED
    assert record.validation_state == ValidationState.VALID
    assert (URIRef(BASE + "baeume-an-strassen"), DCT.description, None) in graph

    anonymous = dataset_app.test_client()
    assert "Bäume an Straßen" in page_text(anonymous.get("/suche?q=Straßenbäume"))
    assert BASE + "baeume-an-strassen" in page_text(anonymous.get("/catalog.ttl?page_size=1000"))


def test_another_distribution_row_comes_and_goes_without_javascript_keeping_what_was_typed(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    before = db_state(store)
    values = _new_values(client, description_de="Text, der bleiben soll.")
    more = send_form(client, NEW, values, "add_distribution")
    assert more.status_code == 200
    shown = form_fields(more)
    assert shown["description_de"] == "Text, der bleiben soll."
    assert shown["distributions-0-access_url"] == "https://daten.example/baeume.csv"
    assert shown["distributions-1-access_url"] == ""
    shown["distributions-1-access_url"] = "https://daten.example/baeume.json"
    shown["distributions-1-format"] = JSON
    fewer = form_fields(send_form(client, NEW, shown, "remove-0"))
    assert fewer["distributions-0-access_url"] == "https://daten.example/baeume.json"
    assert fewer["distributions-0-format"] == JSON
    assert "distributions-1-access_url" not in fewer
    assert db_state(store) == before  # neither step saved anything


def test_editing_keeps_every_triple_the_form_has_no_field_for(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RICH_RECORD, "urn:x:luft", name="luft")
    before, _ = stored_graph(store, "luft")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/luft/bearbeiten"
    values = form_fields(client.get(path))
    assert values["title_de"] == "Luftmessstellen" and values["title_en"] == "Air quality stations"
    assert values["licence"] == DL_BY and values["distributions-0-licence"] == ""
    values["title_de"] = "Luftmessstellen der Stadt"
    assert send_form(client, path, values, "publish").status_code == 303

    after, record = stored_graph(store, "luft")
    node = URIRef(BASE + "luft")
    assert (node, DCT.title, Literal("Luftmessstellen der Stadt", lang="de")) in after
    assert (node, DCT.title, Literal("Air quality stations", lang="en")) in after
    assert isomorphic(_without(before, DCT.title), _without(after, DCT.title))
    assert record.revision_number == 2


def test_a_changed_distribution_keeps_its_byte_size_and_a_new_format_drops_its_media_type(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RICH_RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/luft/bearbeiten"
    values = form_fields(client.get(path))
    values["distributions-0-format"] = JSON
    values["distributions-0-title"] = "Messwerte als JSON"
    assert send_form(client, path, values, "publish").status_code == 303
    graph, _ = stored_graph(store, "luft")
    [distribution] = graph.objects(URIRef(BASE + "luft"), DCAT.distribution)
    assert (distribution, DCT.format, URIRef(JSON)) in graph
    assert (distribution, DCAT.mediaType, None) not in graph
    assert (distribution, DCAT.byteSize, None) in graph
    assert (distribution, DCT.license, URIRef(DL_BY)) in graph


def test_an_unchanged_form_saves_no_new_revision(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RICH_RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/luft/bearbeiten"
    before = db_state(store)
    saved = send_form(client, path, form_fields(client.get(path)), "publish")
    assert saved.status_code == 303 and db_state(store) == before
    assert "Keine Änderungen" in page_text(client.get(saved.headers["Location"]))


def test_the_chosen_licence_goes_to_every_distribution_without_one_of_its_own(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    values = _new_values(client, description_de="Straßenbäume.")
    values = form_fields(send_form(client, NEW, values, "add_distribution"))
    values["distributions-1-access_url"] = "https://daten.example/baeume.json"
    values["distributions-1-licence"] = CC_ZERO
    assert send_form(client, NEW, values, "publish").status_code == 303
    graph, _ = stored_graph(store, "baeume-an-strassen")
    licences = {
        str(graph.value(d, DCAT.accessURL)): (
            graph.value(d, DCT.license),
            graph.value(d, DCATDE.licenseAttributionByText),
        )
        for d in graph.objects(URIRef(BASE + "baeume-an-strassen"), DCAT.distribution)
    }
    assert licences == {
        "https://daten.example/baeume.csv": (URIRef(DL_BY), Literal("Stadt Teststadt, Umweltamt")),
        "https://daten.example/baeume.json": (URIRef(CC_ZERO), None),  # no attribution needed
    }


def test_chosen_districts_become_places_and_the_form_shows_them_again(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    values = _new_values(client, description_de="Bäume.", districts=["Altstadt", "Hafen"])
    values["themes"] = [ENVI]
    assert send_form(client, NEW, values, "publish").status_code == 303
    graph, _ = stored_graph(store, "baeume-an-strassen")
    node = URIRef(BASE + "baeume-an-strassen")
    assert set(graph.objects(node, DCT.spatial)) == {
        URIRef("https://teststadt.example/stadtteile/altstadt")
    }
    assert set(graph.objects(node, DCATDE.geocodingDescription)) == {
        Literal("Altstadt, Hafen", lang="de")
    }
    shown = form_fields(client.get("/verwaltung/datensaetze/baeume-an-strassen/bearbeiten"))
    assert shown["districts"] == ["Altstadt", "Hafen"] and shown["themes"] == ENVI


def test_typing_errors_are_named_beside_their_fields_and_nothing_is_saved(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    before = db_state(store)
    values = _new_values(
        client,
        title_de="",
        contact_email="umweltamt-at-stadt",
        temporal_start="2024-05-01",
        temporal_end="2023-01-01",
        **{"distributions-0-access_url": "daten.example/baeume.csv"},
    )
    page = send_form(client, NEW, values, "draft")
    text = page_text(page)
    assert page.status_code == 422 and db_state(store) == before
    assert '<a href="#title_de">Titel: Bitte geben Sie einen Titel an.</a>' in text
    assert "Bitte eine gültige E-Mail-Adresse angeben" in text
    assert "Das Ende darf nicht vor dem Beginn liegen." in text
    assert '<a href="#distributions-0-access_url">Distribution 1: Zugangsadresse:' in text


def test_a_warning_is_shown_beside_its_field_but_never_blocks_publishing(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    unlisted = "https://licences.example/stadt-lizenz"
    record_from_turtle(
        settings, store, RICH_RECORD.replace(DL_BY, unlisted), "urn:x:luft", name="luft"
    )
    _, record = stored_graph(store, "luft")
    assert record.validation_state == ValidationState.WARNINGS
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/luft/bearbeiten"
    page = client.get(path)
    text = page_text(page)
    assert "Hinweise (blockieren das Veröffentlichen nicht)" in text
    assert f"Bisherige Angabe: {unlisted}" in text and form_fields(page)["licence"] == unlisted
    values = form_fields(page)
    values["title_de"] = "Luftmessstellen 2025"
    assert send_form(client, path, values, "publish").status_code == 303
    graph, record = stored_graph(store, "luft")
    assert record.status == RecordStatus.PUBLISHED and record.title == "Luftmessstellen 2025"
    [distribution] = graph.objects(URIRef(BASE + "luft"), DCAT.distribution)
    assert (distribution, DCT.license, URIRef(unlisted)) in graph  # kept, as it was shown


def test_status_actions_withdraw_restore_draft_and_publish_and_refuse_publishing_violations(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RICH_RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    anonymous = dataset_app.test_client()
    path = "/verwaltung/datensaetze/luft"

    assert post(client, path + "/zurueckziehen").status_code == 303
    assert stored_graph(store, "luft")[1].status == RecordStatus.WITHDRAWN
    assert anonymous.get("/dataset/luft").status_code == 404
    assert post(client, path + "/wiederherstellen").status_code == 303
    assert stored_graph(store, "luft")[1].status == RecordStatus.PUBLISHED
    assert anonymous.get("/dataset/luft").status_code == 200
    assert post(client, path + "/entwurf").status_code == 303
    assert stored_graph(store, "luft")[1].status == RecordStatus.DRAFT
    assert post(client, path + "/veroeffentlichen").status_code == 303
    assert stored_graph(store, "luft")[1].status == RecordStatus.PUBLISHED

    send_form(client, NEW, _new_values(client), "draft")  # no description: one violation
    before = db_state(store)
    refused = post(client, "/verwaltung/datensaetze/baeume-an-strassen/veroeffentlichen")
    assert refused.status_code == 409 and db_state(store) == before
    text = page_text(refused)
    assert "Nicht veröffentlicht: Der Datensatz hat 1 DCAT-AP.de-Verstoß." in text
    assert "Beschreibung:</strong> Der Datensatz braucht eine Beschreibung" in text


def test_a_form_saved_after_someone_else_changed_the_record_is_held_back_once(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record = record_from_turtle(settings, store, RICH_RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    path = "/verwaltung/datensaetze/luft/bearbeiten"
    values = form_fields(client.get(path))
    Editing(store, settings).set_status(rights_of(store, "anna"), record.id, RecordStatus.DRAFT)
    values["title_de"] = "Luftmessstellen, Stand Mai"
    before = db_state(store)
    held = send_form(client, path, values, "publish")
    assert held.status_code == 409 and db_state(store) == before
    assert "Der Datensatz wurde inzwischen geändert (jetzt Revision 2)" in page_text(held)
    again = form_fields(held)
    assert again["title_de"] == "Luftmessstellen, Stand Mai" and again["revision"] == "2"
    assert send_form(client, path, again, "publish").status_code == 303
    graph, saved = stored_graph(store, "luft")
    assert saved.title == "Luftmessstellen, Stand Mai" and saved.revision_number == 3
    assert len(list(graph.objects(URIRef(BASE + "luft"), DCAT.distribution))) == 1


def test_the_list_filters_by_organisation_status_validation_state_and_title(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RICH_RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "anna")
    send_form(client, NEW, _new_values(client), "draft")  # a draft with a violation

    def titles(query: str) -> list[str]:
        page = page_text(client.get("/verwaltung/datensaetze" + query))
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)

    assert sorted(titles("")) == ["Bäume an Straßen", "Luftmessstellen"]
    assert titles("?status=draft") == ["Bäume an Straßen"]
    assert titles("?pruefung=valid") == ["Luftmessstellen"]
    assert titles("?q=LUFT") == ["Luftmessstellen"]
    assert titles("?organization=umweltamt&status=withdrawn") == []
    assert titles("?q=100%25") == []  # a "%" is searched for, not a wildcard


def test_a_dataset_without_distribution_and_licence_is_published_with_govdatas_warnings(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    values = form_fields(client.get(NEW))
    values.update({"title_de": "Baumpflanzungen", "description_de": "Alle 2025 gepflanzten Bäume."})

    assert send_form(client, NEW, values, "publish").status_code == 303

    _, record = stored_graph(store, "baumpflanzungen")
    page = page_text(client.get("/verwaltung/datensaetze/baumpflanzungen"))
    assert record.status == RecordStatus.PUBLISHED  # warnings never block publishing
    assert record.validation_state == ValidationState.WARNINGS
    assert "Keine Verstöße und keine Hinweise" not in page
    assert "Der Datensatz hat keine Distribution (dcat:distribution)" in page
    assert "Der Datensatz nennt keine Lizenz (dct:license" in page
