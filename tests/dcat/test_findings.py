"""Placing findings in a dataset (dcat.findings): the dataset, a distribution, a linked node."""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, URIRef

from dcat.findings import Part, Placement, place_finding
from dcat.namespaces import DCAT, DCT, FOAF, VCARD
from dcat.validation import Severity, ValidationResult, Validator

DATASET = URIRef("https://daten.example/dataset/baeume")
PUBLISHER = URIRef("https://daten.example/org/umweltamt")
FIRST, SECOND = BNode("verteilung1"), BNode("verteilung2")
CONTACT = BNode("kontakt")


def _graph() -> Graph:
    graph = Graph()
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    graph.add((DATASET, DCT.title, Literal("Straßenbäume", lang="de")))
    graph.add((DATASET, DCT.publisher, PUBLISHER))
    graph.add((PUBLISHER, FOAF.name, Literal("Umweltamt")))
    graph.add((DATASET, DCAT.contactPoint, CONTACT))
    graph.add((CONTACT, VCARD.hasEmail, URIRef("mailto:umwelt@daten.example")))
    for node, url in ((FIRST, "https://daten.example/a.csv"), (SECOND, "https://daten.example/b")):
        graph.add((DATASET, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCAT.accessURL, URIRef(url)))
    return graph


def _finding(focus: str, path: str | None, value: str | None = None) -> ValidationResult:
    return ValidationResult(Severity.VIOLATION, focus, path, value, "de", "en", None)


def test_a_finding_on_the_dataset_names_its_property() -> None:
    place = place_finding(_finding(str(DATASET), str(DCT.description)), _graph(), DATASET)
    assert place == Placement(Part.DATASET, DCT.description)


def test_a_path_expression_is_placed_without_a_property() -> None:
    path = f"{DCT.title}|{DCT.alternative}"
    assert place_finding(_finding(str(DATASET), path), _graph(), DATASET) == Placement(
        Part.DATASET, None
    )


def test_a_blank_node_value_does_not_move_a_dataset_finding() -> None:
    finding = _finding(str(DATASET), str(DCAT.contactPoint), value=f"_:{CONTACT}")
    assert place_finding(finding, _graph(), DATASET) == Placement(Part.DATASET, DCAT.contactPoint)


def test_a_distribution_finding_gets_the_callers_position() -> None:
    finding = _finding(f"_:{SECOND}", str(DCT.format))
    place = place_finding(finding, _graph(), DATASET, {FIRST: 0, SECOND: 1})
    assert place == Placement(Part.DISTRIBUTION, DCT.format, SECOND, position=1)


def test_a_distribution_the_caller_does_not_order_has_no_position() -> None:
    place = place_finding(_finding(f"_:{FIRST}", str(DCAT.accessURL)), _graph(), DATASET)
    assert place == Placement(Part.DISTRIBUTION, DCAT.accessURL, FIRST, position=None)


def test_a_contact_point_finding_names_the_link_and_the_property_on_the_contact() -> None:
    place = place_finding(_finding(f"_:{CONTACT}", str(VCARD.hasEmail)), _graph(), DATASET)
    assert place == Placement(Part.LINKED, VCARD.hasEmail, CONTACT, link=DCAT.contactPoint)


def test_a_publisher_with_an_iri_is_a_linked_node_too() -> None:
    place = place_finding(_finding(str(PUBLISHER), str(FOAF.name)), _graph(), DATASET)
    assert place == Placement(Part.LINKED, FOAF.name, PUBLISHER, link=DCT.publisher)


def test_nodes_outside_the_dataset_are_placed_elsewhere() -> None:
    graph = _graph()
    unknown_blank = place_finding(_finding("_:fehlt", str(DCT.title)), graph, DATASET)
    unlinked_iri = place_finding(_finding("https://anderswo.example/x", None), graph, DATASET)
    assert unknown_blank == Placement(Part.ELSEWHERE, DCT.title)
    assert unlinked_iri == Placement(Part.ELSEWHERE, None, URIRef("https://anderswo.example/x"))


def test_a_real_report_on_a_distribution_is_placed_on_it() -> None:
    graph = _graph()
    graph.add((DATASET, DCT.description, Literal("Alle Straßenbäume.", lang="de")))
    graph.remove((SECOND, DCAT.accessURL, None))
    violations = Validator().validate(graph).violations
    places = [place_finding(v, graph, DATASET, {FIRST: 0, SECOND: 1}) for v in violations]
    missing_url = Placement(Part.DISTRIBUTION, DCAT.accessURL, SECOND, position=1)
    assert missing_url in places
