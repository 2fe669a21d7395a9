"""Default rules: what the catalog's config says of every dataset, added where a dataset lacks it.

Only on datasets (dcat.split.dataset_nodes), only when the property is absent, and only what the
config holds: a contributor ID, the publisher and the political geocoding. Never a title, a
description or a licence: those only the publisher of a dataset can say.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCATDE, DCT, FOAF, RDF
from dcat.normalise.base import Change, NormalisationContext, Rule, add_object
from dcat.split import dataset_nodes

_FROM_CONFIG_DE = "aus der Katalogkonfiguration ergänzt"
_FROM_CONFIG_EN = "added from the catalog configuration"


def _fill_missing(
    graph: Graph, predicate: URIRef, value: URIRef | None, rule: str, what_de: str, what_en: str
) -> list[Change]:
    if value is None:
        return []
    return [
        add_object(graph, node, predicate, value, rule, what_de, what_en)
        for node in dataset_nodes(graph)
        if (node, predicate, None) not in graph
    ]


def fill_contributor_id(graph: Graph, context: NormalisationContext) -> list[Change]:
    return _fill_missing(
        graph,
        DCATDE.contributorID,
        context.contributor_id,
        CONTRIBUTOR_RULE.name,
        f"Datenbereitsteller-ID {_FROM_CONFIG_DE}",
        f"contributor ID {_FROM_CONFIG_EN}",
    )


def fill_political_geocoding(graph: Graph, context: NormalisationContext) -> list[Change]:
    return [
        *_fill_missing(
            graph,
            DCATDE.politicalGeocodingLevelURI,
            context.political_geocoding_level_uri,
            GEOCODING_RULE.name,
            f"Geokodierungsebene {_FROM_CONFIG_DE}",
            f"political geocoding level {_FROM_CONFIG_EN}",
        ),
        *_fill_missing(
            graph,
            DCATDE.politicalGeocodingURI,
            context.political_geocoding_uri,
            GEOCODING_RULE.name,
            f"politische Geokodierung {_FROM_CONFIG_DE}",
            f"political geocoding {_FROM_CONFIG_EN}",
        ),
    ]


def fill_publisher(graph: Graph, context: NormalisationContext) -> list[Change]:
    """Link datasets without a publisher to the catalog's publisher, a foaf:Agent with a name.

    An agent without foaf:name violates DCAT-AP, so a config with only a URI fills nothing unless
    the graph itself already names that URI.
    """
    name = context.publisher_name.strip() if context.publisher_name else None
    uri = context.publisher_uri
    named_in_graph = uri is not None and (uri, FOAF.name, None) in graph
    if not name and not named_in_graph:
        return []
    changes: list[Change] = []
    for node in dataset_nodes(graph):
        if (node, DCT.publisher, None) in graph:
            continue
        agent: URIRef | BNode = uri if uri is not None else BNode()
        changes.extend(_describe_agent(graph, agent, name))
        changes.append(
            add_object(
                graph,
                node,
                DCT.publisher,
                agent,
                PUBLISHER_RULE.name,
                f"Herausgeber {_FROM_CONFIG_DE}",
                f"publisher {_FROM_CONFIG_EN}",
            )
        )
    return changes


def _describe_agent(graph: Graph, agent: Node, name: str | None) -> list[Change]:
    """Type and name of the publisher node, each only where the graph does not have it yet."""
    changes: list[Change] = []
    if (agent, RDF.type, FOAF.Agent) not in graph:
        changes.append(
            add_object(
                graph,
                agent,
                RDF.type,
                FOAF.Agent,
                PUBLISHER_RULE.name,
                f"Typ des Herausgebers {_FROM_CONFIG_DE}",
                f"publisher type {_FROM_CONFIG_EN}",
            )
        )
    if name and (agent, FOAF.name, None) not in graph:
        changes.append(
            add_object(
                graph,
                agent,
                FOAF.name,
                Literal(name),
                PUBLISHER_RULE.name,
                f"Name des Herausgebers {_FROM_CONFIG_DE}",
                f"publisher name {_FROM_CONFIG_EN}",
            )
        )
    return changes


CONTRIBUTOR_RULE = Rule(
    name="contributor-id-default",
    description_de="dcatde:contributorID aus der Konfiguration, wo ein Datensatz keine hat.",
    description_en="dcatde:contributorID from the config where a dataset has none.",
    apply=fill_contributor_id,
)

PUBLISHER_RULE = Rule(
    name="publisher-default",
    description_de=(
        "dct:publisher (foaf:Agent mit foaf:name, IRI falls konfiguriert) aus der Konfiguration, "
        "wo ein Datensatz keinen hat."
    ),
    description_en=(
        "dct:publisher (a foaf:Agent with foaf:name, the IRI if configured) from the config "
        "where a dataset has none."
    ),
    apply=fill_publisher,
)

GEOCODING_RULE = Rule(
    name="political-geocoding-default",
    description_de=(
        "dcatde:politicalGeocodingLevelURI und dcatde:politicalGeocodingURI aus der "
        "Konfiguration, wo ein Datensatz sie nicht hat."
    ),
    description_en=(
        "dcatde:politicalGeocodingLevelURI and dcatde:politicalGeocodingURI from the config "
        "where a dataset lacks them."
    ),
    apply=fill_political_geocoding,
)
