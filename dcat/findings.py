"""Which part of a dataset a finding belongs to: the dataset, a distribution, a linked node.

The CKAN API names a finding's package field (dcat.ckan.errors) and the steward's form marks
the field beside it (web.steward.form_fields); both first need to know where in the dataset
the finding is. This is that one placing, and each of them only names its own field for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT
from dcat.validation import ValidationResult


class Part(Enum):
    """Where a finding's focus node stands, seen from the dataset."""

    DATASET = "dataset"  # the dataset node itself
    DISTRIBUTION = "distribution"  # one of its dcat:distribution nodes
    LINKED = "linked"  # another node the dataset points at: publisher, contact point, period...
    ELSEWHERE = "elsewhere"  # no node of this dataset, or none the graph holds


@dataclass(frozen=True)
class Placement:
    """A finding's place; `property` is its path when that is one plain property, else None."""

    part: Part
    property: URIRef | None
    node: Node | None = None  # the distribution or linked node
    position: int | None = None  # a distribution's place in the caller's order, if known
    link: URIRef | None = None  # the dataset's property that points at a linked node


def place_finding(
    result: ValidationResult,
    graph: Graph,
    dataset: Node,
    positions: Mapping[Node, int] | None = None,
) -> Placement:
    """Where `result` belongs in the dataset; only its focus node and path are read.

    `graph` is the graph the report was made of (its blank nodes are the focus nodes),
    `positions` the caller's order of distributions (a CKAN package's resources, a form's
    rows); a distribution missing from it is placed without a position.
    """
    positions = positions or {}
    focus = _node_named(graph, result.focus_node)
    predicate = _plain_property(result.path)
    if focus is None:
        return Placement(Part.ELSEWHERE, predicate)
    if focus == dataset:
        return Placement(Part.DATASET, predicate)
    if focus in positions or (dataset, DCAT.distribution, focus) in graph:
        return Placement(Part.DISTRIBUTION, predicate, focus, positions.get(focus))
    link = _link_to(graph, dataset, focus)
    if link is not None:
        return Placement(Part.LINKED, predicate, focus, link=link)
    return Placement(Part.ELSEWHERE, predicate, focus)


def _node_named(graph: Graph, text: str) -> Node | None:
    """The graph's node a report names ("_:label" for blank nodes, else the IRI)."""
    if text.startswith("_:"):
        wanted = BNode(text[2:])
        return wanted if (wanted, None, None) in graph or (None, None, wanted) in graph else None
    return URIRef(text) if text else None


def _plain_property(path: str | None) -> URIRef | None:
    """The path's property; None for a SHACL path expression ("a|b", "^a", "a*", "a/b")."""
    if not path or not path.startswith(("http://", "https://", "urn:")):
        return None
    if any(mark in path for mark in ("|", "^", "/http:", "/https:")) or path.endswith(
        ("*", "+", "?")
    ):
        return None
    return URIRef(path)


def _link_to(graph: Graph, dataset: Node, node: Node) -> URIRef | None:
    """The property that links the dataset to this node, if one does directly."""
    for predicate in graph.predicates(dataset, node):
        if isinstance(predicate, URIRef):
            return predicate
    return None


__all__ = ["Part", "Placement", "place_finding"]
