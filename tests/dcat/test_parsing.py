"""Parsing RDF input: format guessing, clear errors, and the safety limits."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import dcat.namespaces as ns
from dcat.parsing import (
    DEFAULT_MAX_BYTES,
    RDFParseError,
    guess_rdf_format,
    parse_rdf,
    parse_rdf_file,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "dcat"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

TURTLE = b"""@prefix dct: <http://purl.org/dc/terms/> .
<https://daten.example.de/dataset/a> dct:title "Baumkataster"@de .
"""
NTRIPLES = b'<https://daten.example.de/dataset/a> <http://purl.org/dc/terms/title> "Baum" .\n'
RDFXML = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>"""
RDFXML_NO_DECLARATION = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
JSONLD = b'{"@id": "https://daten.example.de/dataset/a", "http://purl.org/dc/terms/title": "B"}'
JSONLD_LIST = b'[ {"@id": "https://daten.example.de/dataset/a"} ]'
TURTLE_BLANK_START = b"[ a <http://www.w3.org/ns/dcat#Dataset> ] ."
TURTLE_COMMENTED = b"# Katalog\n@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"


@pytest.mark.parametrize(
    ("content_type", "filename", "data", "expected"),
    [
        ("text/turtle", None, TURTLE, "ttl"),
        ("text/turtle; charset=utf-8", None, TURTLE, "ttl"),
        ("application/rdf+xml", None, RDFXML, "rdf"),
        ("application/ld+json", None, JSONLD, "jsonld"),
        ("application/json", None, JSONLD, "jsonld"),
        ("application/n-triples", None, NTRIPLES, "nt"),
        ("application/xml", None, RDFXML, "rdf"),
        (None, "katalog.ttl", TURTLE, "ttl"),
        (None, "katalog.rdf", RDFXML, "rdf"),
        (None, "https://example.de/katalog.jsonld?page=2", JSONLD, "jsonld"),
        (None, "katalog.nt", NTRIPLES, "nt"),
        (None, "katalog.xml", RDFXML, "rdf"),
        ("text/plain", None, NTRIPLES, "nt"),
        ("application/octet-stream", "download", TURTLE, "ttl"),
        (None, None, TURTLE, "ttl"),
        (None, None, TURTLE_COMMENTED, "ttl"),
        (None, None, TURTLE_BLANK_START, "ttl"),
        (None, None, NTRIPLES, "nt"),
        (None, None, RDFXML, "rdf"),
        (None, None, RDFXML_NO_DECLARATION, "rdf"),
        (None, None, b"\xef\xbb\xbf" + RDFXML, "rdf"),
        (None, None, JSONLD, "jsonld"),
        (None, None, JSONLD_LIST, "jsonld"),
        # A declared type that the content plainly contradicts loses to the content.
        ("text/turtle", None, RDFXML, "rdf"),
        ("text/turtle", "katalog.ttl", JSONLD, "jsonld"),
        # The Content-Type wins over the extension.
        ("text/turtle", "katalog.rdf", TURTLE, "ttl"),
    ],
)
def test_format_is_guessed_by_content_type_then_extension_then_content(
    content_type: str | None, filename: str | None, data: bytes, expected: str
) -> None:
    assert guess_rdf_format(content_type, filename, data) == expected


def test_unrecognisable_input_is_an_error_naming_the_problem() -> None:
    with pytest.raises(RDFParseError, match=r"nicht erkannt.*not recognised"):
        guess_rdf_format(None, None, b"\x00\x01 kein RDF")


