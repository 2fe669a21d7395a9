"""Default rules: what a steward configured, added only where a dataset is silent.

Three origins, each named in the revision note: the source's own `defaults` (the steward who
runs the source said so), the (sub-)catalog that lists the dataset in its source (for the
publisher, when that catalog names a described agent), and the catalog's own config (the
city's publisher, contributor ID and political geocoding, `city_defaults`). Never a title, a
description or anything a record says already: a value is added only where the property is
absent, the geocoding level and key only as a pair, and the city's own values never on a record
that names another publisher (a federal record keeps its federal level and gets no city key).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCATDE, DCT, FOAF, RDF, VCARD
from dcat.normalise.base import (
    Change,
    NormalisationContext,
    Rule,
    add_object,
    remove_object,
    replace_object,
)
from dcat.origin import AgentDescription
from dcat.split import dataset_nodes

_FROM_CONFIG_DE = "aus der Katalogkonfiguration ergänzt"
_FROM_CONFIG_EN = "added from the catalog configuration"
_FROM_SOURCE_DE = "aus den Einstellungen der Quelle ergänzt"
_FROM_SOURCE_EN = "added from the source's settings"
# A publisher written as text is a name when it reads like one: letters, and a space or no
# digit ("Stadt Bonn", "Umweltbundesamt"); "t173367" is an opaque key that names nobody.
_NAME_LIKE = re.compile(r"^(?=.*[^\W\d_]{2})(?:(?=.*\s)|(?!.*\d)).{2,}$", re.DOTALL)


# --- whose record is it ---------------------------------------------------------------------


def _publisher_keys(graph: Graph, dataset: Node) -> set[str]:
    """Names (lowercased) and IRIs of the dataset's publisher, as far as the graph says."""
    keys: set[str] = set()
    for agent in graph.objects(dataset, DCT.publisher):
        if isinstance(agent, Literal):
            keys.add(str(agent).strip().lower())
            continue
        if isinstance(agent, URIRef):
            keys.add(str(agent).rstrip("/"))
        keys.update(str(name).strip().lower() for name in graph.objects(agent, FOAF.name))
    keys.discard("")
    return keys


def _own_keys(context: NormalisationContext) -> set[str]:
    keys = {
        key.strip().lower() if "://" not in key else key.rstrip("/")
        for key in context.own_publishers
    }
    if context.publisher_name:
        keys.add(context.publisher_name.strip().lower())
    if context.publisher_uri:
        keys.add(str(context.publisher_uri).rstrip("/"))
    return keys


def city_may_fill(graph: Graph, dataset: Node, context: NormalisationContext) -> bool:
    """Whether the catalog's own values may fill gaps in this dataset."""
    if not context.city_defaults:
        return False
    named = _publisher_keys(graph, dataset)
    return not named or bool(named & _own_keys(context))


# --- filling single values ------------------------------------------------------------------


def _fill(
    graph: Graph,
    datasets: Sequence[Node],
    predicate: URIRef,
    value: Node | None,
    rule: str,
    what_de: str,
    what_en: str,
) -> list[Change]:
    if value is None:
        return []
    return [
        add_object(graph, node, predicate, value, rule, what_de, what_en)
        for node in datasets
        if (node, predicate, None) not in graph
    ]


def _city_datasets(graph: Graph, context: NormalisationContext) -> list[Node]:
    return [node for node in dataset_nodes(graph) if city_may_fill(graph, node, context)]


