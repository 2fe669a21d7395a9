"""Mapping rule: the source's own licence, theme and format values, as a steward mapped them.

Portals have their own lists ("Nutzungsbedingungen der LHP", a theme IRI of the portal's own
taxonomy) that no vocabulary knows. The steward who runs the source maps them once in its
settings (`mappings:`); this rule replaces exactly those values, compared as delivered (text or
IRI, surrounding whitespace ignored), and leaves everything else to the alias rules.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from dcat.namespaces import DCAT, DCT
from dcat.normalise.base import Change, NormalisationContext, Rule, replace_object


def apply_source_mappings(graph: Graph, context: NormalisationContext) -> list[Change]:
    source = context.source
    tables = (
        (DCT.license, dict(source.license_map), "Lizenz", "licence"),
        (DCAT.theme, dict(source.theme_map), "Kategorie", "theme"),
        (DCT.format, dict(source.format_map), "Format", "format"),
    )
    changes: list[Change] = []
    for predicate, table, label_de, label_en in tables:
        if not table:
            continue
        for subject, value in list(graph.subject_objects(predicate)):
            if not isinstance(value, URIRef | Literal):
                continue
            target = table.get(str(value).strip())
            if target is None or target == value:
                continue
            changes.append(
                replace_object(
                    graph,
                    subject,
                    predicate,
                    value,
                    target,
                    MAPPING_RULE.name,
                    f"{label_de} nach der Zuordnung in den Einstellungen der Quelle",
                    f"{label_en} as mapped in the source's settings",
                )
            )
    return changes


MAPPING_RULE = Rule(
    name="source-mapping",
    label_de="Zuordnungen der Quelle",
    label_en="the source's mappings",
    description_de=(
        "Lizenzen, Kategorien und Formate, die die Einstellungen der Quelle (mappings:) einem "
        "Wert aus DCAT-AP.de zuordnen, werden durch diesen ersetzt."
    ),
    description_en=(
        "Licences, themes and formats that the source's settings (mappings:) map to a "
        "DCAT-AP.de value are replaced by it."
    ),
    apply=apply_source_mappings,
)
