"""Writing graphs as Turtle, RDF/XML, JSON-LD (compact, our own context) and N-Triples."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.iri import escaped_iri
from dcat.namespaces import PREFIXES, RDF

MEDIA_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "rdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}

FORMAT_BY_EXTENSION: dict[str, str] = {"ttl": "ttl", "rdf": "rdf", "jsonld": "jsonld", "nt": "nt"}
"""URL extensions of our endpoints (/catalog.ttl, /dataset/{id}.jsonld) to format codes."""

FORMAT_BY_MEDIA_TYPE: dict[str, str] = {media: fmt for fmt, media in MEDIA_TYPES.items()}

CONTEXT_PATH = "/context.jsonld"
"""Where the web app serves JSONLD_CONTEXT (relative to base_url)."""


def _load_context() -> dict[str, Any]:
    text = resources.files("dcat").joinpath("context.json").read_text(encoding="utf-8")
    return json.loads(text)


JSONLD_CONTEXT: dict[str, Any] = _load_context()
"""Our JSON-LD context document ({"@context": {prefix: namespace}}), served at CONTEXT_PATH."""

_OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "rdf": ox.RdfFormat.RDF_XML,
    "nt": ox.RdfFormat.N_TRIPLES,
}
_RDF_TYPE = str(RDF.type)
_PREFIX_STRINGS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


class UnknownFormatError(ValueError):
    """A format code other than ttl, rdf, jsonld, nt."""


def serialise(graph: Graph, fmt: str, *, context_url: str | None = None) -> bytes:
    """The graph as UTF-8 bytes in one of our four formats.

    JSON-LD embeds our context by default, so a reader never has to fetch anything to interpret
    it; with `context_url` the document references our served context instead.
    """
    if fmt == "jsonld":
        return _serialise_jsonld(graph, context_url)
    if fmt not in _OX_FORMATS:
        raise UnknownFormatError(
            f"Unbekanntes RDF-Format {fmt!r} / unknown RDF format {fmt!r} (ttl, rdf, jsonld, nt)"
        )
    triples = list(oxigraph_triples(graph, ordered=True))
    return _ox_serialize(triples, _OX_FORMATS[fmt], _used_prefixes(graph))


def _ox_serialize(
    triples: list[ox.Triple], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """Only prefixes some predicate or type uses, so small records don't carry twenty lines."""
    iris = {str(p) for p in graph.predicates(unique=True)}
    iris.update(str(o) for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    iris.update(str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype)
    return {
        prefix: namespace
        for prefix, namespace in _PREFIX_STRINGS.items()
        if any(iri.startswith(namespace) for iri in iris)
    }


def oxigraph_triples(graph: Graph, *, ordered: bool = False) -> Iterator[ox.Triple]:
    """The graph as pyoxigraph triples (invalid IRI characters percent-encoded).

    `ordered` sorts by subject so that Turtle groups each subject's triples, IRIs first.
    """
    convert = _oxigraph_converter()
    triples = sorted(graph, key=_subject_order) if ordered else graph
    for subject, predicate, obj in triples:
        yield ox.Triple(convert(subject), convert(predicate), convert(obj))


def _subject_order(triple: tuple[Node, Node, Node]) -> tuple[bool, str, str]:
    return isinstance(triple[0], BNode), str(triple[0]), str(triple[1])


def _named_node(iri: str) -> ox.NamedNode:
    """An IRI as pyoxigraph wants it: characters no IRI may hold are percent-encoded.

    Portals publish "tel:+49 40 4 28 40 - 3494"; written unescaped, no strict parser reads the
    document back, so serialisation and hashing both use the escaped form.
    """
    return ox.NamedNode(escaped_iri(iri))


def _oxigraph_converter():
    cache: dict[Node, Any] = {}

    def convert(node: Node) -> Any:
        term = cache.get(node)
        if term is not None:
            return term
        if isinstance(node, URIRef):
            term = _named_node(str(node))
        elif isinstance(node, BNode):
            term = ox.BlankNode(f"b{len(cache)}")
        elif isinstance(node, Literal):
            if node.language:
                term = ox.Literal(str(node), language=node.language)
            elif node.datatype is not None:
                term = ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            else:
                term = ox.Literal(str(node))
        else:
            raise ValueError(f"unsupported RDF term {node!r}")
        cache[node] = term
        return term

    return convert


def _serialise_jsonld(graph: Graph, context_url: str | None) -> bytes:
    """Flattened JSON-LD from pyoxigraph with property and type IRIs compacted to our prefixes.

    rdflib's JSON-LD writer drops blank nodes that reference each other in a cycle (the
    official ex-23-dataservice example came out as an empty @graph), so we compact ourselves:
    only keys and @type values, which a prefix-only context expands back unambiguously.
    """
    triples = list(oxigraph_triples(graph, ordered=True))
    return _jsonld_document(triples, context_url, indent=2)


def _jsonld_document(
    triples: list[ox.Triple], context_url: str | None, indent: int | None
) -> bytes:
    nodes = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
    if isinstance(nodes, dict):
        nodes = nodes.get("@graph", [nodes])
    document = {
        "@context": context_url if context_url is not None else JSONLD_CONTEXT["@context"],
        "@graph": [_compact_node(node) for node in nodes],
    }
    return json.dumps(document, ensure_ascii=False, indent=indent).encode("utf-8")


def stored_graphs_document(
    record_texts: Iterable[str | bytes], fmt: str, header_graph: Graph | None = None
) -> bytes:
    """One RDF/XML or JSON-LD document of stored record texts (and a header), in pyoxigraph.

    Pages of many records never become one rdflib graph: parsing each record into rdflib and
    merging them cost ten times what pyoxigraph needs (benchmarks/RESULTS.md, publishing).
    Each text's blank nodes are renamed apart, so two records' `_:b0` stay two nodes.
    """
    if fmt not in ("rdf", "jsonld"):
        raise UnknownFormatError(f"nur rdf und jsonld, nicht {fmt!r} / only rdf and jsonld")
    triples = list(oxigraph_triples(header_graph)) if header_graph is not None else []
    for text in record_texts:
        data = text.encode("utf-8") if isinstance(text, str) else text
        quads = ox.parse(data, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True, lenient=True)
        triples.extend(quad.triple for quad in quads)
    if fmt == "jsonld":
        return _jsonld_document(triples, None, indent=None)
    return _ox_serialize(triples, ox.RdfFormat.RDF_XML, _PREFIX_STRINGS)


def _compact_node(node: dict[str, Any]) -> dict[str, Any]:
    compacted: dict[str, Any] = {}
    for key, value in node.items():
        if key == _RDF_TYPE and all(_is_iri_reference(item) for item in value):
            compacted["@type"] = [_compact_iri(item["@id"]) for item in value]
        elif key == "@type":
            types = value if isinstance(value, list) else [value]
            compacted[key] = [_compact_iri(iri) for iri in types]
        elif key.startswith("@"):
            compacted[key] = value
        else:
            compacted[_compact_iri(key)] = value
    return compacted


def _is_iri_reference(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"@id"} and not value["@id"].startswith("_:")


def _compact_iri(iri: str) -> str:
    for prefix, namespace in _PREFIX_STRINGS.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and not local.startswith("//") and ":" not in local:
                return f"{prefix}:{local}"
    return iri


def known_contexts(base_url: str) -> dict[str, dict[str, Any]]:
    """What parse_rdf(known_contexts=...) needs to read our own JSON-LD documents offline."""
    return {base_url.rstrip("/") + CONTEXT_PATH: JSONLD_CONTEXT}


# --- streaming dumps ---------------------------------------------------------------------------


def catalog_document_chunks(
    header_graph: Graph, record_texts: Iterable[str | bytes], fmt: str
) -> Iterator[bytes]:
    """One catalog document from a header graph and stored per-record texts, never one big graph.

    Each record text (Turtle or N-Triples, as stored) is re-read by pyoxigraph with fresh blank
    node labels: `_:b0` of two records must stay two nodes in the dump. Turtle records are
    written with our prefixes, declared once in the header.
    """
    if fmt not in ("nt", "ttl"):
        raise UnknownFormatError(
            f"Streaming nur für nt und ttl, nicht {fmt!r} / "
            f"streaming only for nt and ttl, not {fmt!r}"
        )
    yield _header_text(header_graph, fmt)
    for text in record_texts:
        yield _record_chunk(text, fmt)


def _header_text(header_graph: Graph, fmt: str) -> bytes:
    triples = list(oxigraph_triples(header_graph, ordered=True))
    if fmt == "nt":
        return _ox_serialize(triples, ox.RdfFormat.N_TRIPLES)
    prefix_lines = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _PREFIX_STRINGS.items())
    body = _without_prefix_lines(_ox_serialize(triples, ox.RdfFormat.TURTLE))
    return prefix_lines.encode("utf-8") + body


def _record_chunk(text: str | bytes, fmt: str) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    quads = ox.parse(data, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True, lenient=True)
    triples = [quad.triple for quad in quads]
    if fmt == "nt":
        return _ox_serialize(triples, ox.RdfFormat.N_TRIPLES)
    turtle = _ox_serialize(triples, ox.RdfFormat.TURTLE, _PREFIX_STRINGS)
    return _without_prefix_lines(turtle)


def _without_prefix_lines(turtle: bytes) -> bytes:
    lines = turtle.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    body = b"\n".join(lines[start:])
    return body if body.endswith(b"\n") or not body else body + b"\n"


__all__ = [
    "CONTEXT_PATH",
    "FORMAT_BY_EXTENSION",
    "FORMAT_BY_MEDIA_TYPE",
    "JSONLD_CONTEXT",
    "MEDIA_TYPES",
    "UnknownFormatError",
    "catalog_document_chunks",
    "known_contexts",
    "oxigraph_triples",
    "serialise",
    "stored_graphs_document",
]
