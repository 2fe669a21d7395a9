"""The MQA quality score: every indicator on real catalogs, the official DCAT-AP.de examples
summed by hand, link-check results, ratings, and what the score keeps for re-scoring."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCT, RDF
from dcat.quality import (
    DIMENSIONS,
    INDICATORS,
    MAX_POINTS,
    IndicatorState,
    LinkOutcome,
    QualityFacts,
    QualityScore,
    quality_facts,
    rating_for,
    score_dataset,
    score_facts,
)
from dcat.quality.formats import ACCESS_RIGHTS
from dcat.quality.indicators import dimension_maximum
from dcat.vocabularies import LICENSES

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "dcat-ap-de" / "examples"
CATALOGS = {
    "potsdam": (REAL / "de-city-potsdam-ods-dcat" / "potsdam.ttl", "turtle"),
    "govdata": (REAL / "de-govdata-ckanext-dcatde-dcat" / "catalog-endpoint.rdf", "xml"),
    "schleswig-holstein": (REAL / "de-state-schleswig-holstein-ckan-dcat" / "catalog.xml", "xml"),
    "opendata-swiss": (REAL / "ch-opendata-swiss-dcat" / "catalog.xml", "xml"),
    "brandenburg": (REAL / "de-state-brandenburg-datenadler-dcat" / "first_1000.ttl", "turtle"),
}
NOW = datetime(2026, 12, 1, tzinfo=UTC)
OK = LinkOutcome(status=200, ok=True, checked_at=NOW)
GONE = LinkOutcome(status=404, ok=False, checked_at=NOW)
DATASET_LEVEL = {
    "keywords": DCAT.keyword,
    "categories": DCAT.theme,
    "spatial": DCT.spatial,
    "temporal": DCT.temporal,
    "access_rights": DCT.accessRights,
    "contact_point": DCAT.contactPoint,
    "publisher": DCT.publisher,
    "issued": DCT.issued,
    "modified": DCT.modified,
}
DISTRIBUTION_SHARE = {
    "download_url": DCAT.downloadURL,
    "licence": DCT.license,
    "rights": DCT.rights,
    "byte_size": DCAT.byteSize,
}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[Graph, Node]]:
    """Every dataset of five real catalogs (146 datasets), each with its catalog's graph."""
    found = []
    for path, rdf_format in CATALOGS.values():
        graph = Graph().parse(path, format=rdf_format)
        found += [(graph, node) for node in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str)]
    assert len(found) == 146
    return found


def _distributions(graph: Graph, dataset: Node) -> list[Node]:
    return list(set(graph.objects(dataset, DCAT.distribution)))


@pytest.mark.parametrize("key", sorted(DATASET_LEVEL))
def test_a_dataset_indicator_earns_its_weight_exactly_when_the_dataset_states_it(
    corpus: list[tuple[Graph, Node]], key: str
) -> None:
    weight = next(i.weight for i in INDICATORS if i.key == key)
    earned = []
    for graph, dataset in corpus:
        stated = graph.value(dataset, DATASET_LEVEL[key]) is not None
        result = score_dataset(graph, dataset, {}, compliant=True).result(key)
        assert result.points == (weight if stated else 0), (key, dataset)
        earned.append(result.points)
    # Some real record earns nothing here and some the maximum, except where the five real
    # catalogs all agree: every one names a publisher (mandatory), none states access rights.
    assert (0 in earned) or key == "publisher"
    assert (weight in earned) or key == "access_rights"


@pytest.mark.parametrize("key", sorted(DISTRIBUTION_SHARE))
def test_a_distribution_indicator_earns_the_share_of_distributions_that_state_it(
    corpus: list[tuple[Graph, Node]], key: str
) -> None:
    weight = next(i.weight for i in INDICATORS if i.key == key)
    earned = set()
    for graph, dataset in corpus:
        distributions = _distributions(graph, dataset)
        stating = [d for d in distributions if graph.value(d, DISTRIBUTION_SHARE[key]) is not None]
        result = score_dataset(graph, dataset, {}, compliant=True).result(key)
        expected = weight * len(stating) / len(distributions) if distributions else 0
        assert result.points == pytest.approx(expected, abs=1e-4), (key, dataset)
        assert (result.met, result.population) == (len(stating), len(distributions))
        earned.add(result.points)
    assert 0 in earned
    if key != "rights":  # dct:rights on a distribution: none of the five catalogs writes it
        assert weight in earned


