"""High-Value Datasets: the demo's HVD datasets pass SEMIC's HVD shapes (judged apart, on pyshacl
as released), the regulation's checks report what shapes cannot see, and the marking survives
the CKAN API's round trip and reaches the search filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from dcat.builder import build_dataset_graph
from dcat.ckan.parse import dataset_graph_from_ckan, dataset_input_from_ckan
from dcat.ckan.serialize import ckan_package_from_view
from dcat.hvd import (
    APPLICABLE_LEGISLATION,
    HVD_LEGISLATION,
    hvd_dataset_nodes,
    hvd_flags,
    top_category,
)
from dcat.model import ContactInput, DatasetInput, DistributionInput
from dcat.parsing import parse_rdf_file
from dcat.split import split_catalog_into_datasets
from dcat.validation import HVD_REGULATION_CHECK, Severity, Validator
from dcat.view import dataset_view
from tests.dcat.hvd_judge import HVD_SHAPES_FILE, judge_hvd

DEMO = Path(__file__).resolve().parents[2] / "catalog" / "demo"
BNA = "http://data.europa.eu/bna/"
GEOSPATIAL, ENVIRONMENT, STATISTICS, MOBILITY = (
    BNA + "c_ac64a52d",
    BNA + "c_dd313021",
    BNA + "c_e1da4e07",
    BNA + "c_b79e35eb",
)
requires_hvd_shapes = pytest.mark.skipif(
    not HVD_SHAPES_FILE.is_file(), reason=f"SEMIC HVD shapes not found at {HVD_SHAPES_FILE}"
)


def demo_hvd_graphs() -> list[Graph]:
    """Every HVD dataset of the demo sources, as the CKAN and DCAT harvesters map them."""
    graphs = []
    for line in (DEMO / "umweltamt-ckan.jsonl").read_text("utf-8").splitlines():
        graph, _ = dataset_graph_from_ckan(json.loads(line), base_url="http://localhost:5000")
        graphs.append(graph)
    for page in sorted((DEMO / "tiefbauamt").glob("*.ttl")):
        graphs += [item.graph for item in split_catalog_into_datasets(parse_rdf_file(page))]
    return [graph for graph in graphs if hvd_dataset_nodes(graph)]


def hvd_dataset(**changes: object) -> DatasetInput:
    values: dict[str, object] = {
        "title": {"de": "Verkehrsnetz"},
        "description": {"de": "Straßenabschnitte der Stadt"},
        "contact": ContactInput(email="verkehr@musterstadt.example"),
        "hvd_categories": (MOBILITY,),
        "distributions": (
            DistributionInput(
                access_url="https://daten.musterstadt.example/netz.csv",
                download_url="https://daten.musterstadt.example/netz.csv",
                license="http://dcat-ap.de/def/licenses/dl-by-de/2.0",
            ),
        ),
    }
    values.update(changes)
    return DatasetInput(**values)  # type: ignore[arg-type]


def hvd_findings(data: DatasetInput) -> list[str]:
    graph, _ = build_dataset_graph(data, uri="http://localhost:5000/dataset/netz")
    report = Validator().validate(graph)
    return [r.message_en for r in report.results if r.message_en.startswith("HVD")]


def test_demo_marks_one_hvd_dataset_per_category_the_city_has() -> None:
    graphs = demo_hvd_graphs()
    categories = {
        top_category(str(category))
        for graph in graphs
        for node in hvd_dataset_nodes(graph)
        for category in graph.objects(node, URIRef("http://data.europa.eu/r5r/hvdCategory"))
    }
    assert {GEOSPATIAL, ENVIRONMENT, STATISTICS, MOBILITY} <= categories


@requires_hvd_shapes
def test_semic_hvd_shapes_find_no_violation_in_the_demo_hvd_datasets() -> None:
    graphs = demo_hvd_graphs()
    assert len(graphs) >= 4
    assert judge_hvd(graphs) == []


def test_demo_hvd_datasets_meet_the_regulation_checks_too() -> None:
    for graph in demo_hvd_graphs():
        report = Validator().validate(graph)
        assert [r.message_en for r in report.results if r.message_en.startswith("HVD")] == []


def test_dataset_without_api_or_bulk_download_is_reported() -> None:
    only_a_page = DistributionInput(
        access_url="https://daten.musterstadt.example/netz.html",
        license="http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    )
    found = hvd_findings(hvd_dataset(distributions=(only_a_page,)))
    assert any("API" in message and "bulk download" in message for message in found)


def test_licence_less_open_than_cc_by_4_is_reported() -> None:
    share_alike = DistributionInput(
        access_url="https://daten.musterstadt.example/netz.csv",
        download_url="https://daten.musterstadt.example/netz.csv",
        license="http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
    )
    found = hvd_findings(hvd_dataset(distributions=(share_alike,)))
    assert any("not at least as open as CC BY 4.0" in message for message in found)


def test_regulation_findings_are_warnings_in_both_languages() -> None:
    graph, _ = build_dataset_graph(hvd_dataset(contact=None), uri="http://localhost/dataset/n")
    report = Validator().validate(graph)
    regulation = [r for r in report.results if r.source_shape == HVD_REGULATION_CHECK]
    assert [r.path for r in regulation] == ["http://www.w3.org/ns/dcat#contactPoint"]
    assert regulation[0].severity is Severity.WARNING
    assert regulation[0].message_de.startswith("HVD: Es fehlt ein Kontakt")


def test_a_complete_hvd_dataset_has_no_hvd_finding() -> None:
    assert hvd_findings(hvd_dataset()) == []


@requires_hvd_shapes
def test_distribution_without_the_regulation_is_a_violation_of_the_hvd_shapes() -> None:
    graph, node = build_dataset_graph(hvd_dataset(), uri="http://localhost/dataset/n")
    for distribution in graph.objects(node, URIRef("http://www.w3.org/ns/dcat#distribution")):
        graph.remove((distribution, APPLICABLE_LEGISLATION, None))
    assert any("applicableLegislation" in v for v in judge_hvd([graph]))
    report = Validator().validate(graph)
    assert not report.conforms
    assert any(r.path == str(APPLICABLE_LEGISLATION) for r in report.violations)


def test_ckan_api_round_trip_keeps_the_hvd_marking() -> None:
    package = {
        "name": "verkehrsnetz",
        "title": "Verkehrsnetz",
        "notes": "Straßenabschnitte",
        "license_id": "dl-by-de/2.0",
        "hvd_category": ["c_4b74ea13"],  # a code, as some portals store it
        "extras": [{"key": "contact_email", "value": "verkehr@musterstadt.example"}],
        "resources": [
            {
                "url": "https://daten.musterstadt.example/api/netz",
                "name": "API",
                "format": "JSON",
                "access_services": [
                    {
                        "title": "Netz-API",
                        "endpoint_url": ["https://daten.musterstadt.example/api/netz"],
                        "documentation": ["https://daten.musterstadt.example/api/doku"],
                    }
                ],
            }
        ],
    }
    graph, node = dataset_graph_from_ckan(package)
    shown = ckan_package_from_view(dataset_view(graph, node), name="verkehrsnetz")
    assert shown["hvd_category"] == [BNA + "c_4b74ea13"]
    assert shown["applicable_legislation"] == [HVD_LEGISLATION]
    resource = shown["resources"][0]
    assert resource["applicable_legislation"] == [HVD_LEGISLATION]
    assert resource["access_services"][0]["endpoint_url"] == [
        "https://daten.musterstadt.example/api/netz"
    ]
    again = dataset_input_from_ckan(shown)
    rebuilt, _ = build_dataset_graph(again)
    assert set(rebuilt.objects(None, APPLICABLE_LEGISLATION)) == {URIRef(HVD_LEGISLATION)}
    assert hvd_findings(again) == []


def test_hvd_flags_name_the_top_category_too() -> None:
    assert hvd_flags([BNA + "c_4b74ea13"]) == ("hvd", MOBILITY, BNA + "c_4b74ea13")


def test_ckan_fq_hvd_category_filters_on_the_flag() -> None:
    from web.ckan.query import parse_fq, search_condition

    condition = search_condition(parse_fq("hvd_category:c_b79e35eb"))
    assert condition.field == "flag"  # type: ignore[union-attr]
    assert condition.value == MOBILITY  # type: ignore[union-attr]


def test_the_vocabulary_is_the_publications_office_table_with_all_three_levels() -> None:
    from dcat.hvd import HVD_CATEGORIES, ancestors, top_categories

    assert len(HVD_CATEGORIES) == 96
    assert [HVD_CATEGORIES.label(iri, "de") for iri in top_categories()] == [
        "Georaum",
        "Erdbeobachtung und Umwelt",
        "Meteorologie",
        "Statistik",
        "Unternehmen und Eigentümerschaft von Unternehmen",
        "Mobilität",
    ]
    # Official labels, where the hand-typed list had paraphrased them.
    assert HVD_CATEGORIES.label(BNA + "c_23385471", "en") == "Potential labour force"
    assert HVD_CATEGORIES.label(BNA + "c_be47b010", "en") == "Weather alerts"
    # A third-level inland-waterway concept: under c_b151a0ba, under mobility.
    assert ancestors(BNA + "c_bc8941d9") == (BNA + "c_b151a0ba", MOBILITY)
    assert HVD_CATEGORIES.label(BNA + "c_bc8941d9", "de") == "Uferbefestigung"
    for concept in HVD_CATEGORIES:
        assert top_category(concept.iri) in top_categories()


def test_hvd_flags_of_a_third_level_category_name_every_level() -> None:
    waterways, bank = BNA + "c_b151a0ba", BNA + "c_bc8941d9"
    assert hvd_flags([bank]) == ("hvd", MOBILITY, waterways, bank)
