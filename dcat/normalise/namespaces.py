"""Namespace rules: terms of older DCAT-AP.de releases and deprecated properties, brought to 2.0."""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Graph, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCATAP, DCATDE, SCHEMA
from dcat.normalise.base import (
    Change,
    NormalisationContext,
    Rule,
    add_object,
    record,
    remove_object,
    replace_object,
    short_text,
)
from dcat.normalise.vocabulary_aliases import concept_for
from dcat.vocabularies import AVAILABILITY, upgrade_dcatde_namespace

# dcat-ap.de vocabulary IRIs are minted as http://dcat-ap.de/def/...; portals (Rostock) write the
# address of the web page, https://www.dcat-ap.de/def/..., which names no concept.
_DCAT_AP_DE_WEB_ADDRESS = re.compile(
    r"^(https://(www\.)?|http://www\.)dcat-ap\.de/def/"
    r"(?P<rest>(contributors|politicalGeocoding|hashAlgorithms|datasetTypes|licenses|"
    r"plannedAvailability)/.+)$"
)
DCAT_AP_DE_DEF = "http://dcat-ap.de/def/"
_DCATDE_WEB_ADDRESS = re.compile(r"^(https://(www\.)?|http://www\.)dcat-ap\.de/def/dcatde/")


def _upgraded_term(node: Node) -> URIRef | None:
    """The DCAT-AP.de 2.0 form of a term from a legacy dcatde namespace, else None.

    Only terms: a bare namespace IRI (dct:conformsTo <.../dcatde/1.1/>) names the release the
    record conforms to and keeps its meaning.
    """
    if not isinstance(node, URIRef):
        return None
    # Rostock writes https://www.dcat-ap.de/def/dcatde/1.1/: the web address of the namespace.
    upgraded = upgrade_dcatde_namespace(_DCATDE_WEB_ADDRESS.sub(DCAT_AP_DE_DEF + "dcatde/", node))
    if upgraded == str(node) or upgraded in (str(DCATDE), str(DCATDE).rstrip("/")):
        return None
    return URIRef(upgraded)


def upgrade_dcatde_terms(graph: Graph, context: NormalisationContext) -> list[Change]:
    rule = DCATDE_RULE.name
    what_de = "Begriff aus älterem DCAT-AP.de-Namensraum auf 2.0 umgestellt"
    what_en = "term from an older DCAT-AP.de namespace moved to 2.0"
    changes: list[Change] = []
    for subject, predicate, obj in list(graph):
        if not isinstance(predicate, URIRef):
            continue
        new_predicate = _upgraded_term(predicate) or predicate
        new_object = _upgraded_term(obj) or obj
        if new_predicate == predicate and new_object == obj:
            continue
        graph.remove((subject, predicate, obj))
        graph.add((subject, new_predicate, new_object))
        if new_predicate != predicate:  # the property itself: before/after name the properties
            changes.append(
                record(rule, subject, new_predicate, predicate, new_predicate, what_de, what_en)
            )
        if new_object != obj:
            changes.append(record(rule, subject, new_predicate, obj, new_object, what_de, what_en))
    return changes


def canonical_dcat_ap_de_iri(node: Node) -> URIRef | None:
    if not isinstance(node, URIRef):
        return None
    match = _DCAT_AP_DE_WEB_ADDRESS.match(str(node))
    return URIRef(DCAT_AP_DE_DEF + match["rest"]) if match else None


