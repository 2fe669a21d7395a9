"""A saved dataset form as a graph: the stored graph with only the changed fields replaced.

A field counts as changed when what was sent differs from what the form showed for the stored
graph; only then are its properties (web.steward.form_fields) replaced. So a record from the
CKAN API or a RDF file keeps every triple the form has no field for, a distribution keeps its
byte size and media type when its title changes, and saving an unchanged form changes nothing.
A new record is the same merge into an empty graph.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from catalog.settings import CatalogSettings
from dcat.builder import build_dataset_graph
from dcat.graph_merge import (
    copy_graph,
    copy_values,
    description,
    distributions_in_view_order,
    remove_values,
    replace_texts,
    replace_values,
)
from dcat.hvd import mark_hvd
from dcat.model import DatasetInput
from dcat.namespaces import DCAT, DCATDE, DCT, RDF, new_graph
from dcat.vocabularies import THEMES
from web.steward.dataset_form import (
    dataset_input,
    description_parts,
    distribution_input,
    filled_rows,
    keyword_list,
    parse_day,
)
from web.steward.form_fields import CONTACT_FIELDS, DISTRIBUTION_FIELDS
from web.steward.service_rows import merge_service_publishers

Values = Mapping[str, Any]
_TEXTS = {
    "title_de": (DCT.title, "de"),
    "title_en": (DCT.title, "en"),
    "description_de": (DCT.description, "de"),
    "description_en": (DCT.description, "en"),
    "keywords": (DCAT.keyword, "de"),
}
_ROW_TEXTS = ("access_url", "download_url", "format", "title", "description")


@dataclass(frozen=True)
class MergedForm:
    """The graph to save, and the distribution node of each row of the form (None: empty)."""

    graph: Graph
    rows: list[Node | None]


def merge_form(
    stored: Graph | None, node: Node, before: Values, after: Values, catalog: CatalogSettings
) -> MergedForm:
    """The stored graph (None for a new record) with the fields that changed replaced."""
    target = copy_graph(stored) if stored is not None else _empty(node)
    changed = {name for name, same in _COMPARISONS.items() if not same(before, after)}
    text = geocoding_text(before, after, catalog)
    data = dataset_input(after, catalog, geocoding_text=text)
    built, source = build_dataset_graph(data, uri=str(node) if isinstance(node, URIRef) else None)
    for name, (predicate, language) in _TEXTS.items():
        if name in changed:
            replace_texts(target, node, built, source, predicate, language)
    if "themes" in changed:
        replace_values(target, node, built, source, (DCAT.theme,), keep=lambda v: v not in THEMES)
    if "frequency" in changed:
        replace_values(target, node, built, source, (DCT.accrualPeriodicity,))
    if "whole_city" in changed:
        _replace_geocoding(target, node, built, source, catalog)
    if "districts" in changed:
        uris = {d.uri for d in catalog.districts if d.uri}
        replace_values(
            target, node, built, source, (DCT.spatial,), keep=lambda v: str(v) not in uris
        )
        replace_texts(target, node, built, source, DCATDE.geocodingDescription, "de")
    if changed & {"temporal_start", "temporal_end"}:
        replace_values(target, node, built, source, (DCT.temporal,))
    if changed & {"publisher_name", "publisher_homepage"}:
        replace_values(target, node, built, source, (DCT.publisher,))
    contact_changes = changed & set(CONTACT_FIELDS)
    if contact_changes:
        _replace_contact(target, node, built, source, contact_changes)
    rows = _merge_distributions(target, node, stored, before, after)
    merge_service_publishers(target, node, stored, before, after)
    categories = list(dict.fromkeys(after.get("hvd_categories") or ()))
    added_row = any(row is not None and row not in _stored_rows(stored, node) for row in rows)
    if "hvd_categories" in changed or (categories and added_row):
        # The marking follows the ticked categories on the dataset, every distribution and
        # access service; none ticked takes the regulation away from all of them.
        mark_hvd(target, node, categories)
    return MergedForm(graph=target, rows=rows)


def _stored_rows(stored: Graph | None, node: Node) -> set[Node]:
    return {n for n, _ in distributions_in_view_order(stored, node)} if stored else set()


def geocoding_text(before: Values, after: Values, catalog: CatalogSettings) -> str:
    """The chosen districts' names, after any other words the stored description had."""
    names = {d.name for d in catalog.districts}
    kept = [
        part for part in description_parts(before.get("geocoding_description")) if part not in names
    ]
    chosen = [d.name for d in catalog.districts if d.name in set(after.get("districts") or [])]
    return ", ".join([*kept, *chosen])


def _empty(node: Node) -> Graph:
    graph = new_graph()
    graph.add((node, RDF.type, DCAT.Dataset))
    return graph


def _text(name: str) -> Callable[[Values, Values], bool]:
    return lambda a, b: (a.get(name) or "").strip() == (b.get(name) or "").strip()


def _set(name: str) -> Callable[[Values, Values], bool]:
    return lambda a, b: set(a.get(name) or ()) == set(b.get(name) or ())


def _day(name: str) -> Callable[[Values, Values], bool]:
    return lambda a, b: parse_day(a.get(name)) == parse_day(b.get(name))


