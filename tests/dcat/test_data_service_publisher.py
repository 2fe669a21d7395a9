"""A data service's publisher (DCAT-AP.de 3.0: DE_DataService_dcterms_publisher_v_Min): built as a
foaf:Agent, read into the view, mapped to and from ckanext-dcat's access_services `publisher`
subfield, never taken from the dataset, and reported by our 3.0 shapes with where to state it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from catalog.report_hints import setting_hint
from dcat.builder import build_dataset_graph
from dcat.ckan.parse import dataset_graph_from_ckan, dataset_input_from_ckan
from dcat.ckan.serialize import ckan_package_from_view
from dcat.model import AgentInput, DataServiceInput, DatasetInput, DistributionInput
from dcat.namespaces import DCAT, DCT, FOAF, RDF
from dcat.parsing import parse_rdf_file
from dcat.profile_validation import ProfileValidator
from dcat.profiles import Profile
from dcat.split import split_catalog_into_datasets
from dcat.view import dataset_view
from dcat.view_json import view_from_json, view_to_json

DATA = Path(__file__).resolve().parents[1] / "data" / "dcat"
DEMO = Path(__file__).resolve().parents[2] / "catalog" / "demo"
URI = "http://localhost:5000/dataset/luft"
UMWELTAMT = AgentInput(name="Umweltamt")
GEOPORTAL = AgentInput(name="Landesamt für Geoinformation", uri="https://lgi.example/org")


def _dataset(*services: DataServiceInput, publisher: AgentInput | None = UMWELTAMT) -> DatasetInput:
    return DatasetInput(
        title={"de": "Luftqualität"},
        description={"de": "Messwerte"},
        publisher=publisher,
        distributions=(
            DistributionInput(
                access_url="https://api.musterstadt.example/luft", access_services=services
            ),
        ),
    )


def _service(publisher: AgentInput | None) -> DataServiceInput:
    return DataServiceInput(
        title={"de": "Messwerte (API)"},
        endpoint_url="https://api.musterstadt.example/luft/v1",
        publisher=publisher,
    )


def _service_node(graph: Any) -> Any:
    return next(graph.subjects(RDF.type, DCAT.DataService))


def test_the_service_publisher_is_a_foaf_agent_with_name_and_iri() -> None:
    graph, _ = build_dataset_graph(_dataset(_service(GEOPORTAL)), uri=URI)
    agent = graph.value(_service_node(graph), DCT.publisher)
    assert agent == URIRef("https://lgi.example/org")
    assert (agent, RDF.type, FOAF.Agent) in graph
    assert (agent, FOAF.name, Literal("Landesamt für Geoinformation")) in graph


def test_a_service_publisher_equal_to_the_datasets_is_the_same_agent_node() -> None:
    graph, node = build_dataset_graph(_dataset(_service(UMWELTAMT)), uri=URI)
    assert graph.value(_service_node(graph), DCT.publisher) == graph.value(node, DCT.publisher)
    assert len(set(graph.subjects(RDF.type, FOAF.Agent))) == 1


def test_no_service_publisher_is_taken_from_the_dataset() -> None:
    graph, _ = build_dataset_graph(_dataset(_service(None)), uri=URI)
    assert graph.value(_service_node(graph), DCT.publisher) is None


def test_the_view_and_its_stored_form_keep_the_service_publisher() -> None:
    graph, node = build_dataset_graph(_dataset(_service(GEOPORTAL)), uri=URI)
    view = dataset_view(graph, node, lang="de")
    (service,) = view.distributions[0].access_services
    assert service.publisher is not None
    assert (service.publisher.name, service.publisher.uri) == (GEOPORTAL.name, GEOPORTAL.uri)
    assert view_from_json(view_to_json(view)) == view


def _package(service_publisher: object) -> dict[str, Any]:
    service: dict[str, Any] = {
        "title": "Messwerte (API)",
        "endpoint_url": ["https://api.musterstadt.example/luft/v1"],
    }
    if service_publisher is not None:
        service["publisher"] = service_publisher
    return {
        "name": "luft",
        "title": "Luftqualität",
        "notes": "Messwerte",
        "organization": {"name": "umweltamt", "title": "Umweltamt"},
        "resources": [
            {"url": "https://api.musterstadt.example/luft", "access_services": [service]}
        ],
    }


def test_ckan_access_services_publisher_round_trips() -> None:
    written = [{"name": GEOPORTAL.name, "uri": GEOPORTAL.uri}]
    graph, node = dataset_graph_from_ckan(_package(written), base_url="http://localhost:5000")
    package = ckan_package_from_view(dataset_view(graph, node, lang="de"), name="luft")
    (service,) = package["resources"][0]["access_services"]
    assert service["publisher"] == written
    again, _ = dataset_graph_from_ckan(package, base_url="http://localhost:5000")
    agent = again.value(_service_node(again), DCT.publisher)
    assert agent == URIRef(GEOPORTAL.uri)
    assert again.value(agent, FOAF.name) == Literal(GEOPORTAL.name)


def test_ckan_reads_one_publisher_object_and_json_text_as_well() -> None:
    single = dataset_input_from_ckan(_package({"name": "Umweltamt"}))
    as_text = dataset_input_from_ckan(_package(json.dumps([{"name": "Umweltamt"}])))
    for data in (single, as_text):
        (service,) = data.distributions[0].access_services
        assert service.publisher == UMWELTAMT


def test_a_ckan_service_without_publisher_gets_none() -> None:
    data = dataset_input_from_ckan(_package(None))
    assert data.publisher == UMWELTAMT
    assert data.distributions[0].access_services[0].publisher is None
    package = ckan_package_from_view(
        dataset_view(*build_dataset_graph(data, uri=URI), lang="de"), name="luft"
    )
    assert package["resources"][0]["access_services"][0]["publisher"] == []


def test_the_demo_states_the_publisher_of_every_service() -> None:
    services = [
        service
        for line in (DEMO / "umweltamt-ckan.jsonl").read_text("utf-8").splitlines()
        for distribution in dataset_input_from_ckan(json.loads(line)).distributions
        for service in distribution.access_services
    ]
    assert len(services) == 3
    assert {service.publisher for service in services} == {UMWELTAMT}


def test_a_harvested_dcat_service_keeps_its_own_publisher() -> None:
    (item,) = split_catalog_into_datasets(parse_rdf_file(DATA / "service_publisher.ttl"))
    view = dataset_view(item.graph, item.node, lang="de")
    (service,) = view.distributions[0].access_services
    assert view.publisher is not None and view.publisher.name == "Stadtplanungsamt Musterstadt"
    assert service.publisher is not None
    assert service.publisher.name == "Landesamt für Geoinformation"


def test_our_3_0_shapes_report_a_missing_service_publisher_with_where_to_state_it() -> None:
    validator = ProfileValidator(Profile.DCATAPDE_3)
    graph, _ = build_dataset_graph(_dataset(_service(None)), uri=URI)
    findings = [
        result
        for result in validator.validate(graph).violations
        if result.path == str(DCT.publisher) and "Datendienst" in result.message_de
    ]
    assert len(findings) == 1
    assert "data service" in findings[0].message_en
    hint = setting_hint(findings[0])
    assert hint is not None and hint.setting == ""
    assert "access_services" in hint.note("de") and "access_services" in hint.note("en")
    stated, _ = build_dataset_graph(_dataset(_service(UMWELTAMT)), uri=URI)
    assert not [r for r in validator.validate(stated).violations if "Datendienst" in r.message_de]


def test_the_datasets_missing_publisher_still_points_to_the_source_default() -> None:
    validator = ProfileValidator(Profile.DCATAPDE_3)
    graph, _ = build_dataset_graph(_dataset(_service(UMWELTAMT), publisher=None), uri=URI)
    hints = {
        setting_hint(result).setting  # type: ignore[union-attr]
        for result in validator.validate(graph).violations
        if result.path == str(DCT.publisher) and setting_hint(result) is not None
    }
    assert "defaults.publisher" in hints
