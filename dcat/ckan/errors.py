"""SHACL findings named as CKAN fields, for the CKAN API's "Validation Error" objects.

A finding on the dataset node names the package field its property comes from in dcat.ckan.parse
(dct:description -> "notes"); one on a distribution goes to "resources", a list with one
object per resource of the input as CKAN shapes it ({"resources": [{}, {"url": [...]}]});
one on a publisher, contact or period names the field that fills it ("publisher_name",
"contact_email", "temporal_start"). What cannot be told goes under GENERAL_KEY.
Messages are the report's, German then English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from dcat.findings import Part, place_finding
from dcat.namespaces import ADMS, DCAT, DCATAP, DCATDE, DCT, FOAF, OWL, TIME, VCARD
from dcat.validation import ValidationResult

GENERAL_KEY = "general"
RESOURCES_KEY = "resources"

# Property of the dataset -> the package field dcat.ckan.parse reads it from.
DATASET_FIELDS: dict[URIRef, str] = {
    DCT.title: "title",
    DCT.description: "notes",
    DCAT.keyword: "tags",
    DCAT.theme: "groups",
    DCT.license: "license_id",
    DCT.identifier: "identifier",
    DCT.issued: "issued",
    DCT.modified: "modified",
    OWL.versionInfo: "version",
    ADMS.versionNotes: "version_notes",
    DCT.accessRights: "access_rights",
    DCT.accrualPeriodicity: "frequency",
    DCT.language: "language",
    DCATAP.availability: "availability",
    DCAT.landingPage: "url",
    FOAF.page: "documentation",
    DCT.conformsTo: "conforms_to",
    DCT.spatial: "spatial",
    DCT.temporal: "temporal_start",
    DCT.publisher: "publisher_name",
    DCT.creator: "author",
    DCATDE.maintainer: "maintainer",
    DCATDE.originator: "originator_name",
    DCAT.contactPoint: "contact_email",
    DCATDE.contributorID: "contributorID",
    DCATDE.politicalGeocodingURI: "politicalGeocodingURI",
    DCATDE.politicalGeocodingLevelURI: "politicalGeocodingLevelURI",
    DCATDE.geocodingDescription: "geocodingText",
    DCATDE.legalBasis: "legalbasisText",
    DCAT.distribution: RESOURCES_KEY,
}

# Property of a distribution -> the resource field dcat.ckan.parse reads it from.
RESOURCE_FIELDS: dict[URIRef, str] = {
    DCAT.accessURL: "url",
    DCAT.downloadURL: "download_url",
    DCT.title: "name",
    DCT.description: "description",
    DCT.format: "format",
    DCAT.mediaType: "mimetype",
    DCT.license: "license",
    DCATDE.licenseAttributionByText: "licenseAttributionByText",
    DCAT.byteSize: "size",
    DCT.issued: "created",
    DCT.modified: "last_modified",
    DCATAP.availability: "availability",
    DCATDE.plannedAvailability: "availability",
    DCT.language: "language",
    DCT.conformsTo: "conforms_to",
    FOAF.page: "documentation",
}

# Node linked from the dataset -> (what the finding's property says) -> package field.
_NAME, _EMAIL, _URL, _TYPE, _START, _END = "name", "email", "url", "type", "start", "end"
_PART_OF_PATH: dict[URIRef, str] = {
    FOAF.name: _NAME,
    VCARD.fn: _NAME,
    FOAF.mbox: _EMAIL,
    VCARD.hasEmail: _EMAIL,
    FOAF.homepage: _URL,
    VCARD.hasURL: _URL,
    DCT.type: _TYPE,
    DCAT.startDate: _START,
    TIME.hasBeginning: _START,
    DCAT.endDate: _END,
    TIME.hasEnd: _END,
}
LINKED_FIELDS: dict[URIRef, dict[str | None, str]] = {
    DCT.publisher: {
        None: "publisher_name",
        _EMAIL: "publisher_email",
        _URL: "publisher_url",
        _TYPE: "publisher_type",
    },
    DCT.creator: {None: "author", _EMAIL: "author_email", _URL: "author_url"},
    DCATDE.maintainer: {None: "maintainer", _EMAIL: "maintainer_email", _URL: "maintainer_url"},
    DCATDE.originator: {None: "originator_name", _EMAIL: "originator_email"},
    DCAT.contactPoint: {
        None: "contact_email",
        _NAME: "contact_name",
        _URL: "contact_url",
    },
    DCT.temporal: {None: "temporal_start", _END: "temporal_end"},
    DCT.spatial: {None: "spatial"},
}


def ckan_field_errors(
    results: Iterable[ValidationResult],
    graph: Graph,
    dataset: Node,
    resources: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """{field: [messages]}, with "resources" as one {field: [messages]} per input resource.

    `results` are the findings of a report on `graph`, `resources` the package's resources
    in their input order, which lets a distribution's finding name its resource's position.
    """
    errors: dict[str, list[str]] = {}
    per_resource: dict[int, dict[str, list[str]]] = {}
    positions = _resource_positions(graph, dataset, resources)
    for result in results:
        message = _message(result)
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


def _message(result: ValidationResult) -> str:
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
    field = RESOURCE_FIELDS.get(predicate, GENERAL_KEY) if predicate else GENERAL_KEY
    if field == "license" and not _own_licence(resources, position):
        _add(errors, "license_id", message)  # the licence came from the package
        return
    if position is None:
        _add(errors, GENERAL_KEY, message)
        return
    _add(per_resource.setdefault(position, {}), field, message)


def _own_licence(resources: Sequence[Mapping[str, Any]], position: int | None) -> bool:
    if position is None or position >= len(resources):
        return False
    return any(resources[position].get(key) for key in ("license", "license_id"))


def _dataset_field(predicate: URIRef | None) -> str:
    return DATASET_FIELDS.get(predicate, GENERAL_KEY) if predicate else GENERAL_KEY


def _linked_field(link: URIRef, predicate: URIRef | None) -> str:
    fields = LINKED_FIELDS.get(link)
    if fields is None:
        return DATASET_FIELDS.get(link, GENERAL_KEY)
    part = _PART_OF_PATH.get(predicate) if predicate is not None else None
    return fields.get(part, fields[None])


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
            given = {str(resource.get(k)) for k in ("id", "url", "access_url", "download_url")}
            if keys & (given - {"None", ""}):
                positions[node] = position
                break
    return positions


__all__ = ["GENERAL_KEY", "RESOURCES_KEY", "ckan_field_errors", "message_text"]
