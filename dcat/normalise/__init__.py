"""Normalisation: a pipeline of small named rules that repair what has exactly one correct reading.

Each rule records every change it makes (a Change, in German and English) so the steward sees
what was repaired. Nothing is invented: no title, no description, no licence; what a rule cannot
read unambiguously stays as it was, for validation to report.

Adding a rule: write a Rule (name, descriptions, function (graph, context) -> list[Change]) in
the module of its group and put it into RULES at the place where its inputs are ready.
"""

from __future__ import annotations

from rdflib import Graph

from dcat.namespaces import new_graph
from dcat.normalise.base import (
    Change,
    NormalisationContext,
    NormalisationResult,
    Rule,
    SourceRules,
)
from dcat.normalise.byte_sizes import BYTE_SIZE_RULE
from dcat.normalise.control_characters import CONTROL_CHARACTER_RULE
from dcat.normalise.dates import DATE_RULE
from dcat.normalise.defaults import (
    CONTRIBUTOR_RULE,
    GEOCODING_RULE,
    PUBLISHER_RULE,
    SOURCE_DEFAULTS_RULE,
)
from dcat.normalise.formats import FORMAT_RULE, MEDIA_TYPE_RULE
from dcat.normalise.geometry import GEOMETRY_RULE
from dcat.normalise.mappings import MAPPING_RULE
from dcat.normalise.namespaces import (
    DCAT_AP_DE_IRI_RULE,
    DCATDE_RULE,
    PLANNED_AVAILABILITY_RULE,
    SCHEMA_DATES_RULE,
)
from dcat.normalise.node_kinds import AGENT_NAME_RULE, NODE_KIND_RULE, RANGE_TYPE_RULE
from dcat.normalise.profile_v3 import V3_TERMS_RULE
from dcat.normalise.relative import RELATIVE_RULE
from dcat.normalise.urls import IRI_ESCAPE_RULE, MAILTO_RULE, URL_RULE
from dcat.normalise.vocabulary_aliases import (
    AVAILABILITY_RULE,
    FREQUENCY_RULE,
    LANGUAGE_RULE,
    LICENCE_PLACEHOLDER_RULE,
    LICENCE_RULE,
    THEME_RULE,
)

# Order matters where one rule reads what another writes: control characters out of every
# text before any rule reads one, namespaces next (later rules look
# for dcatde: terms), relative references to text, the steward's mappings before the alias
# rules (they name the source's own values), text to IRIs before vocabulary look-ups, types
# and names before defaults, defaults last (they only fill what is still missing).
RULES: tuple[Rule, ...] = (
    CONTROL_CHARACTER_RULE,
    DCATDE_RULE,
    DCAT_AP_DE_IRI_RULE,
    PLANNED_AVAILABILITY_RULE,
    SCHEMA_DATES_RULE,
    V3_TERMS_RULE,
    RELATIVE_RULE,
    MAPPING_RULE,
    LICENCE_PLACEHOLDER_RULE,
    AVAILABILITY_RULE,
    URL_RULE,
    MAILTO_RULE,
    IRI_ESCAPE_RULE,
    NODE_KIND_RULE,
    LICENCE_RULE,
    FORMAT_RULE,
    MEDIA_TYPE_RULE,
    THEME_RULE,
    LANGUAGE_RULE,
    FREQUENCY_RULE,
    DATE_RULE,
    BYTE_SIZE_RULE,
    GEOMETRY_RULE,
    RANGE_TYPE_RULE,
    AGENT_NAME_RULE,
    PUBLISHER_RULE,
    SOURCE_DEFAULTS_RULE,
    CONTRIBUTOR_RULE,
    GEOCODING_RULE,
)

DEFAULT_CONTEXT = NormalisationContext()


def normalise(
    graph: Graph,
    context: NormalisationContext = DEFAULT_CONTEXT,
    *,
    in_place: bool = False,
) -> NormalisationResult:
    """Run every rule over a dataset graph or a whole catalog graph.

    By default the caller's graph is left untouched and result.graph is a new graph (with our
    prefixes bound). With in_place=True the rules change `graph` itself and result.graph is that
    same object: for bulk harvesting, where the copy would be thrown away anyway.
    """
    target = graph if in_place else _copy(graph)
    changes: list[Change] = []
    for rule in RULES:
        changes.extend(rule(target, context))
    return NormalisationResult(graph=target, changes=changes)


def rule_named(name: str) -> Rule:
    """The rule with this name (KeyError naming the known rules if there is none)."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(f"unknown normalisation rule {name!r}; known: {[r.name for r in RULES]}")


def _copy(graph: Graph) -> Graph:
    copy = new_graph()
    add = copy.store.add
    for triple in graph:
        add(triple, copy, quoted=False)
    return copy


__all__ = [
    "DEFAULT_CONTEXT",
    "RULES",
    "Change",
    "NormalisationContext",
    "NormalisationResult",
    "Rule",
    "SourceRules",
    "normalise",
    "rule_named",
]
