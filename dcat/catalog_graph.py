"""The dcat:Catalog that our catalog documents describe themselves with (DCAT-AP.de 2.0)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from dcat.namespaces import DCAT, DCT, FOAF, RDF, new_graph
from dcat.vocabularies import LANGUAGES, THEMES


@dataclass(frozen=True)
class CatalogDescription:
    """What the operator's config says about the catalog itself."""

    uri: str
    title: str
    description: str
    language: str
    publisher_name: str
    publisher_uri: str | None = None
    homepage: str | None = None
    # English texts beside those in `language`, written as @en literals where given.
    title_en: str = ""
    description_en: str = ""


def catalog_graph(
    catalog: CatalogDescription,
    dataset_uris: Iterable[str],
    *,
    modified: datetime | None = None,
) -> Graph:
    """The catalog node with its mandatory and recommended properties and its datasets."""
    graph = new_graph()
    node = URIRef(catalog.uri)
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCT.title, Literal(catalog.title, lang=catalog.language)))
    description = catalog.description or catalog.title
    graph.add((node, DCT.description, Literal(description, lang=catalog.language)))
    if catalog.language != "en":
        if catalog.title_en:
            graph.add((node, DCT.title, Literal(catalog.title_en, lang="en")))
        if catalog.description_en:
            graph.add((node, DCT.description, Literal(catalog.description_en, lang="en")))
    publisher = URIRef(catalog.publisher_uri) if catalog.publisher_uri else BNode()
    graph.add((node, DCT.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(catalog.publisher_name)))
    language = LANGUAGES.resolve(catalog.language)
    if language is not None:
        graph.add((node, DCT.language, URIRef(language)))
    graph.add((node, DCAT.themeTaxonomy, URIRef(THEMES.scheme)))
    if catalog.homepage:
        graph.add((node, FOAF.homepage, URIRef(catalog.homepage)))
    if modified is not None:
        stamp = modified.replace(microsecond=0).isoformat()
        graph.add((node, DCT.modified, Literal(stamp, datatype=XSD.dateTime)))
    for uri in dataset_uris:
        graph.add((node, DCAT.dataset, URIRef(uri)))
    return graph


__all__ = ["CatalogDescription", "catalog_graph"]
