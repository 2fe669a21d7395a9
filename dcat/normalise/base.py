"""What every normalisation rule shares: the change record, the catalog context, the rule type."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from dcat.namespaces import new_graph
from dcat.origin import AgentDescription, CatalogOrigin


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
    # What was done, without the values ("Herausgeber aus der Katalogkonfiguration ergänzt"):
    # the revision note groups changes by it.
    what_de: str = field(default="", compare=False)
    what_en: str = field(default="", compare=False)


@dataclass(frozen=True)
class SourceRules:
    """What a steward said about one source's records: defaults for what they leave out, and
    mappings from the source's own values (exact text or IRI) to DCAT-AP.de concepts.

    Everything is already resolved to IRIs (catalog.settings checks the codes), so rules only
    compare and add. Tuples keep the object hashable and its repr stable for the fingerprint.
    """

    publisher: AgentDescription | None = None
    contact_name: str | None = None
    contact_email: URIRef | None = None  # a mailto: IRI
    contact_url: URIRef | None = None
    license: URIRef | None = None
    contributor_id: URIRef | None = None
    political_geocoding_level_uri: URIRef | None = None
    political_geocoding_uri: URIRef | None = None
    themes: tuple[URIRef, ...] = ()
    language: URIRef | None = None
    license_map: tuple[tuple[str, URIRef], ...] = ()
    theme_map: tuple[tuple[str, URIRef], ...] = ()
    format_map: tuple[tuple[str, URIRef], ...] = ()


@dataclass(frozen=True)
class NormalisationContext:
    """What the config knows, used only to fill what a dataset lacks, never over what it says.

    The catalog's own publisher, contributor ID and geocoding (`city_defaults`) fill gaps only
    in sources of the city's own departments, and never in a record that names a publisher
    other than the city or one of `own_publishers` (names and IRIs of its departments).
    `source` holds the source's own defaults and mappings; `origin` the catalog that listed
    the record in its source (set per record by the harvest). `language` is the catalog's.
    """

    contributor_id: URIRef | None = None
    publisher_name: str | None = None
    publisher_uri: URIRef | None = None
    political_geocoding_level_uri: URIRef | None = None
    political_geocoding_uri: URIRef | None = None
    language: str = "de"
    city_defaults: bool = True
    own_publishers: frozenset[str] = frozenset()
    source: SourceRules = SourceRules()
    origin: CatalogOrigin | None = None


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
    # What a steward reads in a revision note ("Herausgeber ergänzt"), beside the name.
    label_de: str
    label_en: str
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
    if isinstance(node, URIRef):
        return f"<{node}>"  # also an IRI that rdflib refuses to write (a repair's `before`)
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
        return f"<{iri}>"
    return f"{prefix}:{local}" if local else f"<{iri}>"


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
        what_de=what_de,
        what_en=what_en,
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
