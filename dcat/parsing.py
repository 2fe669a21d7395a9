"""Safe parsing of RDF input (Turtle, RDF/XML, JSON-LD, N-Triples) into an rdflib graph."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.jsonld_contexts import with_local_contexts
from dcat.namespaces import new_graph
from dcat.parse_errors import RDFParseError, bilingual_error
from dcat.xml_safety import refuse_xml_declarations

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
"""Inputs above this size are refused before parsing: rdflib needs ~50x the text size in memory."""

FORMAT_LABELS: dict[str, str] = {
    "ttl": "Turtle",
    "rdf": "RDF/XML",
    "jsonld": "JSON-LD",
    "nt": "N-Triples",
}

# Content types as servers actually send them; generic ones (text/plain, octet-stream) are absent
# on purpose so that extension and sniffing decide.
FORMAT_BY_CONTENT_TYPE: dict[str, str] = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/turtle": "ttl",
    "text/n3": "ttl",
    "application/rdf+xml": "rdf",
    "application/xml": "rdf",
    "text/xml": "rdf",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/ntriples": "nt",
}

FORMAT_BY_FILE_EXTENSION: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".n3": "ttl",
    ".rdf": "rdf",
    ".owl": "rdf",
    ".xml": "rdf",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".nt": "nt",
    ".ntriples": "nt",
}

_OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.TURTLE,  # N-Triples is a subset of Turtle: mislabelled files still parse
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_UNRESOLVED_BASE = "http://unresolved.invalid/"
_SNIFF_BYTES = 4096
_OX_POSITION_PREFIX = re.compile(
    r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): "
)
_XML_PREFIXED_ELEMENT = re.compile(r"<[A-Za-z_][\w.-]*:[A-Za-z_]")  # <rdf:RDF, not <https://
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


# --- format guessing -------------------------------------------------------------------------


def guess_rdf_format(
    content_type: str | None = None, filename: str | None = None, data: bytes | None = None
) -> str:
    """The format code ("ttl", "rdf", "jsonld", "nt"): Content-Type, then extension, then sniffing.

    A strong signal in the first bytes (an XML declaration or root element, a JSON object) wins
    over a declared type that contradicts it: servers often send RDF/XML as text/plain or Turtle.
    """
    declared = _format_from_content_type(content_type) or _format_from_filename(filename)
    sniffed = _sniff_format(data) if data is not None else None
    if declared is None:
        if sniffed is None:
            raise bilingual_error(
                "RDF-Format nicht erkannt (weder Content-Type, Dateiendung noch Inhalt)",
                "RDF format not recognised (neither content type, file extension nor content)",
            )
        return sniffed
    if sniffed in ("rdf", "jsonld") and declared != sniffed and _is_strong_sniff(data, sniffed):
        return sniffed
    return declared


def _format_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    media_type = content_type.split(";", 1)[0].strip().lower()
    return FORMAT_BY_CONTENT_TYPE.get(media_type)


def _format_from_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    path = filename.split("?", 1)[0].split("#", 1)[0]
    return FORMAT_BY_FILE_EXTENSION.get(os.path.splitext(path)[1].lower())


def _leading_text(data: bytes) -> str:
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return text.lstrip("\ufeff \t\r\n")


def _skip_turtle_comments(text: str) -> str:
    while text.startswith("#"):
        text = text.split("\n", 1)[1].lstrip() if "\n" in text else ""
    return text


_NT_LINE = re.compile(r'^(<[^>\s]*>|_:\S+)\s+<[^>\s]*>\s+(<[^>\s]*>|_:\S+|")')
_TURTLE_START = re.compile(r"^(@prefix|@base|prefix\s|base\s|[A-Za-z][\w.-]*:|:|\[|\()", re.I)


def _sniff_format(data: bytes | None) -> str | None:
    if not data:
        return None
    text = _leading_text(data)
    if text.startswith(("<?xml", "<!")) or _XML_PREFIXED_ELEMENT.match(text):
        return "rdf"
    if text.startswith("{") or re.match(r"\[\s*[{\]]", text):
        return "jsonld"
    text = _skip_turtle_comments(text)
    if _NT_LINE.match(text):
        return "nt" if text.split("\n", 1)[0].rstrip().endswith(".") else "ttl"
    if _TURTLE_START.match(text) or text.startswith("<"):
        return "ttl"
    return None


def _is_strong_sniff(data: bytes | None, sniffed: str) -> bool:
    text = _leading_text(data or b"")
    if sniffed == "rdf":
        return text.startswith("<?xml") or text.startswith("<rdf:RDF")
    return text.startswith("{")


# --- reading with a size limit ---------------------------------------------------------------


def _too_large(size: int | None, max_bytes: int) -> RDFParseError:
    shown = f"{size:,} Bytes" if size is not None else f"mehr als {max_bytes:,} Bytes"
    shown_en = f"{size:,} bytes" if size is not None else f"more than {max_bytes:,} bytes"
    return bilingual_error(
        f"RDF-Eingabe zu groß ({shown}, erlaubt sind {max_bytes:,} Bytes)",
        f"RDF input too large ({shown_en}, the limit is {max_bytes:,} bytes)",
    )


def read_limited(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a stream, failing as soon as it exceeds max_bytes (reads at most one byte more)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(None, max_bytes)
    return data


def parse_rdf_file(
    path: str | os.PathLike[str],
    *,
    content_type: str | None = None,
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known_contexts: Mapping[str, Any] | None = None,
) -> Graph:
    """Parse a file; its size is checked on disk before a byte is read.

    Without `base`, relative IRIs resolve against the file's own file: IRI, as RDF says a
    document's address is its base (real portal files do contain relative references).
    """
    size = Path(path).stat().st_size
    if base is None:
        base = Path(path).resolve().as_uri()
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    with open(path, "rb") as stream:
        data = read_limited(stream, max_bytes)
    return parse_rdf(
        data,
        content_type=content_type,
        filename=str(path),
        base=base,
        max_bytes=max_bytes,
        known_contexts=known_contexts,
    )


# --- parsing ---------------------------------------------------------------------------------


def parse_rdf(
    data: bytes | str | BinaryIO,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known_contexts: Mapping[str, Any] | None = None,
) -> Graph:
    """Parse RDF safely: no XML entities, no remote JSON-LD contexts, a size limit.

    Parsing runs through pyoxigraph (several times faster than rdflib's parsers, and it never
    fetches anything); RDF/XML that pyoxigraph finds malformed gets a second, lenient try with
    rdflib, as real portals publish such files. `known_contexts` maps JSON-LD context URLs to
    local context documents that replace them; any other remote context is refused.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif not isinstance(data, bytes | bytearray | memoryview):
        data = read_limited(data, max_bytes)
    data = bytes(data)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data.strip():
        raise bilingual_error("RDF-Eingabe ist leer", "RDF input is empty")
    fmt = guess_rdf_format(content_type, filename, data)
    if fmt == "rdf":
        refuse_xml_declarations(data)
    if fmt == "jsonld":
        data = with_local_contexts(data, known_contexts or {})
    try:
        return _parse_with_oxigraph(data, fmt, base)
    except SyntaxError as error:
        if fmt != "rdf":
            raise _syntax_error(fmt, error) from None
        return _parse_rdfxml_with_rdflib(data, base, error)


