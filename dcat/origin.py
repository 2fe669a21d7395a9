"""Where a harvested dataset was listed: the (sub-)catalog of the source and its publisher."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCT, FOAF


@dataclass(frozen=True)
class AgentDescription:
    """An agent as a publisher default needs it: a name, and its IRI where there is one."""

    name: str
    uri: str | None = None


@dataclass(frozen=True)
class CatalogOrigin:
    """The catalog that lists a dataset: its IRI (None for a blank node), title and publisher.

    `publisher` is set only when the catalog names a described agent (with foaf:name): a bare
    IRI, such as a platform vendor's, says nothing a dataset could take over.
    """

    iri: str | None
    title: str | None
    publisher: AgentDescription | None

    def fingerprint(self) -> str:
        return repr(self)


def listing_catalog(graph: Graph, dataset: Node, lang: str = "de") -> CatalogOrigin | None:
    """The catalog that links `dataset` by dcat:dataset in this document, if exactly one does."""
    catalogs = sorted(set(graph.subjects(DCAT.dataset, dataset)), key=str)
    if len(catalogs) != 1:
        return None
    catalog = catalogs[0]
    return CatalogOrigin(
        iri=str(catalog) if isinstance(catalog, URIRef) else None,
        title=_text(graph, catalog, DCT.title, lang),
        publisher=described_agent(graph, graph.value(catalog, DCT.publisher), lang),
    )


def described_agent(graph: Graph, node: Node | None, lang: str = "de") -> AgentDescription | None:
    """The agent `node` as the graph describes it, if it has a foaf:name."""
    if not isinstance(node, URIRef | BNode):
        return None
    name = _text(graph, node, FOAF.name, lang)
    if name is None:
        return None
    return AgentDescription(name=name, uri=str(node) if isinstance(node, URIRef) else None)


def _text(graph: Graph, node: Node, predicate: URIRef, lang: str) -> str | None:
    values = [value for value in graph.objects(node, predicate) if isinstance(value, Literal)]
    if not values:
        return None
    preferred = [value for value in values if value.language in (lang, None)]
    chosen = sorted(preferred or values, key=lambda value: (value.language or "", str(value)))
    text = str(chosen[0]).strip()
    return text or None
