"""SHACL findings named as CKAN fields, for the CKAN API's "Validation Error" objects.

dcat.findings places a finding; dcat.ckan.fields names the field of that place. One on the
dataset node names its property's package field (dct:description -> "notes"); one on a
distribution goes to "resources", a list with one object per resource of the input as CKAN
shapes it ({"resources": [{}, {"url": [...]}]}); one on a publisher, contact or period names
the field that fills it ("publisher_name", "contact_email", "temporal_start"). What cannot be
told goes under GENERAL_KEY.
Messages are the report's, in the caller's language or German then English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from dcat.bilingual import Bilingual
from dcat.ckan import fields
from dcat.ckan.fields import Level, keys
from dcat.findings import Part, place_finding
from dcat.namespaces import DCAT, DCT
from dcat.validation import ValidationResult

GENERAL_KEY = "general"
RESOURCES_KEY = fields.RESOURCES.key


def ckan_field_errors(
    results: Iterable[ValidationResult],
    graph: Graph,
    dataset: Node,
    resources: Sequence[Mapping[str, Any]] = (),
    language: str | None = None,
) -> dict[str, Any]:
    """{field: [messages]}, with "resources" as one {field: [messages]} per input resource.

    `results` are the findings of a report on `graph`, `resources` the package's resources
    in their input order, which lets a distribution's finding name its resource's position.
    Messages are in `language` ("de" or "en"), or German then English when it is None.
    """
    errors: dict[str, list[str]] = {}
    per_resource: dict[int, dict[str, list[str]]] = {}
    positions = _resource_positions(graph, dataset, resources)
    for result in results:
        message = _message(result, language)
        place = place_finding(result, graph, dataset, positions)
        if place.part is Part.DATASET:
            _add(errors, _dataset_field(place.property), message)
        elif place.part is Part.DISTRIBUTION:
            _add_resource(errors, per_resource, place.position, place.property, message, resources)
        elif place.part is Part.LINKED and place.link is not None:
            _add(errors, _linked_field(place.link, place.property), message)
        else:
            _add(errors, GENERAL_KEY, message)
    result_dict: dict[str, Any] = dict(errors)
    if per_resource:
        count = max(len(resources), max(per_resource) + 1)
        result_dict[RESOURCES_KEY] = [per_resource.get(i, {}) for i in range(count)]
    return result_dict


def message_text(message_de: str, message_en: str) -> str:
    """How a finding reads in an error object: German, then English."""
    if message_de and message_en and message_de != message_en:
        return f"{message_de} / {message_en}"
    return message_de or message_en


def _message(result: ValidationResult, language: str | None) -> str:
    if language is not None:
        return Bilingual(result.message_de, result.message_en).in_language(language)
    return message_text(result.message_de, result.message_en)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    found = errors.setdefault(field, [])
    if message not in found:
        found.append(message)


def _add_resource(
    errors: dict[str, list[str]],
    per_resource: dict[int, dict[str, list[str]]],
    position: int | None,
    predicate: URIRef | None,
    message: str,
    resources: Sequence[Mapping[str, Any]],
) -> None:
    row = fields.field_for(Level.RESOURCE, predicate) if predicate else None
    if row is fields.RESOURCE_LICENSE and not _own_licence(resources, position):
        _add(errors, fields.LICENSE_ID.key, message)  # the licence came from the package
        return
    if position is None:
        _add(errors, GENERAL_KEY, message)
        return
    _add(per_resource.setdefault(position, {}), row.key if row else GENERAL_KEY, message)


def _own_licence(resources: Sequence[Mapping[str, Any]], position: int | None) -> bool:
    if position is None or position >= len(resources):
        return False
    own = keys(fields.RESOURCE_LICENSE, fields.RESOURCE_LICENSE_ID)
    return any(resources[position].get(key) for key in own)


def _dataset_field(predicate: URIRef | None) -> str:
    row = fields.field_for(Level.PACKAGE, predicate) if predicate else None
    return row.key if row else GENERAL_KEY


def _linked_field(link: URIRef, predicate: URIRef | None) -> str:
    row = fields.field_for(Level.PACKAGE, link, predicate)
    return row.key if row else GENERAL_KEY


_RESOURCE_KEYS = keys(
    fields.RESOURCE_ID,
    fields.RESOURCE_URL,
    fields.RESOURCE_ACCESS_URL,
    fields.RESOURCE_DOWNLOAD_URL,
)


def _resource_positions(
    graph: Graph, dataset: Node, resources: Sequence[Mapping[str, Any]]
) -> dict[Node, int]:
    """Each distribution's position among the input resources, told by id or by URL."""
    positions: dict[Node, int] = {}
    for node in graph.objects(dataset, DCAT.distribution):
        keys = {
            str(value)
            for predicate in (DCT.identifier, DCAT.accessURL, DCAT.downloadURL)
            for value in graph.objects(node, predicate)
        }
        for position, resource in enumerate(resources):
            given = {str(resource.get(k)) for k in _RESOURCE_KEYS}
            if keys & (given - {"None", ""}):
                positions[node] = position
                break
    return positions


__all__ = ["GENERAL_KEY", "RESOURCES_KEY", "ckan_field_errors", "message_text"]
