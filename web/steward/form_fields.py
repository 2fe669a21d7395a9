"""Which RDF property each field of the dataset form stands for, and so where a finding goes.

One table serves both directions: saving a form replaces exactly the properties of the fields
that changed (web.steward.form_merge), and a SHACL finding is shown beside the field its
property comes from. dcat.findings tells where in the dataset a finding is (as for the CKAN
API's errors); here that place gets its field: a distribution's finding goes to its row
("distributions-2-access_url"), one on the contact point, publisher or period to the field of
that part; what no field shows goes to the summary only (field None).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from dcat.findings import Part, Placement, place_finding
from dcat.hvd import APPLICABLE_LEGISLATION, HVD_CATEGORY
from dcat.namespaces import DCAT, DCATDE, DCT, FOAF, TIME, VCARD
from dcat.validation import ValidationResult

# Dataset properties of fields that are simple values of the dataset node.
DATASET_FIELDS: dict[str, tuple[URIRef, ...]] = {
    "title_de": (DCT.title,),
    "title_en": (DCT.title,),
    "description_de": (DCT.description,),
    "description_en": (DCT.description,),
    "keywords": (DCAT.keyword,),
    "themes": (DCAT.theme,),
    "frequency": (DCT.accrualPeriodicity,),
    "whole_city": (DCATDE.politicalGeocodingURI, DCATDE.politicalGeocodingLevelURI),
    "districts": (DCT.spatial, DCATDE.geocodingDescription),
    "temporal_start": (DCT.temporal,),
    "temporal_end": (DCT.temporal,),
    "hvd_categories": (HVD_CATEGORY, APPLICABLE_LEGISLATION),
}
# Fields of nodes linked from the dataset: the link, then the properties on that node.
PUBLISHER_FIELDS: dict[str, tuple[URIRef, ...]] = {
    "publisher_name": (FOAF.name,),
    "publisher_homepage": (FOAF.homepage,),
}
CONTACT_FIELDS: dict[str, tuple[URIRef, ...]] = {
    "contact_name": (VCARD.fn, VCARD["organization-name"], FOAF.name),
    "contact_email": (VCARD.hasEmail,),
    "contact_phone": (VCARD.hasTelephone,),
    "contact_url": (VCARD.hasURL,),
}
PERIOD_FIELDS: dict[str, tuple[URIRef, ...]] = {
    "temporal_start": (DCAT.startDate, TIME.hasBeginning),
    "temporal_end": (DCAT.endDate, TIME.hasEnd),
}
# A distribution row's fields; a new format makes the old media type wrong, so both go.
DISTRIBUTION_FIELDS: dict[str, tuple[URIRef, ...]] = {
    "access_url": (DCAT.accessURL,),
    "download_url": (DCAT.downloadURL,),
    "format": (DCT.format, DCAT.mediaType),
    "licence": (DCT.license,),
    "attribution": (DCATDE.licenseAttributionByText,),
    "title": (DCT.title,),
    "description": (DCT.description,),
}
# Where a finding on the dataset node goes when its property has no field of its own.
_DATASET_LINKS: dict[URIRef, str] = {
    DCT.publisher: "publisher_name",
    DCAT.contactPoint: "contact_email",
    DCAT.distribution: "distributions",
    DCT.license: "licence",
}
_LINKED: dict[URIRef, tuple[dict[str, tuple[URIRef, ...]], str]] = {
    DCT.publisher: (PUBLISHER_FIELDS, "publisher_name"),
    DCAT.contactPoint: (CONTACT_FIELDS, "contact_email"),
    DCT.temporal: (PERIOD_FIELDS, "temporal_start"),
}


@dataclass(frozen=True)
class Finding:
    """One finding of a report, with the id of the form field it belongs to (None: none)."""

    field: str | None
    severity: str
    message_de: str
    message_en: str
    path: str | None

    def message(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message_de


def row_field(row: int, name: str) -> str:
    """The id WTForms gives a field of a distribution row."""
    return f"distributions-{row}-{name}"


def place_findings(
    results: Iterable[ValidationResult],
    graph: Graph,
    dataset: Node,
    rows: Sequence[Node | None],
    rows_with_own_licence: Iterable[int] = (),
) -> list[Finding]:
    """Each result of a report with the field it belongs to.

    `graph` is the graph the report speaks of (its blank nodes are the focus nodes), `rows`
    the distribution node of each row of the form, in row order. A licence finding on a row
    without a licence of its own belongs to the dataset's licence chooser, which filled it.
    """
    row_of = {node: index for index, node in enumerate(rows) if node is not None}
    own_licence = set(rows_with_own_licence)
    placed = []
    for result in results:
        place = place_finding(result, graph, dataset, row_of)
        placed.append(
            Finding(
                _field(place, own_licence),
                result.severity.value,
                result.message_de,
                result.message_en,
                result.path,
            )
        )
    return placed


def findings_by_field(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.field is not None:
            grouped.setdefault(finding.field, []).append(finding)
    return grouped


def field_of_property(predicate: URIRef, table: Mapping[str, tuple[URIRef, ...]]) -> str | None:
    return next((name for name, predicates in table.items() if predicate in predicates), None)


def _field(place: Placement, own_licence: set[int]) -> str | None:
    if place.property in (HVD_CATEGORY, APPLICABLE_LEGISLATION):
        # The HVD marking of the dataset, a distribution or an access service: all of it
        # follows the ticked categories (dcat.hvd.mark_hvd).
        return "hvd_categories"
    if place.part is Part.DATASET:
        return _dataset_field(place.property)
    if place.part is Part.DISTRIBUTION and place.position is not None:
        return _row_field(place.position, place.property, place.position in own_licence)
    if place.part is Part.DISTRIBUTION:
        return _dataset_field(DCAT.distribution)
    if place.part is Part.LINKED and place.link is not None:
        return _linked_field(place.link, place.property)
    return None


def _dataset_field(predicate: URIRef | None) -> str | None:
    if predicate is None:
        return None
    if predicate in _DATASET_LINKS:
        return _DATASET_LINKS[predicate]
    if predicate == DCATDE.politicalGeocodingURI or predicate == DCATDE.politicalGeocodingLevelURI:
        return "whole_city"
    return field_of_property(predicate, DATASET_FIELDS)


def _row_field(row: int, predicate: URIRef | None, own_licence: bool) -> str:
    name = field_of_property(predicate, DISTRIBUTION_FIELDS) if predicate is not None else None
    if name == "licence" and not own_licence:
        return "licence"
    if name == "attribution":
        return "attribution"
    return row_field(row, name) if name else f"distributions-{row}"


def _linked_field(link: URIRef, predicate: URIRef | None) -> str | None:
    if link in _LINKED:
        fields, default = _LINKED[link]
        found = field_of_property(predicate, fields) if predicate is not None else None
        return found or default
    return _dataset_field(link)


__all__ = [
    "CONTACT_FIELDS",
    "DATASET_FIELDS",
    "DISTRIBUTION_FIELDS",
    "PERIOD_FIELDS",
    "PUBLISHER_FIELDS",
    "Finding",
    "findings_by_field",
    "place_findings",
    "row_field",
]
