"""The publisher of a dataset's access services in the stewards' form (DCAT-AP.de 3.0 wants one
per dcat:DataService): each stored service is shown, the dataset's publisher is offered as a
visible choice that is never ticked by itself, another body can be named with its IRI, each
save is a revision that changes only that service, and an unchanged form saves nothing."""

from __future__ import annotations

from flask import Flask
from rdflib import Literal, URIRef

from catalog.settings import Settings
from catalog.store import Store
from dcat.namespaces import DCT, FOAF, RDF
from dcat.profile_validation import ProfileValidator
from dcat.profiles import Profile
from tests.web.steward.dataset_support import (
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

BASE = "http://catalog.test/dataset/"
PATH = "/verwaltung/datensaetze/luft/bearbeiten"
SERVICE = URIRef("urn:x:luft-dienst")
RECORD = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
<urn:x:luft> a dcat:Dataset ;
  dct:title "Luftqualität"@de ; dct:description "Stundenwerte der Messstationen."@de ;
  dct:publisher [ a foaf:Agent ; foaf:name "Umweltamt" ] ;
  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Umweltamt" ;
    vcard:hasEmail <mailto:luft@teststadt.example> ] ;
  dcat:distribution <urn:x:luft-api> .
<urn:x:luft-api> a dcat:Distribution ;
  dcat:accessURL <https://api.teststadt.example/luft> ; dct:license <{DL_BY}> ;
  dcat:accessService <urn:x:luft-dienst> .
<urn:x:luft-dienst> a dcat:DataService ; dct:title "Messwerte (API)"@de ;
  dcat:endpointURL <https://api.teststadt.example/luft/v1> .
"""


def _service_publisher_findings(graph: object) -> list[str]:
    report = ProfileValidator(Profile.DCATAPDE_3).validate(graph)  # type: ignore[arg-type]
    return [r.message_en for r in report.violations if "data service" in r.message_en]


def test_the_form_shows_each_service_and_offers_the_dataset_publisher_unticked(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    page = page_text(client.get(PATH))
    section = page[page.index('id="services"') :]
    assert "<legend>Messwerte (API)</legend>" in section
    assert "https://api.teststadt.example/luft/v1" in section
    assert "Dieselbe Stelle wie beim Datensatz: Umweltamt" in section
    values = form_fields(client.get(PATH))
    assert "services-0-publisher_same" not in values  # offered, never ticked by itself
    assert values["services-0-publisher_name"] == ""
    english = page_text(client.get(PATH + "?lang=en"))
    assert "Data services: who offers them" in english
    assert "The same body as for the dataset: Umweltamt" in english


def test_ticking_the_dataset_publisher_links_the_same_agent_in_a_new_revision(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RECORD, "urn:x:luft", name="luft")
    graph, _ = stored_graph(store, "luft")
    assert _service_publisher_findings(graph)  # 3.0 holds the record back without it
    client = client_for(dataset_app, "emil")
    values = form_fields(client.get(PATH))
    values["services-0-publisher_same"] = "y"
    saved = send_form(client, PATH, values, "publish")
    assert saved.status_code == 303, page_text(saved)

    graph, record = stored_graph(store, "luft")
    assert record.revision_number == 2
    dataset_publisher = graph.value(URIRef(BASE + "luft"), DCT.publisher)
    assert dataset_publisher is not None
    assert graph.value(SERVICE, DCT.publisher) == dataset_publisher
    assert _service_publisher_findings(graph) == []
    again = form_fields(client.get(PATH))
    assert again["services-0-publisher_same"] == "y"


def test_another_body_is_named_with_its_iri_and_the_dataset_keeps_its_own(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    values = form_fields(client.get(PATH))
    values["services-0-publisher_name"] = "Landesamt für Umwelt"
    values["services-0-publisher_uri"] = "https://lfu.example/"
    assert send_form(client, PATH, values, "publish").status_code == 303

    graph, record = stored_graph(store, "luft")
    assert record.revision_number == 2
    agent = URIRef("https://lfu.example/")
    assert graph.value(SERVICE, DCT.publisher) == agent
    assert (agent, RDF.type, FOAF.Agent) in graph
    assert graph.value(agent, FOAF.name) == Literal("Landesamt für Umwelt")
    dataset_publisher = graph.value(URIRef(BASE + "luft"), DCT.publisher)
    assert graph.value(dataset_publisher, FOAF.name) == Literal("Umweltamt")
    again = form_fields(client.get(PATH))
    assert again["services-0-publisher_name"] == "Landesamt für Umwelt"
    assert again["services-0-publisher_uri"] == "https://lfu.example/"

    # Clearing the name takes the service's publisher away again (the steward's decision).
    again["services-0-publisher_name"] = ""
    again["services-0-publisher_uri"] = ""
    assert send_form(client, PATH, again, "draft").status_code == 303
    graph, _ = stored_graph(store, "luft")
    assert graph.value(SERVICE, DCT.publisher) is None


def test_an_unchanged_form_with_services_saves_nothing(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    before = db_state(store)
    assert send_form(client, PATH, form_fields(client.get(PATH)), "publish").status_code == 303
    assert db_state(store) == before


def test_a_service_address_that_is_no_url_is_refused_beside_its_field(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    record_from_turtle(settings, store, RECORD, "urn:x:luft", name="luft")
    client = client_for(dataset_app, "emil")
    values = form_fields(client.get(PATH))
    values["services-0-publisher_name"] = "Landesamt für Umwelt"
    values["services-0-publisher_uri"] = "lfu"
    answer = send_form(client, PATH, values, "publish")
    assert answer.status_code == 422
    assert 'id="services-0-publisher_uri"' in page_text(answer)
    assert (
        'aria-invalid="true"' in page_text(answer).split('id="services-0-publisher_uri"')[1][:400]
    )