def fill_contributor_id(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes = _fill(
        graph,
        list(dataset_nodes(graph)),
        DCATDE.contributorID,
        context.source.contributor_id,
        CONTRIBUTOR_RULE.name,
        f"Datenbereitsteller-ID {_FROM_SOURCE_DE}",
        f"contributor ID {_FROM_SOURCE_EN}",
    )
    return changes + _fill(
        graph,
        _city_datasets(graph, context),
        DCATDE.contributorID,
        context.contributor_id,
        CONTRIBUTOR_RULE.name,
        f"Datenbereitsteller-ID {_FROM_CONFIG_DE}",
        f"contributor ID {_FROM_CONFIG_EN}",
    )


def fill_political_geocoding(graph: Graph, context: NormalisationContext) -> list[Change]:
    """Level and key as a pair, only where the dataset has neither (a level alone is a fact)."""
    source = context.source
    changes: list[Change] = []
    for node in dataset_nodes(graph):
        if (node, DCATDE.politicalGeocodingLevelURI, None) in graph or (
            node,
            DCATDE.politicalGeocodingURI,
            None,
        ) in graph:
            continue
        if source.political_geocoding_uri is not None:
            pair = (source.political_geocoding_level_uri, source.political_geocoding_uri)
            origin_de, origin_en = _FROM_SOURCE_DE, _FROM_SOURCE_EN
        elif context.political_geocoding_uri is not None and city_may_fill(graph, node, context):
            pair = (context.political_geocoding_level_uri, context.political_geocoding_uri)
            origin_de, origin_en = _FROM_CONFIG_DE, _FROM_CONFIG_EN
        else:
            continue
        level, key = pair
        if level is not None:
            changes.append(
                add_object(
                    graph,
                    node,
                    DCATDE.politicalGeocodingLevelURI,
                    level,
                    GEOCODING_RULE.name,
                    f"Geokodierungsebene {origin_de}",
                    f"political geocoding level {origin_en}",
                )
            )
        changes.append(
            add_object(
                graph,
                node,
                DCATDE.politicalGeocodingURI,
                key,
                GEOCODING_RULE.name,
                f"politische Geokodierung {origin_de}",
                f"political geocoding {origin_en}",
            )
        )
    return changes


def fill_source_values(graph: Graph, context: NormalisationContext) -> list[Change]:
    """Themes, language, licence and contact point from the source's defaults."""
    source = context.source
    datasets = list(dataset_nodes(graph))
    changes: list[Change] = []
    rule = SOURCE_DEFAULTS_RULE.name
    for node in datasets:
        if source.themes and (node, DCAT.theme, None) not in graph:
            for theme in source.themes:
                changes.append(
                    add_object(
                        graph,
                        node,
                        DCAT.theme,
                        theme,
                        rule,
                        f"Kategorie {_FROM_SOURCE_DE}",
                        f"theme {_FROM_SOURCE_EN}",
                    )
                )
    changes += _fill(
        graph,
        datasets,
        DCT.language,
        source.language,
        rule,
        f"Sprache {_FROM_SOURCE_DE}",
        f"language {_FROM_SOURCE_EN}",
    )
    distributions = sorted(
        {
            *graph.subjects(RDF.type, DCAT.Distribution),
            *(d for node in datasets for d in graph.objects(node, DCAT.distribution)),
        },
        key=str,
    )
    changes += _fill(
        graph,
        [d for d in distributions if not isinstance(d, Literal)],
        DCT.license,
        source.license,
        rule,
        f"Lizenz {_FROM_SOURCE_DE}",
        f"licence {_FROM_SOURCE_EN}",
    )
    if source.contact_email is not None or source.contact_url is not None:
        for node in datasets:
            if (node, DCAT.contactPoint, None) not in graph:
                changes += _add_contact(graph, node, context)
    return changes


def _add_contact(graph: Graph, dataset: Node, context: NormalisationContext) -> list[Change]:
    source = context.source
    contact = BNode()
    rule = SOURCE_DEFAULTS_RULE.name
    what_de, what_en = f"Kontaktstelle {_FROM_SOURCE_DE}", f"contact point {_FROM_SOURCE_EN}"
    changes = [add_object(graph, contact, RDF.type, VCARD.Organization, rule, what_de, what_en)]
    if source.contact_name:
        changes.append(
            add_object(
                graph, contact, VCARD.fn, Literal(source.contact_name), rule, what_de, what_en
            )
        )
    if source.contact_email is not None:
        changes.append(
            add_object(graph, contact, VCARD.hasEmail, source.contact_email, rule, what_de, what_en)
        )
    if source.contact_url is not None:
        changes.append(
            add_object(graph, contact, VCARD.hasURL, source.contact_url, rule, what_de, what_en)
        )
    changes.append(add_object(graph, dataset, DCAT.contactPoint, contact, rule, what_de, what_en))
    return changes


# --- the publisher --------------------------------------------------------------------------


def fill_publisher(graph: Graph, context: NormalisationContext) -> list[Change]:
    """A publisher for datasets that have none, or only an opaque text key.

    A text that reads as a name becomes an agent with that name. Otherwise, in this order: the
    source's default publisher, the described agent of the catalog that lists the dataset, the
    city's publisher (city_defaults). An opaque key is replaced only when one of them applies,
    and the revision names which.
    """
    changes: list[Change] = []
    for node in dataset_nodes(graph):
        opaque: list[Literal] = []
        for value in sorted(graph.objects(node, DCT.publisher), key=str):
            if isinstance(value, Literal):
                if _NAME_LIKE.match(str(value).strip()):
                    changes += _name_to_agent(graph, node, value)
                else:
                    opaque.append(value)
        if any(not isinstance(v, Literal) for v in graph.objects(node, DCT.publisher)):
            continue
        chosen = _publisher_default(graph, node, context)
        if chosen is None:
            continue
        agent_description, what_de, what_en = chosen
        for value in opaque:
            changes.append(
                remove_object(
                    graph,
                    node,
                    DCT.publisher,
                    value,
                    PUBLISHER_RULE.name,
                    "Herausgeber nur als nichtssagender Schlüssel angegeben, ersetzt",
                    "publisher given only as an opaque key, replaced",
                )
            )
        agent: URIRef | BNode = URIRef(agent_description.uri) if agent_description.uri else BNode()
        changes += _describe_agent(graph, agent, agent_description.name, what_de, what_en)
        changes.append(
            add_object(graph, node, DCT.publisher, agent, PUBLISHER_RULE.name, what_de, what_en)
        )
    return changes


def _publisher_default(
    graph: Graph, node: Node, context: NormalisationContext
) -> tuple[AgentDescription, str, str] | None:
    if context.source.publisher is not None:
        return (
            context.source.publisher,
            f"Herausgeber {_FROM_SOURCE_DE}",
            f"publisher {_FROM_SOURCE_EN}",
        )
    origin = context.origin
    if origin is not None and origin.publisher is not None:
        label = origin.title or origin.iri or ""
        return (
            origin.publisher,
            f"Herausgeber vom Katalog übernommen, der den Datensatz listet ({label})",
            f"publisher taken from the catalog that lists the dataset ({label})",
        )
    name = context.publisher_name.strip() if context.publisher_name else None
    uri = context.publisher_uri
    if not context.city_defaults:
        return None
    if not name:
        if uri is None or (uri, FOAF.name, None) not in graph:
            return None
        name = str(graph.value(uri, FOAF.name))
    return (
        AgentDescription(name=name, uri=str(uri) if uri else None),
        f"Herausgeber {_FROM_CONFIG_DE}",
        f"publisher {_FROM_CONFIG_EN}",
    )


def _name_to_agent(graph: Graph, dataset: Node, value: Literal) -> list[Change]:
    agent = BNode()
    changes = _describe_agent(
        graph,
        agent,
        str(value).strip(),
        "Herausgeber als Text: als Akteur mit diesem Namen geschrieben",
        "publisher given as text: written as an agent of that name",
    )
    changes.append(
        replace_object(
            graph,
            dataset,
            DCT.publisher,
            value,
            agent,
            PUBLISHER_RULE.name,
            "Herausgeber als Text: als Akteur mit diesem Namen geschrieben",
            "publisher given as text: written as an agent of that name",
        )
    )
    return changes


def _describe_agent(
    graph: Graph, agent: Node, name: str | None, what_de: str, what_en: str
) -> list[Change]:
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
                f"Typ: {what_de}",
                f"type: {what_en}",
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
                f"Name: {what_de}",
                f"name: {what_en}",
            )
        )
    return changes


