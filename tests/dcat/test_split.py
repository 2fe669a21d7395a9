"""Splitting catalogs into one graph per dataset, checked on every official example and fixture."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef

import dcat.namespaces as ns
from dcat.parsing import RDFParseError, parse_rdf, parse_rdf_file
from dcat.split import (
    IDENTITY_HASH_PREFIX,
    dataset_identity,
    dataset_nodes,
    split_catalog_into_datasets,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "dcat"
SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()
MELODIES_CONTEXT = "https://ec-melodies.github.io/wp02-dcat/context.jsonld"
REFUSED = "refused"

# Datasets per file, counted once with SPARQL over the parsed file:
#   SELECT (COUNT(DISTINCT ?d) AS ?n)
#   WHERE { { ?d a dcat:Dataset } UNION { ?c dcat:dataset ?d . ?d ?p ?o } }
# cross-checked against the files themselves (e.g. 153 dataset elements in Bremen, 100 dataset
# URIs in Rostock, 20 "@type": "Dataset" in the MELODIES feed). "refused": the file must not
# parse (a syntax error, or a remote JSON-LD context we have no local copy of).
DATASETS_PER_FILE: dict[str, int | str] = {
    "dcat-ap-de/examples/v2.0/dcat_ap_de-RefImp_TTL_ADVANCED.ttl": 2,
    "dcat-ap-de/examples/v2.0/dcat_ap_de-RefImp_TTL_SIMPLE.ttl": 1,
    "dcat-ap-de/examples/v2.0/ex-23-dataservice.rdf": 1,
    "fixtures/dcat/ckanext-dcat/catalog.rdf": 2,
    "fixtures/dcat/ckanext-dcat/catalog_datasets_list.rdf": 2,
    "fixtures/dcat/ckanext-dcat/catalog_pod.jsonld": 1,
    "fixtures/dcat/ckanext-dcat/catalog_with_at_graph.jsonld": 1,
    "fixtures/dcat/ckanext-dcat/dataset.rdf": 1,
    "fixtures/dcat/ckanext-dcat/dataset.ttl": REFUSED,  # healthdcatap: prefix never declared
    "fixtures/dcat/ckanext-dcat/dataset_afs.ttl": 1,
    "fixtures/dcat/ckanext-dcat/dataset_deri.ttl": 1,
    "fixtures/dcat/ckanext-dcat/dataset_gob_es.ttl": 1,
    "fixtures/dcat/ckanext-dcat/dataset_gov_de.rdf": 1,
    "fixtures/dcat/ckanext-dcat/dataset_multilingual.ttl": 1,
    "fixtures/dcat/ckanext-dcat/dataset_sweden.rdf": 1,
    "fixtures/dcat/ckanext-dcatde/catalog-endpoint.rdf": 6,
    "fixtures/dcat/ckanext-dcatde/metadata_max.rdf": 1,
    "fixtures/dcat/ckanext-dcatde/metadata_max_1_0.rdf": 1,
    "fixtures/dcat/ckanext-dcatde/metadata_max_1_0_1.rdf": 1,
    "fixtures/dcat/ckanext-dcatde/metadata_max_multi_namespaces.rdf": 1,
    "fixtures/dcat/ckanext-dcatde/metadata_max_only_valid_uris.rdf": 1,
    "fixtures/dcat/melodies-geodcat/context.jsonld": 0,  # a context, no data
    "fixtures/dcat/melodies-geodcat/feed.jsonld": 20,  # with its context given as known
    "fixtures/dcat/opendata-swiss/1894.xml": 1,
    "fixtures/dcat/opendata-swiss/1901.xml": 1,
    "fixtures/dcat/opendata-swiss/catalog-datetimes.xml": 4,
    "fixtures/dcat/opendata-swiss/catalog-themes.xml": 5,
    "fixtures/dcat/opendata-swiss/catalog.xml": 2,
    "fixtures/dcat/opendata-swiss/conformant/dataset-landing-page.xml": 1,
    "fixtures/dcat/opendata-swiss/conformant/dataset-language.xml": 1,
    "fixtures/dcat/opendata-swiss/conformant/dataset-publisher.xml": 1,
    "fixtures/dcat/opendata-swiss/dataset-datetimes-bad.xml": 1,
    "fixtures/dcat/opendata-swiss/dataset-datetimes.xml": 1,
    "fixtures/dcat/opendata-swiss/dataset-media-types.xml": 1,
    "fixtures/dcat/opendata-swiss/dataset-multiple-rights.xml": 1,
    "fixtures/dcat/opendata-swiss/dataset-rights.xml": 1,
    "fixtures/dcat/opendata-swiss/dataset-test-uri.json": 0,  # CKAN JSON, no JSON-LD terms
    "fixtures/dcat/opendata-swiss/dataset.json": 0,  # CKAN JSON, no JSON-LD terms
    "fixtures/dcat/opendata-swiss/deprecated/dataset-landing-page.xml": 1,
    "fixtures/dcat/opendata-swiss/deprecated/dataset-language.xml": 1,
    "fixtures/dcat/opendata-swiss/deprecated/dataset-publisher.xml": 1,
    "fixtures/dcat/portals/bremen-catalog.rdf": 153,
    "fixtures/dcat/portals/rostock-catalog-page1.rdf": 100,
    "fixtures/dcat/udata/bnodes.jsonld": 3,
    "fixtures/dcat/udata/bnodes.xml": 3,
    "fixtures/dcat/udata/catalog.xml": 4,
    "fixtures/dcat/udata/datara--5a26b0f6-0ccf-46ad-ac58-734054b91977.rdf.xml": 1,
    "fixtures/dcat/udata/datara--f40c3860-7236-4b30-a141-23b8ae33f7b2.rdf.xml": 1,
    "fixtures/dcat/udata/evian.json": REFUSED,  # remote project-open-data context
    "fixtures/dcat/udata/flat.jsonld": 3,
    "fixtures/dcat/udata/geonetwork.xml": 1,
    "fixtures/dcat/udata/nested.jsonld": 1,
    "fixtures/dcat/udata/paged-collection-1.jsonld": 3,  # links 4; one is described on page 2
    "fixtures/dcat/udata/paged-collection-2.jsonld": 1,
    "fixtures/dcat/udata/partial-collection-1.jsonld": 3,
    "fixtures/dcat/udata/partial-collection-2.jsonld": 1,
    "fixtures/dcat/udata/series.xml": 1,
    "fixtures/dcat/udata/sig.oreme.rdf": 1,
    "fixtures/dcat/udata/udata.xml": 2,
}

# Four blank-node datasets that all carry the same dct:identifier: identity collides, honestly;
# the harvester reports it as a duplicate.
SAME_IDENTIFIER_FILES = {"fixtures/dcat/opendata-swiss/catalog-datetimes.xml"}


def _shared_files() -> set[str]:
    examples = (SHARED / "dcat-ap-de/examples/v2.0").glob("*")
    fixtures = (SHARED / "fixtures/dcat").rglob("*")
    return {
        str(path.relative_to(SHARED))
        for path in [*examples, *fixtures]
        if path.is_file() and path.suffix != ".txt"
    }


def _parse_shared(relative: str) -> Graph:
    known = {}
    if relative.endswith("melodies-geodcat/feed.jsonld"):
        context = SHARED / "fixtures/dcat/melodies-geodcat/context.jsonld"
        known[MELODIES_CONTEXT] = json.loads(context.read_text())
    base = "https://harvest.example.de/"
    return parse_rdf_file(SHARED / relative, base=base, known_contexts=known)


def test_count_table_covers_every_official_example_and_real_catalog() -> None:
    assert set(DATASETS_PER_FILE) == _shared_files()


@pytest.fixture(autouse=True)
def _quiet_rdflib_literal_warnings() -> None:
    # Real files carry dates like "1996-03" typed xsd:date; rdflib logs each one.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@pytest.mark.parametrize(("relative", "expected"), sorted(DATASETS_PER_FILE.items()))
def test_split_yields_one_graph_per_dataset(relative: str, expected: int | str) -> None:
    if expected == REFUSED:
        with pytest.raises(RDFParseError):
            _parse_shared(relative)
        return
    graph = _parse_shared(relative)
    parts = list(split_catalog_into_datasets(graph))
    assert len(parts) == expected
    identities = {part.identity for part in parts}
    assert len(identities) == (1 if relative in SAME_IDENTIFIER_FILES else expected)
    _assert_split_is_complete_and_separate(graph, parts)


def _assert_split_is_complete_and_separate(graph: Graph, parts: list) -> None:
    datasets = {part.node for part in parts}
    union = Graph()
    for part in parts:
        for triple in part.graph:
            union.add(triple)
    for node in datasets:
        # Every triple about a dataset is in the union (blank-node datasets compared by count,
        # since their own triples carry the same blank node objects).
        own = set(graph.triples((node, None, None)))
        assert own <= set(union.triples((node, None, None)))
    for part in parts:
        assert (part.node, None, None) in part.graph
        for other in datasets - {part.node}:
            assert (other, ns.DCT.title, None) not in part.graph
            assert (other, None, None) not in part.graph


@pytest.fixture
def shared_nodes_parts() -> dict[str, object]:
    graph = parse_rdf_file(DATA / "io_shared_nodes.ttl")
    parts = {}
    for part in split_catalog_into_datasets(graph):
        titles = [str(t) for t in part.graph.objects(part.node, ns.DCT.title)]
        parts[titles[0]] = part
    return parts


def test_sub_catalog_datasets_are_split_too(shared_nodes_parts: dict) -> None:
    expected = {"Baumkataster", "Parkplätze", "Lärmkarte 2024", "Pegelstände"}
    assert set(shared_nodes_parts) == expected


def test_shared_publisher_and_distribution_are_copied_into_each_dataset(
    shared_nodes_parts: dict,
) -> None:
    office = URIRef("https://daten.example.de/gruenamt")
    shared_map = URIRef("https://daten.example.de/gemeinsame-karte")
    service = URIRef("https://daten.example.de/kartendienst")
    for title in ("Baumkataster", "Parkplätze"):
        graph = shared_nodes_parts[title].graph
        assert (office, ns.FOAF.name, None) in graph
        assert (shared_map, ns.DCAT.accessURL, None) in graph
        assert (service, ns.DCAT.endpointURL, None) in graph


def test_blank_nodes_and_catalog_record_belong_to_their_dataset(shared_nodes_parts: dict) -> None:
    trees = shared_nodes_parts["Baumkataster"]
    contact = trees.graph.value(trees.node, ns.DCAT.contactPoint)
    assert isinstance(contact, BNode)
    assert (contact, ns.VCARD.hasEmail, None) in trees.graph
    period = trees.graph.value(trees.node, ns.DCT.temporal)
    assert (period, ns.DCAT.startDate, None) in trees.graph
    assert (None, ns.FOAF.primaryTopic, trees.node) in trees.graph
    assert (None, ns.FOAF.primaryTopic, None) not in shared_nodes_parts["Parkplätze"].graph


def test_catalog_and_linked_datasets_stay_outside(shared_nodes_parts: dict) -> None:
    trees = shared_nodes_parts["Baumkataster"].graph
    parking = URIRef("https://daten.example.de/parkplaetze")
    catalog = URIRef("https://daten.example.de/katalog")
    assert (None, ns.DCT.relation, parking) in trees  # the link stays
    assert (parking, None, None) not in trees  # the other dataset's description does not
    assert (catalog, None, None) not in trees
    assert (URIRef("https://daten.example.de/stadt"), None, None) not in trees


def test_identity_is_iri_then_identifier_then_content_hash(shared_nodes_parts: dict) -> None:
    assert shared_nodes_parts["Baumkataster"].identity == "https://daten.example.de/baeume"
    assert shared_nodes_parts["Baumkataster"].uri == URIRef("https://daten.example.de/baeume")
    assert shared_nodes_parts["Lärmkarte 2024"].identity == "laerm-2024"
    assert shared_nodes_parts["Lärmkarte 2024"].uri is None
    assert shared_nodes_parts["Pegelstände"].identity.startswith(IDENTITY_HASH_PREFIX)


def test_content_hash_identity_survives_reparsing_with_new_blank_nodes() -> None:
    identities = []
    for _ in range(2):
        graph = parse_rdf_file(DATA / "io_shared_nodes.ttl")
        node = next(
            n
            for n in dataset_nodes(graph)
            if (n, ns.DCT.title, None) in graph
            and str(graph.value(n, ns.DCT.title)) == "Pegelstände"
        )
        identities.append(dataset_identity(graph, node))
    assert identities[0] == identities[1]
    assert identities[0].startswith(IDENTITY_HASH_PREFIX)


def test_untyped_dataset_linked_from_a_catalog_is_split() -> None:
    data = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
    @prefix dct: <http://purl.org/dc/terms/> .
    <http://k> a dcat:Catalog ; dcat:dataset <http://d> .
    <http://d> dct:title "Ohne Typ" ."""
    parts = list(split_catalog_into_datasets(parse_rdf(data, content_type="text/turtle")))
    assert [part.identity for part in parts] == ["http://d"]