def iter_rdf_triples(data: bytes, fmt: str, base: str | None = None):
    """Stream rdflib triples from text without building a graph (bulk loading and benchmarks)."""
    convert = _term_converter(base)
    # Lenient mode accepts the broken IRIs real portals publish ("tel:+49 40 ..."); for JSON-LD it
    # would also turn undefined terms into relative IRIs, which the spec says to drop.
    lenient = fmt != "jsonld"
    for quad in ox.parse(data, format=_OX_FORMATS[fmt], base_iri=base, lenient=lenient):
        yield convert(quad.subject), convert(quad.predicate), convert(quad.object)


def _parse_with_oxigraph(data: bytes, fmt: str, base: str | None) -> Graph:
    graph = new_graph()
    add = graph.store.add
    try:
        for triple in iter_rdf_triples(data, fmt, base):
            add(triple, graph, quoted=False)
    except ValueError as error:
        if isinstance(error, RDFParseError):
            raise
        raise _syntax_error(fmt, SyntaxError(str(error))) from None
    return graph


def _term_converter(base: str | None) -> Callable[[Any], Node]:
    """Convert pyoxigraph terms to rdflib terms, each distinct term once (that is the speed-up)."""
    cache: dict[Any, Node] = {}

    def convert(term: Any) -> Node:
        node = cache.get(term)
        if node is not None:
            return node
        if isinstance(term, ox.NamedNode):
            if not _ABSOLUTE_IRI.match(term.value):
                raise _relative_iri_error(term.value)
            node = URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            node = BNode()
        elif term.language:
            node = Literal(term.value, lang=term.language)
        elif term.datatype.value == _XSD_STRING:
            node = Literal(term.value)  # RDF 1.1: "x"^^xsd:string and "x" are one literal
        else:
            node = Literal(term.value, datatype=URIRef(term.datatype.value))
        cache[term] = node
        return node

    return convert


def _relative_iri_error(iri: str) -> RDFParseError:
    return bilingual_error(
        f"Relative IRI <{iri}> ohne Basis-IRI",
        f"relative IRI <{iri}> without a base IRI",
    )


def _syntax_error(fmt: str, error: SyntaxError) -> RDFParseError:
    label = FORMAT_LABELS[fmt]
    detail = str(error.args[0]) if error.args else str(error)
    line = None
    position = error.args[1] if len(error.args) > 1 else None
    if isinstance(position, tuple) and len(position) > 1 and isinstance(position[1], int):
        line = position[1]
    detail = _OX_POSITION_PREFIX.sub("", detail)
    if line is None:
        return bilingual_error(
            f"{label}-Syntaxfehler: {detail}", f"{label} syntax error: {detail}", fmt=fmt
        )
    return bilingual_error(
        f"{label}-Syntaxfehler in Zeile {line}: {detail}",
        f"{label} syntax error at line {line}: {detail}",
        fmt=fmt,
        line=line,
    )


def _parse_rdfxml_with_rdflib(data: bytes, base: str | None, first_error: SyntaxError) -> Graph:
    """rdflib tolerates RDF/XML quirks real portals publish; declarations were refused already."""
    graph = new_graph()
    try:
        graph.parse(data=data, format="xml", publicID=base or _UNRESOLVED_BASE)
    except Exception:
        raise _syntax_error("rdf", first_error) from None
    if base is None:
        for node in graph.all_nodes():
            if isinstance(node, URIRef) and str(node).startswith(_UNRESOLVED_BASE):
                raise _relative_iri_error(str(node)[len(_UNRESOLVED_BASE) :])
    log.info("RDF/XML parsed by rdflib after pyoxigraph refused it: %s", first_error)
    return graph


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT_BY_CONTENT_TYPE",
    "FORMAT_BY_FILE_EXTENSION",
    "FORMAT_LABELS",
    "RDFParseError",
    "guess_rdf_format",
    "iter_rdf_triples",
    "parse_rdf",
    "parse_rdf_file",
    "read_limited",
    "refuse_xml_declarations",
]