def test_the_licence_vocabulary_counts_only_dcat_ap_de_licence_iris(
    corpus: list[tuple[Graph, Node]],
) -> None:
    for graph, dataset in corpus:
        distributions = _distributions(graph, dataset)
        known = [
            d
            for d in distributions
            if any(str(licence) in LICENSES for licence in graph.objects(d, DCT.license))
        ]
        result = score_dataset(graph, dataset, {}, compliant=True).result("licence_vocabulary")
        assert result.met == len(known)
    # Swiss and Italian-style licence IRIs are outside the dcat-ap.de list.
    points = [
        score_dataset(g, d, {}, compliant=True).result("licence_vocabulary").points
        for g, d in corpus
    ]
    assert 0 in points and 10 in points


def test_interoperability_counts_the_best_distribution_only() -> None:
    """GovData's ckanext-dcatde example: its datasets' formats are words, not EU IRIs; the
    Potsdam export writes EU IRIs: CSV there earns format, open and machine-readable."""
    graph = Graph().parse(CATALOGS["potsdam"][0], format="turtle")
    scores = [
        score_dataset(graph, node, {}, compliant=True)
        for node in graph.subjects(RDF.type, DCAT.Dataset)
    ]
    assert {s.result("format").points for s in scores} == {20}
    assert {s.result("media_type").points for s in scores} == {10}
    # Potsdam's media types are literals like "text/csv", not IANA IRIs: no vocabulary points.
    assert all(s.result("format_vocabulary").met <= 1 for s in scores)
    govdata = Graph().parse(CATALOGS["govdata"][0], format="xml")
    for node in govdata.subjects(RDF.type, DCAT.Dataset):
        result = score_dataset(govdata, node, {}, compliant=True)
        assert result.result("machine_readable").points == 0
        assert result.result("non_proprietary").points == 0


def test_reachability_uses_link_check_results_and_never_guesses() -> None:
    graph = Graph().parse(EXAMPLES / "v2.0" / "dcat_ap_de-RefImp_TTL_ADVANCED.ttl")
    dataset = URIRef("https://example.com/dataset/d4ce4e6e-ab89-44cb-bf5c-33a162c234de#dataset")
    csv_access = "https://example.com/resource/de72be51-7910-43ad-9dfc-10797b42cc0b"
    xml_access = "https://example.com/resource/a289c289-55c9-410f-b4c7-f88e5f6f4e47"

    unchecked = score_dataset(graph, dataset, {}, compliant=True).result("access_url_reachable")
    assert (unchecked.points, unchecked.state, unchecked.unchecked) == (
        0,
        IndicatorState.NOT_CHECKED,
        2,
    )
    mixed = score_dataset(
        graph, dataset, {csv_access: OK, xml_access: GONE}, compliant=True
    ).result("access_url_reachable")
    assert (mixed.points, mixed.met, mixed.broken, mixed.unchecked) == (25, 1, 1, 0)
    assert mixed.state == IndicatorState.PARTIAL
    both = score_dataset(graph, dataset, {csv_access: OK, xml_access: OK}, compliant=True)
    assert both.result("access_url_reachable").state == IndicatorState.MET


