"""Hydra paging triples for catalog pages: PartialCollectionView and the legacy PagedCollection."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from dcat.namespaces import HYDRA, RDF, new_graph


def catalog_page_graph(
    catalog_node: URIRef,
    page_url: str,
    *,
    first: str,
    next: str | None = None,
    previous: str | None = None,
    last: str | None = None,
    total_items: int | None = None,
    items_per_page: int,
    legacy: bool = False,
) -> Graph:
    """The paging triples of one catalog page, to merge into the page's header graph.

    Page addresses are IRIs (harvesters follow them as links; literals, as some portals write
    them, are not links). `legacy=True` writes hydra:PagedCollection, which ckanext-dcat and
    older harvesters read; the default is the current hydra:PartialCollectionView.
    """
    graph = new_graph()
    page = URIRef(page_url)
    if legacy:
        _add_paged_collection(graph, page, first, next, previous, last, total_items, items_per_page)
    else:
        _add_partial_collection_view(graph, catalog_node, page, first, next, previous, last)
        graph.add((catalog_node, RDF.type, HYDRA.Collection))
        if total_items is not None:
            graph.add((catalog_node, HYDRA.totalItems, _integer(total_items)))
    return graph


def _add_partial_collection_view(
    graph: Graph,
    catalog_node: URIRef,
    page: URIRef,
    first: str,
    next_page: str | None,
    previous: str | None,
    last: str | None,
) -> None:
    graph.add((catalog_node, HYDRA.view, page))
    graph.add((page, RDF.type, HYDRA.PartialCollectionView))
    links = {HYDRA.first: first, HYDRA.next: next_page, HYDRA.previous: previous, HYDRA.last: last}
    _add_links(graph, page, links)


def _add_paged_collection(
    graph: Graph,
    page: URIRef,
    first: str,
    next_page: str | None,
    previous: str | None,
    last: str | None,
    total_items: int | None,
    items_per_page: int,
) -> None:
    graph.add((page, RDF.type, HYDRA.PagedCollection))
    links = {
        HYDRA.firstPage: first,
        HYDRA.nextPage: next_page,
        HYDRA.previousPage: previous,
        HYDRA.lastPage: last,
    }
    _add_links(graph, page, links)
    graph.add((page, HYDRA.itemsPerPage, _integer(items_per_page)))
    if total_items is not None:
        graph.add((page, HYDRA.totalItems, _integer(total_items)))


def _add_links(graph: Graph, page: URIRef, links: dict[URIRef, str | None]) -> None:
    for predicate, url in links.items():
        if url is not None:
            graph.add((page, predicate, URIRef(url)))


def _integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


__all__ = ["catalog_page_graph"]