def _keywords(a: Values, b: Values) -> bool:
    return {w.casefold() for w in keyword_list(a)} == {w.casefold() for w in keyword_list(b)}


_COMPARISONS: dict[str, Callable[[Values, Values], bool]] = {
    **{name: _text(name) for name in _TEXTS if name != "keywords"},
    "keywords": _keywords,
    "themes": _set("themes"),
    "frequency": _text("frequency"),
    "hvd_categories": _set("hvd_categories"),
    "whole_city": lambda a, b: bool(a.get("whole_city")) == bool(b.get("whole_city")),
    "districts": _set("districts"),
    "temporal_start": _day("temporal_start"),
    "temporal_end": _day("temporal_end"),
    "publisher_name": _text("publisher_name"),
    "publisher_homepage": _text("publisher_homepage"),
    **{name: _text(name) for name in CONTACT_FIELDS},
}


def _replace_geocoding(
    target: Graph, node: Node, built: Graph, source: Node, catalog: CatalogSettings
) -> None:
    city = catalog.political_geocoding
    if city is None:
        return
    uri, level = URIRef(city.uri), URIRef(city.level)
    replace_values(
        target, node, built, source, (DCATDE.politicalGeocodingURI,), keep=lambda v: v != uri
    )
    has_geocoding = (node, DCATDE.politicalGeocodingURI, None) in target
    if has_geocoding and (node, DCATDE.politicalGeocodingLevelURI, None) not in target:
        target.add((node, DCATDE.politicalGeocodingLevelURI, level))
    if not has_geocoding:
        target.remove((node, DCATDE.politicalGeocodingLevelURI, level))


def _replace_contact(
    target: Graph, node: Node, built: Graph, source: Node, changed: set[str]
) -> None:
    """Changed parts of the contact on its stored node (an address or type on it stays)."""
    stored = _first_node(target, node, DCAT.contactPoint)
    new = _first_node(built, source, DCAT.contactPoint)
    if new is None:
        remove_values(target, node, (DCAT.contactPoint,))
    elif stored is None:
        copy_values(built, source, target, node, (DCAT.contactPoint,))
    else:
        for name in changed:
            replace_values(target, stored, built, new, CONTACT_FIELDS[name])


def _merge_distributions(
    target: Graph, node: Node, stored: Graph | None, before: Values, after: Values
) -> list[Node | None]:
    stored_nodes = [n for n, _ in distributions_in_view_order(stored, node)] if stored else []
    old_rows = list(before.get("distributions") or [])
    rows: list[Node | None] = [None] * len(after.get("distributions") or [])
    kept: set[int] = set()
    for index, row in filled_rows(after):
        origin = _origin(row, len(stored_nodes))
        if origin is not None and origin not in kept and origin < len(old_rows):
            kept.add(origin)
            rows[index] = stored_nodes[origin]
            _update_distribution(target, stored_nodes[origin], row, old_rows[origin], before, after)
        else:
            rows[index] = _add_distribution(target, node, row, after)
    for origin, gone in enumerate(stored_nodes):
        if origin not in kept:
            _remove_distribution(target, node, gone)
    return rows


def _update_distribution(
    target: Graph, node: Node, row: Values, old: Values, before: Values, after: Values
) -> None:
    built, built_node = _distribution_graph(row, after)
    changed = [name for name in _ROW_TEXTS if (old.get(name) or "") != (row.get(name) or "")]
    old_licence = old.get("licence") or before.get("licence") or ""
    new_licence = row.get("licence") or after.get("licence") or ""
    if old_licence != new_licence:
        changed += ["licence", "attribution"]
    elif (before.get("attribution") or "") != (after.get("attribution") or ""):
        changed.append("attribution")
    for name in changed:
        replace_values(target, node, built, built_node, DISTRIBUTION_FIELDS[name])
    if (node, RDF.type, DCAT.Distribution) not in target:
        target.add((node, RDF.type, DCAT.Distribution))


def _add_distribution(target: Graph, node: Node, row: Values, after: Values) -> Node:
    built, built_node = _distribution_graph(row, after)
    target.add((node, DCAT.distribution, built_node))
    for triple in description(built, built_node):
        target.add(triple)
    return built_node


def _remove_distribution(target: Graph, node: Node, gone: Node) -> None:
    remove_values(target, node, (DCAT.distribution,), keep=lambda v: v != gone)
    if not isinstance(gone, BNode) and (None, None, gone) not in target:
        for triple in description(target, gone):
            target.remove(triple)


def _distribution_graph(row: Values, after: Values) -> tuple[Graph, Node]:
    """The row built on its own, to take its properties from."""
    data = DatasetInput(title={"de": "-"}, distributions=(distribution_input(row, after),))
    graph, dataset = build_dataset_graph(data)
    built_node = next(iter(graph.objects(dataset, DCAT.distribution)))
    return graph, built_node


def _origin(row: Values, count: int) -> int | None:
    text = str(row.get("origin") or "").strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) < count else None


def _first_node(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    # The node dcat.view reads: IRIs before blank nodes, then by text.
    nodes = [o for o in graph.objects(subject, predicate) if isinstance(o, URIRef | BNode)]
    nodes.sort(key=lambda value: (isinstance(value, BNode), str(value)))
    return nodes[0] if nodes else None
