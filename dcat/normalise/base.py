"""What every normalisation rule shares: the change record, the catalog context, the rule type."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from dcat.namespaces import new_graph


@dataclass(frozen=True)
class Change:
    """One repair a rule made, for the steward to see: where, what before, what after.

    `before`/`after` are terms in N-Triples notation (`<iri>`, `"text"^^<datatype>`); None when a
    value was added or removed. `property` is the full IRI of the predicate.
    """

    rule: str
    subject: str
    property: str
    before: str | None
    after: str | None
    message_de: str
    message_en: str


@dataclass(frozen=True)
class NormalisationContext:
    """What the catalog's config knows, used only to fill properties a dataset lacks.

    `language` is the catalog's language, passed along with the rest of the config; no rule
    writes language-dependent text.
    """

    contributor_id: URIRef | None = None
    publisher_name: str | None = None
    publisher_uri: URIRef | None = None
    political_geocoding_level_uri: URIRef | None = None
    political_geocoding_uri: URIRef | None = None
    language: str = "de"


@dataclass
class NormalisationResult:
    """The normalised graph and every change made to reach it, in rule order."""

    graph: Graph
    changes: list[Change]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def changes_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.rule] = counts.get(change.rule, 0) + 1
        return counts


RuleFunction = Callable[[Graph, NormalisationContext], list[Change]]


@dataclass(frozen=True)
class Rule:
    """A named repair. Its function changes the graph in place and returns what it changed.

    A rule must repair only what has exactly one correct reading, never invent content, and be
    idempotent: run on its own output it changes nothing.
    """

    name: str
    description_de: str
    description_en: str
    apply: RuleFunction

    def __call__(self, graph: Graph, context: NormalisationContext) -> list[Change]:
        return self.apply(graph, context)


# --- recording changes -----------------------------------------------------------------------


@functools.cache
def _namespace_manager() -> NamespaceManager:
    return new_graph().namespace_manager


def term_text(node: Node | None) -> str | None:
    """A term in N-Triples notation, unambiguous and parseable (None stays None)."""
    if node is None:
        return None
    return node.n3()


def short_text(node: Node) -> str:
    """A term as a steward reads it: prefixed names where our prefixes apply."""
    if isinstance(node, URIRef):
        return _compact(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3(_namespace_manager())


def _compact(iri: URIRef) -> str:
    try:
        prefix, _namespace, local = _namespace_manager().compute_qname(str(iri), generate=False)
    except (KeyError, ValueError):
        return iri.n3()
    return f"{prefix}:{local}" if local else iri.n3()


def subject_text(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def record(
    rule: str,
    subject: Node,
    predicate: URIRef,
    before: Node | None,
    after: Node | None,
    what_de: str,
    what_en: str,
) -> Change:
    """A Change whose messages name the property, the old and the new value."""
    prop = short_text(predicate)
    old = short_text(before) if before is not None else None
    new = short_text(after) if after is not None else None
    if old is None:
        detail_de, detail_en = f"{prop} = {new} ergänzt", f"{prop} = {new} added"
    elif new is None:
        detail_de, detail_en = f"{prop} = {old} entfernt", f"{prop} = {old} removed"
    else:
        detail_de = detail_en = f"{prop}: {old} → {new}"
    return Change(
        rule=rule,
        subject=subject_text(subject),
        property=str(predicate),
        before=term_text(before),
        after=term_text(after),
        message_de=f"{what_de}: {detail_de}",
        message_en=f"{what_en}: {detail_en}",
    )


# --- editing the graph -----------------------------------------------------------------------


def replace_object(
    graph: Graph,
    subject: Node,
    predicate: URIRef,
    before: Node,
    after: Node,
    rule: str,
    what_de: str,
    what_en: str,
) -> Change:
    """Swap one value of a property for its repaired form and record it."""
    graph.remove((subject, predicate, before))
    graph.add((subject, predicate, after))
    return record(rule, subject, predicate, before, after, what_de, what_en)


def replace_literals(
    graph: Graph,
    predicate: URIRef,
    convert: Callable[[str], str | None],
    rule: str,
    what_de: str,
    what_en: str,
) -> list[Change]:
    """Swap each text value of `predicate` that `convert` turns into an IRI; others stay."""
    changes: list[Change] = []
    for subject, value in list(graph.subject_objects(predicate)):
        if not isinstance(value, Literal):
            continue
        iri = convert(str(value))
        if iri is not None:
            changes.append(
                replace_object(
                    graph, subject, predicate, value, URIRef(iri), rule, what_de, what_en
                )
            )
    return changes


def add_object(
    graph: Graph,
    subject: Node,
    predicate: URIRef,
    value: Node,
    rule: str,
    what_de: str,
    what_en: str,
) -> Change:
    graph.add((subject, predicate, value))
    return record(rule, subject, predicate, None, value, what_de, what_en)


def remove_object(
    graph: Graph,
    subject: Node,
    predicate: URIRef,
    value: Node,
    rule: str,
    what_de: str,
    what_en: str,
) -> Change:
    graph.remove((subject, predicate, value))
    return record(rule, subject, predicate, value, None, what_de, what_en)