def canonicalise_dcat_ap_de_iris(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for subject, predicate, obj in list(graph):
        canonical = canonical_dcat_ap_de_iri(obj)
        if canonical is None or not isinstance(predicate, URIRef):
            continue
        changes.append(
            replace_object(
                graph,
                subject,
                predicate,
                obj,
                canonical,
                DCAT_AP_DE_IRI_RULE.name,
                "dcat-ap.de-Vokabular-IRI in kanonischer Form (http://dcat-ap.de/def/…)",
                "dcat-ap.de vocabulary IRI in canonical form (http://dcat-ap.de/def/…)",
            )
        )
    return changes


def availability_for(value: Node) -> URIRef | None:
    """The EU planned-availability concept a dcatde:plannedAvailability value names."""
    if isinstance(value, URIRef) and str(value) in AVAILABILITY:
        return value
    resolved = concept_for(value, AVAILABILITY)
    return URIRef(resolved) if resolved else None


def replace_planned_availability(graph: Graph, context: NormalisationContext) -> list[Change]:
    """dcatde:plannedAvailability (deprecated in 2.0, removed in 3.0) -> dcatap:availability."""
    return _replace_deprecated(
        graph,
        DCATDE.plannedAvailability,
        DCATAP.availability,
        availability_for,
        PLANNED_AVAILABILITY_RULE.name,
    )


def replace_schema_period_dates(graph: Graph, context: NormalisationContext) -> list[Change]:
    """schema:startDate/endDate (deprecated in 2.0) -> dcat:startDate/endDate, values unchanged."""
    rule = SCHEMA_DATES_RULE.name
    return [
        *_replace_deprecated(graph, SCHEMA.startDate, DCAT.startDate, _same, rule),
        *_replace_deprecated(graph, SCHEMA.endDate, DCAT.endDate, _same, rule),
    ]


def _same(value: Node) -> Node:
    return value


def _replace_deprecated(
    graph: Graph,
    deprecated: URIRef,
    current: URIRef,
    value_for: Callable[[Node], Node | None],
    rule: str,
) -> list[Change]:
    """Move a deprecated property's value to its successor.

    Moved only where the subject has one value and no successor value; dropped where it repeats
    the successor's value; left for the steward where the two disagree or there are several.
    """
    changes: list[Change] = []
    for subject in sorted(set(graph.subjects(deprecated, None)), key=str):
        values = list(graph.objects(subject, deprecated))
        new = value_for(values[0]) if len(values) == 1 else None
        existing = set(graph.objects(subject, current))
        if new is None or (existing and existing != {new}):
            continue
        what_de, what_en = "veraltete Eigenschaft entfernt", "deprecated property removed"
        if not existing:
            what_de = f"veraltete Eigenschaft durch {short_text(current)} ersetzt"
            what_en = f"deprecated property replaced by {short_text(current)}"
        changes.append(remove_object(graph, subject, deprecated, values[0], rule, what_de, what_en))
        if not existing:
            what_de = f"Wert aus {short_text(deprecated)} übernommen"
            what_en = f"value taken over from {short_text(deprecated)}"
            changes.append(add_object(graph, subject, current, new, rule, what_de, what_en))
    return changes


DCATDE_RULE = Rule(
    name="dcatde-namespace",
    label_de="Alter DCAT-AP.de-Namensraum ersetzt",
    label_en="old DCAT-AP.de namespace replaced",
    description_de=(
        "Eigenschaften, Typen und Werte aus den DCAT-AP.de-Namensräumen 1.0, 1.0.1 und 1.1 "
        "auf den Namensraum http://dcat-ap.de/def/dcatde/ umstellen."
    ),
    description_en=(
        "Move properties, types and values from the DCAT-AP.de 1.0, 1.0.1 and 1.1 namespaces "
        "to the namespace http://dcat-ap.de/def/dcatde/."
    ),
    apply=upgrade_dcatde_terms,
)

DCAT_AP_DE_IRI_RULE = Rule(
    name="dcat-ap-de-iri",
    label_de="DCAT-AP.de-Adressen vereinheitlicht",
    label_en="DCAT-AP.de addresses made canonical",
    description_de=(
        "Vokabular-IRIs von dcat-ap.de, die als Web-Adresse (https://www.dcat-ap.de/def/…) "
        "geschrieben sind, in die kanonische Form http://dcat-ap.de/def/… bringen."
    ),
    description_en=(
        "Bring dcat-ap.de vocabulary IRIs written as web addresses (https://www.dcat-ap.de/def/…) "
        "to the canonical form http://dcat-ap.de/def/…."
    ),
    apply=canonicalise_dcat_ap_de_iris,
)

SCHEMA_DATES_RULE = Rule(
    name="schema-period-dates",
    label_de="Zeitraum mit DCAT-Angaben",
    label_en="period with DCAT dates",
    description_de=(
        "Veraltetes schema:startDate/schema:endDate eines Zeitraums durch dcat:startDate/"
        "dcat:endDate mit demselben Wert ersetzen, wenn dieses fehlt."
    ),
    description_en=(
        "Replace a period's deprecated schema:startDate/schema:endDate by dcat:startDate/"
        "dcat:endDate with the same value where that is absent."
    ),
    apply=replace_schema_period_dates,
)

PLANNED_AVAILABILITY_RULE = Rule(
    name="planned-availability",
    label_de="Geplante Verfügbarkeit",
    label_en="planned availability",
    description_de=(
        "Veraltetes dcatde:plannedAvailability durch dcatap:availability mit der IRI aus dem "
        "EU-Vokabular ersetzen, wenn dcatap:availability fehlt."
    ),
    description_en=(
        "Replace deprecated dcatde:plannedAvailability by dcatap:availability with the IRI "
        "from the EU vocabulary where dcatap:availability is absent."
    ),
    apply=replace_planned_availability,
)