CONTRIBUTOR_RULE = Rule(
    name="contributor-id-default",
    label_de="Kennung des Datenbereitstellers ergänzt",
    label_en="contributor ID added",
    description_de=(
        "dcatde:contributorID aus den Einstellungen der Quelle, sonst der Stadt (nicht bei "
        "Datensätzen anderer Herausgeber), wo ein Datensatz keine hat."
    ),
    description_en=(
        "dcatde:contributorID from the source's settings, else the city's (not on other "
        "publishers' datasets), where a dataset has none."
    ),
    apply=fill_contributor_id,
)

PUBLISHER_RULE = Rule(
    name="publisher-default",
    label_de="Herausgeber ergänzt",
    label_en="publisher added",
    description_de=(
        "dct:publisher, wo ein Datensatz keinen oder nur einen nichtssagenden Schlüssel hat: aus "
        "den Einstellungen der Quelle, vom listenden Katalog oder aus der Konfiguration."
    ),
    description_en=(
        "dct:publisher where a dataset has none or only an opaque key: from the source's "
        "settings, the listing catalog or the config."
    ),
    apply=fill_publisher,
)

GEOCODING_RULE = Rule(
    name="political-geocoding-default",
    label_de="Politischer Raumbezug ergänzt",
    label_en="political geocoding added",
    description_de=(
        "dcatde:politicalGeocodingLevelURI und dcatde:politicalGeocodingURI als Paar aus den "
        "Einstellungen der Quelle, sonst der Stadt, wo ein Datensatz keins von beiden hat."
    ),
    description_en=(
        "dcatde:politicalGeocodingLevelURI and dcatde:politicalGeocodingURI as a pair from the "
        "source's settings, else the city's, where a dataset has neither."
    ),
    apply=fill_political_geocoding,
)

SOURCE_DEFAULTS_RULE = Rule(
    name="source-defaults",
    label_de="Vorgaben der Quelle ergänzt",
    label_en="the source's defaults added",
    description_de=(
        "Kategorien, Sprache, Lizenz der Distributionen und Kontaktstelle aus den Einstellungen "
        "der Quelle, wo ein Datensatz sie nicht hat."
    ),
    description_en=(
        "Themes, language, distribution licence and contact point from the source's settings "
        "where a dataset lacks them."
    ),
    apply=fill_source_values,
)
