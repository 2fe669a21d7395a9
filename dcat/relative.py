"""Relative references in harvested RDF, kept recognisable instead of resolved blindly.

A portal that writes `rdf:resource="CSV"` or `vcard:hasEmail rdf:resource="office@amt.de"`
means a code or an address, not a file next to its catalog. Resolving such a reference against
the harvest address (what an RDF parser does) would store `http://host/path/CSV` and show it as
a link. So harvested documents are parsed against RELATIVE_BASE, an address that cannot be
mistaken for a real one (the `.invalid` top-level domain is reserved by RFC 2606), and then:

- nodes the document describes (it states something about them: datasets, distributions,
  the page's own Hydra view) take the document's address as their base, as RDF prescribes,
  because their identity is what other triples link to;
- references to nothing described stay under RELATIVE_BASE for normalisation, which repairs
  them where the meaning is certain and reports the rest (dcat.normalise.relative);
- the empty reference (`rdf:about=""`, `rdf:resource=""`) is never rebased: portals write it
  where they have no value (a theme concept without IRI), not to mean the document itself.
"""

from __future__ import annotations

from urllib.parse import urljoin

from rdflib import Graph, URIRef
from rdflib.term import Node

RELATIVE_BASE = "http://relative.invalid/"


def is_relative_reference(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(RELATIVE_BASE)


def written_reference(node: Node) -> str:
    """What the document wrote, without the stand-in base."""
    return str(node)[len(RELATIVE_BASE) :]


def rebase_described_nodes(graph: Graph, address: str) -> int:
    """Give described nodes with relative IRIs the document's address as base; in place.

    Returns how many distinct nodes were rebased.
    """
    described = {
        node
        for node in graph.subjects(unique=True)
        if is_relative_reference(node) and written_reference(node)
    }
    if not described:
        return 0
    renamed = {node: URIRef(urljoin(address, written_reference(node))) for node in described}
    for triple in list(graph):
        subject, predicate, obj = triple
        if subject in renamed or obj in renamed:
            graph.remove(triple)
            graph.add((renamed.get(subject, subject), predicate, renamed.get(obj, obj)))
    return len(renamed)


def absolute_link(link: Node, address: str) -> str:
    """A paging or sub-catalog link as an absolute address, resolved against the page's."""
    text = str(link).strip()
    if is_relative_reference(link):
        text = written_reference(link)
    return urljoin(address, text)
