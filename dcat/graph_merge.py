"""Changing some properties of a stored dataset graph while every other triple stays as it was.

A form shows only part of what a record may hold (a CKAN package or a harvested RDF dataset
brings properties no form has a field for). Saving a form therefore replaces the values of
the properties it manages, with the blank nodes that describe them, and leaves the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, RDF, new_graph
from dcat.view import DistributionView, dataset_view

Keep = Callable[[Node], bool]
_PROBE = URIRef("urn:stadtkatalog:probe-dataset")


def description(graph: Graph, node: Node) -> Graph:
    """The triples of a node and, recursively, of the blank nodes it reaches."""
    found = Graph(store="SimpleMemory", bind_namespaces="none")
    pending, seen = [node], {node}
    while pending:
        subject = pending.pop()
        for predicate, obj in graph.predicate_objects(subject):
            found.add((subject, predicate, obj))
            if isinstance(obj, BNode) and obj not in seen:
                seen.add(obj)
                pending.append(obj)
    return found


def remove_values(
    graph: Graph, subject: Node, predicates: Iterable[URIRef], keep: Keep | None = None
) -> None:
    """Unlink the values of these properties; a blank value loses its description too,
    unless something else still points at it. Values for which `keep` is true stay."""
    for predicate in predicates:
        for value in list(graph.objects(subject, predicate)):
            if keep is not None and keep(value):
                continue
            graph.remove((subject, predicate, value))
            if isinstance(value, BNode) and (None, None, value) not in graph:
                for triple in description(graph, value):
                    graph.remove(triple)


def copy_values(
    source: Graph,
    source_subject: Node,
    target: Graph,
    target_subject: Node,
    predicates: Iterable[URIRef],
    accept: Keep | None = None,
) -> None:
    """Add the source's values of these properties, with the description of each node value."""
    for predicate in predicates:
        for value in source.objects(source_subject, predicate):
            if accept is not None and not accept(value):
                continue
            target.add((target_subject, predicate, value))
            if not isinstance(value, Literal):
                for triple in description(source, value):
                    target.add(triple)


def replace_values(
    target: Graph,
    subject: Node,
    source: Graph,
    source_subject: Node,
    predicates: Sequence[URIRef],
    keep: Keep | None = None,
) -> None:
    """The values of these properties as the source has them (values `keep` accepts stay)."""
    remove_values(target, subject, predicates, keep)
    copy_values(source, source_subject, target, subject, predicates)


def language_group(literal: Node, language: str) -> bool:
    """Whether a text belongs to what a form shows for `language` ("" also takes untagged ones).

    The German field of a form shows German and untagged texts, as dcat.view reads them.
    """
    if not isinstance(literal, Literal):
        return False
    tag = (literal.language or "").lower().split("-")[0]
    return tag == language or (language == "de" and not tag)


def texts_in(graph: Graph, node: Node, predicate: URIRef, language: str) -> list[str]:
    """The texts of one language group, sorted, each once (case ignored)."""
    found: dict[str, str] = {}
    for value in graph.objects(node, predicate):
        text = str(value).strip()
        if text and language_group(value, language):
            found.setdefault(text.casefold(), text)
    return sorted(found.values(), key=str.casefold)


def text_in(graph: Graph, node: Node, predicate: URIRef, language: str) -> str:
    """The first text of one language group ("" when there is none)."""
    texts = sorted(
        str(v).strip() for v in graph.objects(node, predicate) if language_group(v, language)
    )
    return next((text for text in texts if text), "")


def replace_texts(
    target: Graph,
    subject: Node,
    source: Graph,
    source_subject: Node,
    predicate: URIRef,
    language: str,
) -> None:
    """The texts of one language (German: with untagged ones) replaced; other languages stay."""
    remove_values(target, subject, (predicate,), keep=lambda v: not language_group(v, language))
    copy_values(
        source,
        source_subject,
        target,
        subject,
        (predicate,),
        accept=lambda v: language_group(v, language),
    )


def distributions_in_view_order(
    graph: Graph, dataset: Node, lang: str = "de"
) -> list[tuple[Node, DistributionView]]:
    """The dataset's distribution nodes with their views, in the order dcat.view lists them.

    A form shows distributions in this order, so a row number names the same node when the
    form is shown and when a finding on that node is placed beside its row.
    """
    pairs = []
    for node in graph.objects(dataset, DCAT.distribution):
        if isinstance(node, Literal):
            continue
        probe = description(graph, node)
        probe.add((_PROBE, RDF.type, DCAT.Dataset))
        probe.add((_PROBE, DCAT.distribution, node))
        [view] = dataset_view(probe, _PROBE, lang=lang).distributions
        pairs.append((node, view))
    pairs.sort(key=lambda pair: (pair[1].title, pair[1].access_url or "", pair[1].uri or ""))
    return pairs


def copy_graph(graph: Graph) -> Graph:
    """A copy with the same nodes (blank nodes keep their identity) and our prefixes."""
    copied = new_graph()
    for triple in graph:
        copied.add(triple)
    return copied


__all__ = [
    "copy_graph",
    "copy_values",
    "description",
    "distributions_in_view_order",
    "language_group",
    "remove_values",
    "replace_texts",
    "replace_values",
    "text_in",
    "texts_in",
]