def test_the_official_examples_total_what_is_summed_by_hand() -> None:
    """The DCAT-AP.de 2.0 reference examples, indicator by indicator (they conform to the
    official shapes, so DCAT-AP compliance earns its 30 points)."""
    simple = Graph().parse(EXAMPLES / "v2.0" / "dcat_ap_de-RefImp_TTL_SIMPLE.ttl")
    node = URIRef("https://example.com/dataset/d4ce4e6e-ab89-44cb-bf5c-33a162c234de#dataset")
    # One distribution: downloadURL 20, licence 20, dcat-ap.de licence 10; the dataset:
    # contact point 20; compliance 30. No keywords, themes, format, publisher or dates.
    assert score_dataset(simple, node, {}, compliant=True).points == 20 + 20 + 10 + 20 + 30

    advanced = Graph().parse(EXAMPLES / "v2.0" / "dcat_ap_de-RefImp_TTL_ADVANCED.ttl")
    outcomes = {
        # The CSV distribution answers at both addresses; the XML one's access URL is gone
        # and its download URL was never checked.
        "https://example.com/resource/de72be51-7910-43ad-9dfc-10797b42cc0b": OK,
        "http://example.com/badegewaesser/Badegewaesser_messwerte_historisch_HH_2004-2013.zip": OK,
        "https://example.com/resource/a289c289-55c9-410f-b4c7-f88e5f6f4e47": GONE,
    }
    bathing = score_dataset(advanced, node, outcomes, compliant=True)
    findability = 30 + 30  # keywords, theme; the dct:spatial is the catalog's, not the dataset's
    accessibility = 50 / 2 + 20 + 30 / 2  # 1 of 2 reachable; both with downloadURL; 1 of 2
    # Best distribution (CSV or XML alike): format 20, EU file type but no media type 10/2,
    # open 20, machine-readable 20; plus compliance 30.
    interoperability = 20 + 10 / 2 + 20 + 20 + 30
    reusability = 20 + 10 + 20 + 10  # licences, dcat-ap.de licences, contact, publisher
    contextuality = 5  # both distributions give dcat:byteSize; no rights, no dataset dates
    hand = findability + accessibility + interoperability + reusability + contextuality
    assert hand == 280
    assert bathing.points == hand
    assert bathing.rating == "good"

    police = URIRef("https://example.com/dataset/68180d85-df56-48e0-993e-b9da36103a72#dataset")
    # GML: format 20, from the EU list 10/2, machine-readable 20, but not on the MQA's
    # non-proprietary list; one distribution with downloadURL 20, byte size 5.
    hand = (30 + 30) + 20 + (20 + 5 + 20 + 30) + (20 + 10 + 20 + 10) + 5
    assert hand == 220
    assert score_dataset(advanced, police, {}, compliant=True).points == hand
    assert score_dataset(advanced, police, {}, compliant=True).rating == "sufficient"


def test_a_record_with_everything_earns_the_maximum_and_an_empty_one_nothing() -> None:
    graph = Graph().parse(EXAMPLES / "v2.0" / "dcat_ap_de-RefImp_TTL_ADVANCED.ttl")
    node = URIRef("https://example.com/dataset/68180d85-df56-48e0-993e-b9da36103a72#dataset")
    period = BNode()
    graph.add((node, DCT.spatial, URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/02")))
    graph.add((node, DCT.temporal, period))
    graph.add((node, DCT.accessRights, URIRef(sorted(ACCESS_RIGHTS)[0])))
    graph.add((node, DCT.issued, Literal("2018-07-27")))
    graph.add((node, DCT.modified, Literal("2018-09-04")))
    (distribution,) = graph.objects(node, DCAT.distribution)
    graph.set((distribution, DCT["format"], URIRef(FILE_TYPE_CSV)))
    graph.add((distribution, DCAT.mediaType, URIRef(IANA_CSV)))
    graph.add((distribution, DCT.rights, Literal("Namensnennung: Freie und Hansestadt Hamburg")))
    facts = quality_facts(graph, node)
    outcomes = {url: OK for url in facts.urls}
    best = score_facts(facts, outcomes, compliant=True)
    assert best.points == MAX_POINTS == 405
    assert best.rating == "excellent"

    empty = Graph()
    bare = URIRef("https://example.com/dataset/bare")
    empty.add((bare, RDF.type, DCAT.Dataset))
    nothing = score_dataset(empty, bare, {}, compliant=False)
    assert nothing.points == 0
    assert nothing.rating == "bad"
    assert score_dataset(empty, bare, {}, compliant=None).result("dcat_ap_compliance").points == 0


FILE_TYPE_CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"
IANA_CSV = "https://www.iana.org/assignments/media-types/text/csv"


def test_the_weights_and_ratings_are_the_methodologys() -> None:
    assert MAX_POINTS == 405
    assert [dimension_maximum(d) for d in DIMENSIONS] == [100, 100, 110, 75, 20]
    assert [rating_for(p) for p in (405, 351, 350.9, 221, 220.9, 121, 120.9, 0)] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "sufficient",
        "sufficient",
        "bad",
        "bad",
    ]


def test_facts_and_scores_survive_their_json_form(corpus: list[tuple[Graph, Node]]) -> None:
    for graph, dataset in corpus[:20]:
        facts = quality_facts(graph, dataset)
        assert QualityFacts.from_json(facts.to_json()) == facts
        score = score_facts(facts, {url: GONE for url in facts.urls}, compliant=True)
        assert QualityScore.from_json(score.to_json()) == score