def test_every_format_parses_to_the_same_triple() -> None:
    expected = (URIRef("https://daten.example.de/dataset/a"), ns.DCT.title, Literal("B"))
    documents = {
        "text/turtle": b"<https://daten.example.de/dataset/a>\n"
        b'<http://purl.org/dc/terms/title> "B" .',
        "application/n-triples": NTRIPLES.replace(b'"Baum"', b'"B"'),
        "application/ld+json": JSONLD,
        "application/rdf+xml": b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
            xmlns:dct="http://purl.org/dc/terms/">
            <rdf:Description rdf:about="https://daten.example.de/dataset/a">
            <dct:title>B</dct:title></rdf:Description></rdf:RDF>""",
    }
    for content_type, data in documents.items():
        assert set(parse_rdf(data, content_type=content_type)) == {expected}, content_type


def test_unparseable_turtle_is_an_error_with_format_and_line() -> None:
    broken = b"@prefix dct: <http://purl.org/dc/terms/> .\n\n<http://a> dct:title 'x' <http://b> ."
    with pytest.raises(RDFParseError) as caught:
        parse_rdf(broken, content_type="text/turtle")
    assert "Turtle-Syntaxfehler in Zeile 3" in str(caught.value)
    assert "Turtle syntax error at line 3" in str(caught.value)
    assert caught.value.line == 3
    assert caught.value.fmt == "ttl"


def test_undeclared_prefix_in_real_file_is_named_in_the_error() -> None:
    with pytest.raises(RDFParseError, match="healthdcatap"):
        parse_rdf_file(SHARED / "fixtures/dcat/ckanext-dcat/dataset.ttl")


def test_broken_json_ld_is_an_error_with_line() -> None:
    with pytest.raises(RDFParseError, match="JSON-LD-Syntaxfehler in Zeile 2"):
        parse_rdf(b'{"@id": "http://a",\n "x": }', content_type="application/ld+json")


def test_broken_rdfxml_is_an_error_naming_rdfxml() -> None:
    with pytest.raises(RDFParseError, match="RDF/XML-Syntaxfehler"):
        parse_rdf(b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><a>")


def test_empty_input_is_an_error() -> None:
    with pytest.raises(RDFParseError, match=r"leer.*empty"):
        parse_rdf(b"  \n", content_type="text/turtle")


def test_relative_iris_resolve_against_base_and_are_refused_without() -> None:
    data = b'<dataset/a> <http://purl.org/dc/terms/title> "A" .'
    graph = parse_rdf(data, content_type="text/turtle", base="https://daten.example.de/")
    assert set(graph.subjects()) == {URIRef("https://daten.example.de/dataset/a")}
    with pytest.raises(RDFParseError, match="Relative IRI"):
        parse_rdf(data, content_type="text/turtle")


def test_rdfxml_that_portals_publish_with_quirks_still_parses() -> None:
    # geonetwork.xml has text where RDF/XML allows none; pyoxigraph refuses, rdflib reads it.
    graph = parse_rdf_file(SHARED / "fixtures/dcat/udata/geonetwork.xml")
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))) == 1


def test_xsd_string_literals_become_plain_literals() -> None:
    data = b'<http://a> <http://b> "x"^^<http://www.w3.org/2001/XMLSchema#string> .'
    assert set(parse_rdf(data, content_type="text/turtle").objects()) == {Literal("x")}


# --- safety ----------------------------------------------------------------------------------


class _CountingServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                body = json.dumps({"@context": {"title": "http://purl.org/dc/terms/title"}})
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def counting_server() -> Iterator[_CountingServer]:
    server = _CountingServer()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_counting_server_does_count_requests(counting_server: _CountingServer) -> None:
    # The zero counts below mean something only if a fetch would have been counted.
    from urllib.request import urlopen

    with urlopen(counting_server.url + "/ctx.jsonld") as response:
        response.read()
    assert counting_server.requests == ["/ctx.jsonld"]


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "{url}/ctx.jsonld", "@id": "http://a", "title": "x"},
        {"@context": ["{url}/ctx.jsonld", {"dct": "http://purl.org/dc/terms/"}], "@id": "http://a"},
        {"@context": {"@import": "{url}/ctx.jsonld"}, "@id": "http://a", "title": "x"},
        {
            "@context": {"p": {"@id": "http://ex/p", "@context": "{url}/scoped.jsonld"}},
            "@id": "http://a",
            "p": {"title": "x"},
        },
        [{"@context": "{url}/ctx.jsonld", "@id": "http://a", "title": "x"}],
    ],
    ids=["string", "list", "import", "scoped", "in-array"],
)
def test_remote_json_ld_context_is_refused_and_never_fetched(
    counting_server: _CountingServer, document: object
) -> None:
    data = json.dumps(document).replace("{url}", counting_server.url).encode()
    with pytest.raises(RDFParseError, match=r"entferntem @context.*remote @context"):
        parse_rdf(data, content_type="application/ld+json")
    assert counting_server.requests == []


def test_known_context_replaces_the_remote_one_without_fetching(
    counting_server: _CountingServer,
) -> None:
    url = counting_server.url + "/ctx.jsonld"
    data = json.dumps({"@context": url, "@id": "http://a", "title": "Baum"}).encode()
    known = {url: {"@context": {"title": "http://purl.org/dc/terms/title"}}}
    graph = parse_rdf(data, content_type="application/ld+json", known_contexts=known)
    assert set(graph) == {(URIRef("http://a"), ns.DCT.title, Literal("Baum"))}
    assert counting_server.requests == []


def test_real_feed_with_remote_context_parses_with_its_local_copy() -> None:
    folder = SHARED / "fixtures/dcat/melodies-geodcat"
    url = "https://ec-melodies.github.io/wp02-dcat/context.jsonld"
    with pytest.raises(RDFParseError):
        parse_rdf_file(folder / "feed.jsonld")
    known = {url: json.loads((folder / "context.jsonld").read_text())}
    graph = parse_rdf_file(folder / "feed.jsonld", known_contexts=known)
    assert len(set(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))) == 20


def test_rdfxml_billion_laughs_is_refused_before_expansion() -> None:
    started = time.perf_counter()
    with pytest.raises(RDFParseError, match=r"DOCTYPE.*refused"):
        parse_rdf_file(DATA / "io_billion_laughs.rdf")
    assert time.perf_counter() - started < 5  # evidence, not the point: nothing was expanded


def test_rdfxml_external_entity_is_refused_and_never_fetched(
    counting_server: _CountingServer, tmp_path: Path
) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("Passwort")
    for system_id in (f"{counting_server.url}/entity", secret.as_uri()):
        data = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "{system_id}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dct="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="http://a"><dct:title>&xxe;</dct:title></rdf:Description>
</rdf:RDF>""".encode()
        with pytest.raises(RDFParseError, match="ENTITY"):
            parse_rdf(data)
    assert counting_server.requests == []


def test_external_dtd_is_refused(counting_server: _CountingServer) -> None:
    data = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "{counting_server.url}/rdf.dtd">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>""".encode()
    with pytest.raises(RDFParseError, match="DOCTYPE"):
        parse_rdf(data, content_type="application/rdf+xml")
    assert counting_server.requests == []


def _write_big_turtle(path: Path, size: int) -> None:
    line = b'<https://daten.example.de/d> <http://purl.org/dc/terms/title> "Baumkataster" .\n'
    block = line * (1024 * 1024 // len(line))
    with path.open("wb") as stream:
        while stream.tell() < size:
            stream.write(block)


def test_200_mb_file_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "riesig.ttl"
    _write_big_turtle(big, 200 * 1000 * 1000)
    assert big.stat().st_size > DEFAULT_MAX_BYTES
    started = time.perf_counter()
    with pytest.raises(RDFParseError, match=r"zu groß.*too large"):
        parse_rdf_file(big)
    assert time.perf_counter() - started < 1  # evidence: the size was checked, not parsed


def test_oversized_stream_is_refused_after_reading_one_byte_over_the_limit() -> None:
    stream = io.BytesIO(b"#" * 5000)
    with pytest.raises(RDFParseError, match="too large"):
        parse_rdf(stream, content_type="text/turtle", max_bytes=4096)
    assert stream.tell() == 4097


def test_oversized_bytes_are_refused_with_the_configured_limit() -> None:
    with pytest.raises(RDFParseError, match="4,096"):
        parse_rdf(TURTLE * 200, content_type="text/turtle", max_bytes=4096)
    assert len(parse_rdf(TURTLE, content_type="text/turtle", max_bytes=4096)) == 1
