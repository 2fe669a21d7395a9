"""The dataset form's access services: who publishes each one (dct:publisher of a
dcat:DataService, mandatory in DCAT-AP.de 3.0).

Services come from the source or the CKAN API; the form shows each stored one and lets the
steward state its publisher, by name and address, or by ticking "the dataset's publisher" (a
visible choice: the catalog never copies the dataset's publisher by itself, because who runs a
service is a fact of its own). Each row carries `origin`, the number of the stored service
in services_in_form_order, so saving changes exactly that node.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from dcat.builder import build_dataset_graph
from dcat.graph_merge import distributions_in_view_order, remove_values, replace_values, text_in
from dcat.model import AgentInput, DataServiceInput, DatasetInput, DistributionInput
from dcat.namespaces import DCAT, DCT, FOAF

Values = Mapping[str, Any]
_PLACEHOLDER = "https://stadtkatalog.invalid/"  # only to build a service node to copy from


def services_in_form_order(graph: Graph, dataset: Node) -> list[Node]:
    """The dataset's access service nodes: by distribution as the view lists them, then as
    dcat.view orders a distribution's services (IRIs first, then by text)."""
    found: list[Node] = []
    for distribution, _ in distributions_in_view_order(graph, dataset):
        services = [s for s in graph.objects(distribution, DCAT.accessService) if _is_node(s)]
        services.sort(key=lambda value: (isinstance(value, BNode), str(value)))
        found.extend(service for service in services if service not in found)
    return found


def service_rows(graph: Graph, dataset: Node) -> list[dict[str, Any]]:
    """One row per stored service: what it is (shown, not saved) and its publisher."""
    dataset_publisher = graph.value(dataset, DCT.publisher)
    rows = []
    for index, service in enumerate(services_in_form_order(graph, dataset)):
        publisher = _first_node(graph, service, DCT.publisher)
        same = publisher is not None and publisher == dataset_publisher
        rows.append(
            {
                "origin": str(index),
                "title": text_in(graph, service, DCT.title, "de"),
                "endpoint": str(graph.value(service, DCAT.endpointURL) or ""),
                "publisher_same": same,
                "publisher_name": "" if same or publisher is None else _name(graph, publisher),
                "publisher_uri": str(publisher)
                if isinstance(publisher, URIRef) and not same
                else "",
            }
        )
    return rows


def merge_service_publishers(
    target: Graph, dataset: Node, stored: Graph | None, before: Values, after: Values
) -> None:
    """Replace the publisher of each service whose row changed; a ticked "as the dataset"
    links the dataset's publisher node (as it is after the save) and follows its changes."""
    if stored is None:
        return
    nodes = services_in_form_order(stored, dataset)
    old_rows = list(before.get("services") or [])
    publisher_changed = any(
        (before.get(name) or "") != (after.get(name) or "")
        for name in ("publisher_name", "publisher_homepage")
    )
    for row in after.get("services") or []:
        origin = _origin(row, min(len(nodes), len(old_rows)))
        if origin is None or not _still_linked(target, dataset, nodes[origin]):
            continue
        old = old_rows[origin]
        same = bool(row.get("publisher_same"))
        if _row_key(row) == _row_key(old) and not (same and publisher_changed):
            continue
        _set_publisher(target, dataset, nodes[origin], row)


def _set_publisher(target: Graph, dataset: Node, service: Node, row: Values) -> None:
    dataset_publisher = target.value(dataset, DCT.publisher)
    if row.get("publisher_same") and dataset_publisher is not None:
        remove_values(target, service, (DCT.publisher,))
        target.add((service, DCT.publisher, dataset_publisher))
        return
    agent = service_publisher(row)
    built, built_service = _service_graph(agent)
    replace_values(target, service, built, built_service, (DCT.publisher,))


def service_publisher(row: Values) -> AgentInput | None:
    """The publisher the row names (not the "as the dataset" choice); None when blank."""
    name = str(row.get("publisher_name") or "").strip()
    uri = str(row.get("publisher_uri") or "").strip()
    return AgentInput(name=name, uri=uri or None) if name else None


def _service_graph(agent: AgentInput | None) -> tuple[Graph, Node]:
    """A service built on its own with this publisher, to take the publisher from."""
    service = DataServiceInput(title={"de": "-"}, endpoint_url=_PLACEHOLDER, publisher=agent)
    distribution = DistributionInput(access_url=_PLACEHOLDER, access_services=(service,))
    graph, _ = build_dataset_graph(DatasetInput(title={"de": "-"}, distributions=(distribution,)))
    return graph, next(iter(graph.subjects(DCAT.endpointURL, URIRef(_PLACEHOLDER))))


def _row_key(row: Values) -> tuple[bool, str, str]:
    return (
        bool(row.get("publisher_same")),
        str(row.get("publisher_name") or "").strip(),
        str(row.get("publisher_uri") or "").strip(),
    )


def _still_linked(target: Graph, dataset: Node, service: Node) -> bool:
    """Whether a distribution the dataset keeps still offers the service."""
    return any(
        (distribution, DCAT.accessService, service) in target
        for distribution in target.objects(dataset, DCAT.distribution)
    )


def _origin(row: Values, count: int) -> int | None:
    text = str(row.get("origin") or "").strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) < count else None


def _first_node(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    nodes = [o for o in graph.objects(subject, predicate) if _is_node(o)]
    nodes.sort(key=lambda value: (isinstance(value, BNode), str(value)))
    return nodes[0] if nodes else None


def _is_node(value: Node) -> bool:
    return isinstance(value, URIRef | BNode)


def _name(graph: Graph, agent: Node) -> str:
    return text_in(graph, agent, FOAF.name, "de") or str(graph.value(agent, FOAF.name) or "")


def drop_origins(rows: Sequence[Any]) -> None:
    """Forget which stored service each row showed (the record changed meanwhile)."""
    for row in rows:
        row.form.origin.data = ""


__all__ = [
    "merge_service_publishers",
    "service_publisher",
    "service_rows",
    "services_in_form_order",
]
