"""`catalog export`: the whole published catalog as one DCAT-AP.de document, streamed.

Records are read in keyset batches and written one by one from their stored graphs, so memory
stays flat whatever the catalog's size; nothing builds a whole-catalog graph. Each record's
blank nodes get labels of their own, so two records' `_:b0` stay two nodes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from rdflib import Graph, URIRef
from sqlalchemy import func, select

from catalog.models import DatasetRecord
from catalog.profile_store import record_text
from catalog.publication import catalog_description, public_records
from catalog.settings import Settings
from catalog.store import Store
from dcat.catalog_graph import catalog_graph
from dcat.namespaces import DCAT, PREFIXES, RDF
from dcat.profiles import DEFAULT_PROFILE, Profile, render_graph
from dcat.serialise import (
    JSONLD_CONTEXT,
    catalog_document_chunks,
    serialise,
    stored_graphs_document,
)

_XML_NAMESPACES = {
    "rdf": str(RDF),
    "its": "http://www.w3.org/2005/11/its",
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
}
_ROOT_START = re.compile(rb"^(<\?xml[^>]*\?>\s*)?<rdf:RDF(?P<declarations>[^>]*)>", re.S)
_DECLARATION = re.compile(rb'xmlns:(?P<prefix>[\w.-]+)="(?P<namespace>[^"]*)"')
_NODE_ID = re.compile(rb'rdf:nodeID="(?P<label>[^"]+)"')


def export_chunks(
    store: Store, settings: Settings, fmt: str, profile: Profile = DEFAULT_PROFILE
) -> Iterator[bytes]:
    """The document in pieces, for writing to a stream as they come, in the profile."""
    description = catalog_description(settings)
    catalog_node = URIRef(description.uri)
    header = render_graph(catalog_graph(description, []), profile)
    if fmt in ("ttl", "nt"):
        texts = (
            _with_catalog_link(record_text(store, record, profile), catalog_node, record.uri)
            for record in public_records(store, settings, profile=profile)
        )
        yield from catalog_document_chunks(header, texts, fmt)
    elif fmt == "jsonld":
        yield from _jsonld_chunks(store, settings, header, catalog_node, profile)
    elif fmt == "rdf":
        yield from _rdfxml_chunks(store, settings, header, catalog_node, profile)
    else:
        raise ValueError(f"unknown format {fmt!r} (ttl, rdf, jsonld, nt)")


def count_and_last_change(store: Store) -> tuple[int, datetime | None]:
    """How many records there are and when the newest change was, over all of them.

    What an export depends on, from one index-only query (a dump's validator); filtering by
    status and validation state would read every row. Records are never deleted and every
    save sets updated_at, so any change of the public set moves one of the two.
    """
    with store.reading() as session:
        count, newest = session.execute(
            select(func.count(), func.max(DatasetRecord.updated_at))
        ).one()
    return count, newest


def _with_catalog_link(ntriples: str, catalog: URIRef, dataset_uri: str) -> str:
    return f"{ntriples.rstrip()}\n<{catalog}> <{DCAT.dataset}> <{dataset_uri}> .\n"


def _record_document(ntriples: str, catalog: URIRef, dataset_uri: str, fmt: str) -> bytes:
    return stored_graphs_document([_with_catalog_link(ntriples, catalog, dataset_uri)], fmt)


def _jsonld_chunks(
    store: Store, settings: Settings, header: Graph, catalog: URIRef, profile: Profile
) -> Iterator[bytes]:
    context = json.dumps(JSONLD_CONTEXT["@context"], ensure_ascii=False)
    yield b'{"@context": ' + context.encode() + b', "@graph": [\n'
    first = True
    for nodes in _jsonld_node_lists(store, settings, header, catalog, profile):
        for node in nodes:
            yield (b"" if first else b",\n") + json.dumps(node, ensure_ascii=False).encode()
            first = False
    yield b"\n]}\n"


def _jsonld_node_lists(
    store: Store, settings: Settings, header: Graph, catalog: URIRef, profile: Profile
) -> Iterator[list[dict[str, Any]]]:
    yield _jsonld_nodes(serialise(header, "jsonld"), "c")
    for index, record in enumerate(public_records(store, settings, profile=profile)):
        text = record_text(store, record, profile)
        document = _record_document(text, catalog, record.uri, "jsonld")
        yield _jsonld_nodes(document, f"r{index}")


def _jsonld_nodes(text: bytes, scope: str) -> list[dict[str, Any]]:
    document = json.loads(text)
    nodes = document.get("@graph", [document])
    return [_renamed_blank_nodes(node, scope) for node in nodes]


def _renamed_blank_nodes(value: Any, scope: str) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                f"_:{scope}-{item[2:]}"
                if key == "@id" and isinstance(item, str) and item.startswith("_:")
                else _renamed_blank_nodes(item, scope)
            )
            for key, item in value.items()
            if key != "@context"
        }
    if isinstance(value, list):
        return [_renamed_blank_nodes(item, scope) for item in value]
    return value


def _rdfxml_chunks(
    store: Store, settings: Settings, header: Graph, catalog: URIRef, profile: Profile
) -> Iterator[bytes]:
    declarations = " ".join(
        f'xmlns:{prefix}="{namespace}"' for prefix, namespace in _XML_NAMESPACES.items()
    )
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF {declarations}>\n'.encode()
    yield _rdfxml_body(serialise(header, "rdf"), "c")
    for index, record in enumerate(public_records(store, settings, profile=profile)):
        text = record_text(store, record, profile)
        document = _record_document(text, catalog, record.uri, "rdf")
        yield _rdfxml_body(document, f"r{index}")
    yield b"</rdf:RDF>\n"


def _rdfxml_body(document: bytes, scope: str) -> bytes:
    """The elements inside one document's rdf:RDF, its blank nodes renamed into `scope`.

    Every prefix the document declares must mean what the export's root declares, or the
    elements would change meaning when moved; pyoxigraph writes other namespaces inline.
    """
    start = _ROOT_START.match(document)
    if start is None:
        raise ValueError("unexpected RDF/XML document: no rdf:RDF root")
    for declaration in _DECLARATION.finditer(start["declarations"]):
        prefix, namespace = declaration["prefix"].decode(), declaration["namespace"].decode()
        if _XML_NAMESPACES.get(prefix) != namespace:
            raise ValueError(f"prefix {prefix!r} is bound to {namespace!r} in a record")
    body = document[start.end() :].rstrip()
    if not body.endswith(b"</rdf:RDF>"):
        raise ValueError("unexpected RDF/XML document: no closing rdf:RDF")
    body = body[: -len(b"</rdf:RDF>")]
    renamed = _NODE_ID.sub(
        lambda match: b'rdf:nodeID="' + scope.encode() + b"-" + match["label"] + b'"', body
    )
    return renamed.strip(b"\n") + b"\n"
