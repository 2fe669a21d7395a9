"""Serialisation round trips, our JSON-LD context, Hydra paging and streamed catalog dumps."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import dcat.namespaces as ns
from dcat.hashing import content_hash
from dcat.hydra import catalog_page_graph
from dcat.parsing import RDFParseError, guess_rdf_format, parse_rdf, parse_rdf_file
from dcat.serialise import (
    FORMAT_BY_EXTENSION,
    JSONLD_CONTEXT,
    MEDIA_TYPES,
    UnknownFormatError,
    catalog_document_chunks,
    known_contexts,
    serialise,
)
from dcat.split import split_catalog_into_datasets

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DATA = Path(__file__).resolve().parents[1] / "data" / "dcat"
ROUND_TRIP_FILES = [
    SHARED / "dcat-ap-de/examples/v2.0/dcat_ap_de-RefImp_TTL_ADVANCED.ttl",
    SHARED / "dcat-ap-de/examples/v2.0/ex-23-dataservice.rdf",
    SHARED / "fixtures/dcat/udata/bnodes.xml",
    SHARED / "fixtures/dcat/ckanext-dcat/dataset_multilingual.ttl",
    DATA / "io_shared_nodes.ttl",
]
FORMATS = ["ttl", "rdf", "jsonld", "nt"]
CATALOG = URIRef("https://daten.example.de/catalog")


@pytest.fixture(autouse=True)
def _quiet_rdflib_literal_warnings() -> None:
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ROUND_TRIP_FILES, ids=lambda path: path.name)
def test_serialised_graph_parses_back_isomorphic(path: Path, fmt: str) -> None:
    graph = parse_rdf_file(path, base="https://harvest.example.de/")
    data = serialise(graph, fmt)
    again = parse_rdf(data, content_type=MEDIA_TYPES[fmt])
    assert isomorphic(graph, again)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_recognised_as_its_own_format(fmt: str) -> None:
    data = serialise(parse_rdf_file(ROUND_TRIP_FILES[0]), fmt)
    assert guess_rdf_format(None, None, data) in ({fmt, "ttl"} if fmt == "nt" else {fmt})


def test_media_types_and_extensions_cover_the_four_formats() -> None:
    assert MEDIA_TYPES == {
        "ttl": "text/turtle",
        "rdf": "application/rdf+xml",
        "jsonld": "application/ld+json",
        "nt": "application/n-triples",
    }
    assert set(FORMAT_BY_EXTENSION.values()) == set(MEDIA_TYPES)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(UnknownFormatError):
        serialise(Graph(), "n3")


def test_broken_iris_from_real_portals_are_written_percent_encoded() -> None:
    graph = parse_rdf_file(SHARED / "fixtures/dcat/ckanext-dcatde/metadata_max.rdf")
    for fmt in FORMATS:
        again = parse_rdf(serialise(graph, fmt), content_type=MEDIA_TYPES[fmt])
        assert URIRef("tel:+49%2040%204%2028%2040%20-%203494") in set(again.objects())
        assert len(again) == len(graph)
        assert content_hash(again) == content_hash(graph)  # hashing uses the same escaping


def test_jsonld_context_file_declares_all_our_prefixes() -> None:
    assert JSONLD_CONTEXT["@context"] == {p: str(n) for p, n in ns.PREFIXES.items()}


def test_jsonld_embeds_our_context_and_is_compact() -> None:
    graph = parse_rdf_file(ROUND_TRIP_FILES[0])
    document = json.loads(serialise(graph, "jsonld"))
    assert isinstance(document["@context"], dict)
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert "dct:title" in json.dumps(document)  # compacted with our prefixes


def test_jsonld_with_context_url_reads_back_only_with_our_known_context() -> None:
    graph = parse_rdf_file(ROUND_TRIP_FILES[0])
    data = serialise(graph, "jsonld", context_url="https://daten.example.de/context.jsonld")
    assert json.loads(data)["@context"] == "https://daten.example.de/context.jsonld"
    with pytest.raises(RDFParseError):
        parse_rdf(data, content_type="application/ld+json")
    again = parse_rdf(
        data,
        content_type="application/ld+json",
        known_contexts=known_contexts("https://daten.example.de/"),
    )
    assert isomorphic(graph, again)


# --- Hydra -----------------------------------------------------------------------------------


def _page(legacy: bool, **overrides: object) -> Graph:
    arguments: dict = {
        "first": "https://daten.example.de/catalog.ttl?page=1",
        "next": "https://daten.example.de/catalog.ttl?page=3",
        "previous": "https://daten.example.de/catalog.ttl?page=1",
        "last": "https://daten.example.de/catalog.ttl?page=5",
        "total_items": 230,
        "items_per_page": 50,
        "legacy": legacy,
    }
    arguments.update(overrides)
    return catalog_page_graph(CATALOG, "https://daten.example.de/catalog.ttl?page=2", **arguments)


def test_partial_collection_view_links_pages_as_iris() -> None:
    graph = _page(legacy=False)
    page = URIRef("https://daten.example.de/catalog.ttl?page=2")
    H = ns.HYDRA
    assert (CATALOG, H.view, page) in graph
    assert (page, ns.RDF.type, H.PartialCollectionView) in graph
    assert (CATALOG, ns.RDF.type, H.Collection) in graph
    assert graph.value(page, H.first) == URIRef("https://daten.example.de/catalog.ttl?page=1")
    assert graph.value(page, H.next) == URIRef("https://daten.example.de/catalog.ttl?page=3")
    assert graph.value(page, H.previous) == URIRef("https://daten.example.de/catalog.ttl?page=1")
    assert graph.value(page, H.last) == URIRef("https://daten.example.de/catalog.ttl?page=5")
    assert graph.value(CATALOG, H.totalItems).toPython() == 230
    assert not any(isinstance(o, Literal) and "page=" in o for o in graph.objects())


def test_legacy_paged_collection_links_pages_as_iris() -> None:
    graph = _page(legacy=True)
    page = URIRef("https://daten.example.de/catalog.ttl?page=2")
    H = ns.HYDRA
    assert (page, ns.RDF.type, H.PagedCollection) in graph
    assert graph.value(page, H.firstPage) == URIRef("https://daten.example.de/catalog.ttl?page=1")
    assert graph.value(page, H.nextPage) == URIRef("https://daten.example.de/catalog.ttl?page=3")
    assert graph.value(page, H.previousPage) == URIRef(
        "https://daten.example.de/catalog.ttl?page=1"
    )
    assert graph.value(page, H.lastPage) == URIRef("https://daten.example.de/catalog.ttl?page=5")
    assert graph.value(page, H.itemsPerPage).toPython() == 50
    assert graph.value(page, H.totalItems).toPython() == 230


def test_last_page_has_no_next_link_in_either_form() -> None:
    for legacy, next_term in ((False, ns.HYDRA.next), (True, ns.HYDRA.nextPage)):
        graph = _page(legacy=legacy, next=None, total_items=None)
        assert (None, next_term, None) not in graph
        assert (None, ns.HYDRA.totalItems, None) not in graph


@pytest.mark.parametrize("fmt", FORMATS)
def test_hydra_page_survives_every_format(fmt: str) -> None:
    graph = _page(legacy=False)
    assert isomorphic(parse_rdf(serialise(graph, fmt), content_type=MEDIA_TYPES[fmt]), graph)


# --- streamed dumps --------------------------------------------------------------------------


def _header() -> Graph:
    header = ns.new_graph()
    header.add((CATALOG, ns.RDF.type, ns.DCAT.Catalog))
    header.add((CATALOG, ns.DCT.title, Literal("Offene Daten Beispielstadt", lang="de")))
    header += _page(legacy=False)
    return header


def _records(fmt: str) -> tuple[list[str], Graph]:
    """Stored record texts (each with its own prefixes and blank node labels) and their union."""
    catalog = parse_rdf_file(
        SHARED / "fixtures/dcat/udata/bnodes.xml", base="https://harvest.example.de/"
    )
    texts, union = [], Graph()
    for part in split_catalog_into_datasets(catalog):
        text = _relabel_blank_nodes(serialise(part.graph, fmt).decode("utf-8"))
        texts.append(text)
        union += parse_rdf(text.encode(), content_type=MEDIA_TYPES[fmt])
    return texts, union


def _relabel_blank_nodes(text: str) -> str:
    """_:n0, _:n1 ... in order of appearance, as any stored record might have them."""
    labels: dict[str, str] = {}
    return re.sub(r"_:(\w+)", lambda m: "_:n" + labels.setdefault(m[1], str(len(labels))), text)


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_streamed_catalog_document_is_the_union_of_header_and_records(fmt: str) -> None:
    texts, union = _records(fmt)
    labels = [set(re.findall(r"_:(\w+)", text)) for text in texts]
    assert labels[0] & labels[1]  # the same blank node labels occur in different records
    document = b"".join(catalog_document_chunks(_header(), texts, fmt))
    parsed = parse_rdf(document, content_type=MEDIA_TYPES[fmt])
    expected = union + _header()
    assert len(parsed) == len(expected)
    assert isomorphic(parsed, expected)


def test_streamed_turtle_reads_records_stored_as_turtle_with_their_own_prefixes() -> None:
    record = (
        "@prefix x: <http://purl.org/dc/terms/> .\n"
        '<https://daten.example.de/d> x:title "A" ; x:creator [ x:title "B" ] .\n'
    )
    document = b"".join(catalog_document_chunks(_header(), [record, record], "ttl"))
    parsed = parse_rdf(document, content_type="text/turtle")
    assert len(set(parsed.objects(URIRef("https://daten.example.de/d"), ns.DCT.creator))) == 2


def test_streaming_is_lazy() -> None:
    def records():
        yield '<https://daten.example.de/d> <http://purl.org/dc/terms/title> "A" .\n'
        raise AssertionError("read past the first record")

    chunks = catalog_document_chunks(_header(), records(), "nt")
    next(chunks), next(chunks)  # header, first record; the second is never requested


def test_streaming_other_formats_is_refused() -> None:
    with pytest.raises(UnknownFormatError):
        list(catalog_document_chunks(_header(), [], "jsonld"))
