"""Reading DCAT-AP.de 3.0: its terms brought to the stored (2.0) form where 2.0 has one."""

from __future__ import annotations

from rdflib import Graph, URIRef

from dcat.normalise.base import Change, NormalisationContext, Rule, record
from dcat.profile_v3 import stored_form_of_v3


def store_v3_terms_in_2_0_form(graph: Graph, context: NormalisationContext) -> list[Change]:
    """Apply dcat.profile_v3's reverse mapping in place and name every triple it changed.

    Renamed terms and list values come back as their 2.0 equivalents (render_v3 turns them
    into 3.0 again); what 3.0 adds without a 2.0 term stays as delivered.
    """
    del context
    stored = stored_form_of_v3(graph)
    removed = [triple for triple in graph if triple not in stored]
    if not removed:
        return []
    added = [triple for triple in stored if triple not in graph]
    what_de = "DCAT-AP.de-3.0-Angabe in die gespeicherte 2.0-Form gebracht"
    what_en = "DCAT-AP.de 3.0 statement brought to the stored 2.0 form"
    changes = []
    for subject, predicate, obj in removed:
        graph.remove((subject, predicate, obj))
        if isinstance(predicate, URIRef):
            changes.append(
                record(V3_TERMS_RULE.name, subject, predicate, obj, None, what_de, what_en)
            )
    for subject, predicate, obj in added:
        graph.add((subject, predicate, obj))
        if isinstance(predicate, URIRef):
            changes.append(
                record(V3_TERMS_RULE.name, subject, predicate, None, obj, what_de, what_en)
            )
    return changes


V3_TERMS_RULE = Rule(
    name="dcat-ap-de-3-terms",
    label_de="DCAT-AP.de 3.0",
    label_en="DCAT-AP.de 3.0",
    description_de=(
        "Begriffe aus DCAT-AP.de 3.0 mit einer 2.0-Entsprechung in diese bringen (dcat:version, "
        "SPDX-Prüfverfahren, EU-Distributionsstatus, locn:Geometry-Knoten ...); was 3.0 "
        "darüber hinaus sagt, bleibt unverändert erhalten."
    ),
    description_en=(
        "Bring DCAT-AP.de 3.0 terms that have a 2.0 equivalent to it (dcat:version, SPDX "
        "checksum algorithms, EU distribution status, locn:Geometry nodes ...); whatever else "
        "3.0 says is kept unchanged."
    ),
    apply=store_v3_terms_in_2_0_form,
)
