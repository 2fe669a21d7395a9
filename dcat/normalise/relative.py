"""Relative references (see dcat.relative): repaired where the meaning is certain, else kept as
the text the source wrote, so that nothing shows a made-up address as a link.

An e-mail address becomes its mailto: IRI; an empty reference, which names nothing, is removed
(the record then lacks the property, and the report says so); anything else becomes the literal
text, which the later rules read as they read any text (a format token like "CSV" becomes the
EU file type, a "www." address a web address), and which validation reports where the profile
needs an IRI.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from dcat.normalise.base import Change, NormalisationContext, Rule, remove_object, replace_object
from dcat.normalise.urls import mailto_from_text
from dcat.relative import is_relative_reference, written_reference


def repair_relative_references(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for subject, predicate, value in list(graph):
        if not isinstance(value, URIRef) or not isinstance(predicate, URIRef):
            continue
        if not is_relative_reference(value):
            continue
        text = written_reference(value)
        if not text.strip():
            changes.extend(_remove_empty_reference(graph, subject, predicate, value))
            continue
        mailto = mailto_from_text(text)
        if mailto is not None:
            after: URIRef | Literal = URIRef(mailto)
            what_de = "relative Referenz als E-Mail-Adresse gelesen"
            what_en = "relative reference read as an e-mail address"
        else:
            after = Literal(text)
            what_de = "relative Referenz ohne sichere Bedeutung als Text übernommen"
            what_en = "relative reference without a certain meaning kept as text"
        changes.append(
            replace_object(
                graph, subject, predicate, value, after, RELATIVE_RULE.name, what_de, what_en
            )
        )
    return changes


def _remove_empty_reference(
    graph: Graph, subject: Node, predicate: URIRef, value: URIRef
) -> list[Change]:
    """Drop a link to the empty reference, and what the document said about that non-node."""
    changes = [
        remove_object(
            graph,
            subject,
            predicate,
            value,
            RELATIVE_RULE.name,
            'leere Referenz (rdf:resource="") entfernt: sie nennt nichts',
            'empty reference (rdf:resource="") removed: it names nothing',
        )
    ]
    if (None, None, value) in graph:
        return changes
    for _, about, said in list(graph.triples((value, None, None))):
        changes.append(
            remove_object(
                graph,
                value,
                about,  # type: ignore[arg-type]
                said,
                RELATIVE_RULE.name,
                'Beschreibung der leeren Referenz (rdf:about="") entfernt',
                'description of the empty reference (rdf:about="") removed',
            )
        )
    return changes


RELATIVE_RULE = Rule(
    name="relative-reference",
    label_de="Relative Verweise",
    label_en="relative references",
    description_de=(
        'Relative Referenzen (rdf:resource="CSV") werden nicht gegen die Abrufadresse '
        "aufgelöst: E-Mail-Adressen werden zu mailto:, alles andere zum geschriebenen Text."
    ),
    description_en=(
        'Relative references (rdf:resource="CSV") are not resolved against the harvest '
        "address: e-mail addresses become mailto:, everything else the text as written."
    ),
    apply=repair_relative_references,
)
