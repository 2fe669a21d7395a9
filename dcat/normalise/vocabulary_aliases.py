"""Alias rules: licences, themes, languages, frequencies and availability written the way people
write them ("CC BY 4.0", "Umwelt", an IRI with https or a trailing slash) become the concept IRI
of the controlled vocabulary DCAT-AP.de prescribes. What the vocabulary cannot resolve stays.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCATAP, DCT
from dcat.normalise.base import (
    Change,
    NormalisationContext,
    Rule,
    RuleFunction,
    remove_object,
    replace_object,
)
from dcat.vocabularies import AVAILABILITY, FREQUENCIES, LANGUAGES, LICENSES, THEMES, Vocabulary

_SCHEME_AND_WWW = re.compile(r"^https?://(www\.)?", re.IGNORECASE)


def _without_scheme(iri: str) -> str:
    return _SCHEME_AND_WWW.sub("", iri)


def concept_for(value: Node, vocabulary: Vocabulary) -> str | None:
    """The concept IRI a value stands for, or None if it is one already or cannot be resolved.

    A value inside the vocabulary's own namespace that the vocabulary does not know as a whole
    (".../frequency/IRREGULAR", Bremen) is resolved by what follows the namespace ("IRREGULAR" is
    the label of IRREG); other IRIs only as a whole, so a foreign IRI is never read by its tail.
    """
    if not isinstance(value, URIRef | Literal):
        return None
    text = str(value).strip()
    if not text or (isinstance(value, URIRef) and text in vocabulary):
        return None
    iri = vocabulary.resolve(text)
    if iri is None:
        rest = _rest_in_namespace(text, vocabulary.scheme)
        iri = vocabulary.resolve(rest) if rest else None
    if iri is None or (isinstance(value, URIRef) and iri == text):
        return None
    return iri


def _rest_in_namespace(text: str, scheme: str) -> str | None:
    namespace = _without_scheme(scheme).rstrip("/").lower() + "/"
    bare = _without_scheme(text)
    if not bare.lower().startswith(namespace):
        return None
    return bare[len(namespace) :].strip("/") or None


def map_values_to_vocabulary(
    graph: Graph,
    predicate: URIRef,
    vocabulary: Vocabulary,
    rule: str,
    what_de: str,
    what_en: str,
) -> list[Change]:
    """Replace each value of `predicate` that resolves to a concept by the concept IRI."""
    changes: list[Change] = []
    for subject, value in list(graph.subject_objects(predicate)):
        iri = concept_for(value, vocabulary)
        if iri is None:
            continue
        changes.append(
            replace_object(graph, subject, predicate, value, URIRef(iri), rule, what_de, what_en)
        )
    return changes


def _alias_rule(
    name: str,
    predicate: URIRef,
    vocabulary: Vocabulary,
    label_de: str,
    label_en: str,
) -> Rule:
    what_de = f"{label_de} auf das kontrollierte Vokabular abgebildet"
    what_en = f"{label_en} mapped to the controlled vocabulary"

    def apply(graph: Graph, context: NormalisationContext) -> list[Change]:
        return map_values_to_vocabulary(graph, predicate, vocabulary, name, what_de, what_en)

    function: RuleFunction = apply
    return Rule(
        name=name,
        label_de=f"{label_de} aus dem Vokabular",
        label_en=f"{label_en} from the vocabulary",
        description_de=(
            f"{label_de} ({predicate.n3()}) als Text, Alias oder abweichende IRI wird zur IRI aus "
            f"<{vocabulary.scheme}>; Unbekanntes bleibt unverändert."
        ),
        description_en=(
            f"{label_en} ({predicate.n3()}) given as text, alias or variant IRI becomes the IRI "
            f"from <{vocabulary.scheme}>; unknown values stay as they are."
        ),
        apply=function,
    )


LICENCE_RULE = _alias_rule("licence-alias", DCT.license, LICENSES, "Lizenz", "licence")
THEME_RULE = _alias_rule("theme-alias", DCAT.theme, THEMES, "Kategorie", "theme")
LANGUAGE_RULE = _alias_rule("language-alias", DCT.language, LANGUAGES, "Sprache", "language")
FREQUENCY_RULE = _alias_rule(
    "frequency-alias", DCT.accrualPeriodicity, FREQUENCIES, "Aktualisierungsintervall", "frequency"
)
AVAILABILITY_RULE = _alias_rule(
    "availability-alias", DCATAP.availability, AVAILABILITY, "Verfügbarkeit", "availability"
)


# CKAN's licence id and title for "no licence given" (ckan/model/license.py): a placeholder,
# not a licence. Removed, so that the record lacks a licence and says so, and a steward's
# default licence for the source can fill the gap.
LICENCE_PLACEHOLDERS = frozenset(
    {"notspecified", "license not specified", "lizenz nicht angegeben"}
)


def remove_licence_placeholders(graph: Graph, context: NormalisationContext) -> list[Change]:
    return [
        remove_object(
            graph,
            subject,
            DCT.license,
            value,
            LICENCE_PLACEHOLDER_RULE.name,
            "Platzhalter für 'keine Lizenz angegeben' entfernt",
            "placeholder for 'no licence given' removed",
        )
        for subject, value in list(graph.subject_objects(DCT.license))
        if isinstance(value, Literal) and str(value).strip().lower() in LICENCE_PLACEHOLDERS
    ]


LICENCE_PLACEHOLDER_RULE = Rule(
    name="licence-placeholder",
    label_de="Platzhalter statt Lizenz entfernt",
    label_en="placeholder instead of a licence removed",
    description_de=(
        "dct:license \"notspecified\" (CKANs Kennung für 'Lizenz nicht angegeben') ist keine "
        "Lizenz und wird entfernt."
    ),
    description_en=(
        "dct:license \"notspecified\" (CKAN's id for 'License not specified') is no licence and "
        "is removed."
    ),
    apply=remove_licence_placeholders,
)
