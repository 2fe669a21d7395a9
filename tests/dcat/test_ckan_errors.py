"""SHACL findings named as the CKAN fields they come from (dcat.ckan.errors)."""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from dcat.ckan.errors import GENERAL_KEY, ckan_field_errors
from dcat.ckan.parse import dataset_graph_from_ckan
from dcat.namespaces import DCAT, DCT
from dcat.validation import Severity, ValidationResult, Validator

PACKAGE: dict[str, Any] = {
    "name": "baeume",
    "title": "Straßenbäume",
    "notes": "Alle Straßenbäume.",
    "license_id": "dl-by-de/2.0",
    "resources": [
        {"id": "r-1", "url": "https://daten.example/baeume.csv", "format": "CSV"},
        {"id": "r-2", "url": "https://daten.example/baeume.json", "format": "JSON"},
    ],
}


def _errors(package: dict[str, Any], change: Any = None) -> dict[str, Any]:
    graph, node = dataset_graph_from_ckan(package)
    if change is not None:
        change(graph, node)
    report = Validator().validate(graph)
    return ckan_field_errors(report.violations, graph, node, package["resources"])


def _distribution(graph: Any, node: Any, identifier: str) -> Any:
    return next(
        d
        for d in graph.objects(node, DCAT.distribution)
        if (d, DCT.identifier, Literal(identifier)) in graph
    )


def test_a_missing_description_is_named_notes_in_both_languages() -> None:
    errors = _errors({**PACKAGE, "notes": ""})
    assert list(errors) == ["notes"]
    [message] = errors["notes"]
    assert "Beschreibung" in message and "description" in message and " / " in message


def test_a_publisher_finding_names_the_publisher_field() -> None:
    package = {
        **PACKAGE,
        "publisher_name": "Umweltamt",
        "publisher_type": "http://purl.org/adms/publishertype/Erfunden",
    }
    assert list(_errors(package)) == ["publisher_type"]


def test_a_distribution_finding_names_its_resource_position_and_field() -> None:
    def break_second(graph: Any, node: Any) -> None:
        second = _distribution(graph, node, "r-2")
        graph.remove((second, DCAT.accessURL, None))
        graph.add((second, DCT.format, URIRef("https://formats.example/erfunden")))

    errors = _errors(PACKAGE, break_second)
    assert set(errors) == {"resources"}
    first, second = errors["resources"]
    assert first == {}
    assert set(second) == {"url", "format"}
    assert "dcat:accessURL" in second["url"][0]


def test_a_licence_from_the_package_is_named_license_id() -> None:
    def second_licence(graph: Any, node: Any) -> None:
        first = _distribution(graph, node, "r-1")
        graph.add((first, DCT.license, URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")))

    errors = _errors(PACKAGE, second_licence)
    assert set(errors) == {"license_id"}  # dct:license once: the package gave the licence


def test_findings_that_cannot_be_placed_go_under_the_general_key() -> None:
    graph, node = dataset_graph_from_ckan(PACKAGE)
    strays = [
        ValidationResult(
            Severity.VIOLATION, str(node), "http://example.org/erfunden", None, "de", "en", None
        ),
        ValidationResult(
            Severity.VIOLATION, "https://elsewhere.example/x", str(DCT.title), None, "d", "e", None
        ),
        ValidationResult(
            Severity.VIOLATION, str(node), f"{DCT.title}|{DCT.alternative}", None, "d2", "e2", None
        ),
    ]
    assert ckan_field_errors(strays, graph, node) == {GENERAL_KEY: ["de / en", "d / e", "d2 / e2"]}


def test_a_distribution_without_known_position_goes_under_the_general_key() -> None:
    graph, node = dataset_graph_from_ckan(PACKAGE)
    second = _distribution(graph, node, "r-2")
    graph.remove((second, DCAT.accessURL, None))
    report = Validator().validate(graph)
    errors = ckan_field_errors(report.violations, graph, node)  # no resources given
    assert list(errors) == [GENERAL_KEY]
