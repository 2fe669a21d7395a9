"""The one flat read view of a dataset graph, for search, HTML pages and the CKAN API.

It reads any DCAT-AP.de graph, not only what our builder writes: legacy dcatde namespaces,
literals where IRIs belong, contact details as literals or vcard nodes, dates as whatever
portals write. What cannot be read becomes None, never an exception.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.hvd import APPLICABLE_LEGISLATION, HVD_CATEGORIES, HVD_CATEGORY
from dcat.model import DateValue, parse_date_value
from dcat.namespaces import (
    DCAT,
    DCATAP,
    DCATDE,
    DCT,
    FOAF,
    GSP,
    LEGACY_DCATDE_NAMESPACES,
    LOCN,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
    VCARD,
)
from dcat.vocabularies import FILE_TYPES, FREQUENCIES, LICENSES, THEMES, Vocabulary

FALLBACK_LANGUAGES = ("de", "en")
T = TypeVar("T")
_IANA_PATH = "www.iana.org/assignments/media-types/"


class Labelled(NamedTuple):
    """A vocabulary value with the label to show (the value itself when no label is known)."""

    iri: str
    label: str


@dataclass(frozen=True)
class AgentView:
    name: str
    uri: str | None = None
    email: str | None = None
    homepage: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class ContactView:
    name: str | None = None
    email: str | None = None
    url: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class LocationView:
    uri: str | None = None
    bbox: str | None = None
    centroid: str | None = None
    geometry: str | None = None


@dataclass(frozen=True)
class PeriodView:
    start: DateValue | None = None
    end: DateValue | None = None


@dataclass(frozen=True)
class ServiceView:
    """A dcat:DataService a distribution is served by (an API)."""

    uri: str | None
    title: str
    endpoint_url: str | None
    endpoint_description: str | None
    pages: tuple[str, ...]
    publisher: AgentView | None = None

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@dataclass(frozen=True)
class DistributionView:
    uri: str | None
    identifier: str | None
    title: str
    description: str
    access_url: str | None
    download_url: str | None
    format: Labelled | None
    media_type: str | None  # "text/csv", without the IANA IRI prefix
    license: Labelled | None
    license_attribution_by_text: str | None
    byte_size: int | None
    issued: DateValue | None
    modified: DateValue | None
    availability: str | None
    languages: tuple[str, ...]
    applicable_legislation: tuple[str, ...] = ()
    access_services: tuple[ServiceView, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@dataclass(frozen=True)
class DatasetView:
    """Flat values of one dataset in one language; "" for a missing title or description."""

    uri: str | None
    title: str
    description: str
    identifier: str | None
    keywords: tuple[str, ...]
    themes: tuple[Labelled, ...]
    formats: tuple[Labelled, ...]
    licenses: tuple[Labelled, ...]
    publisher: AgentView | None
    contact: ContactView | None
    creator: AgentView | None
    maintainer: AgentView | None
    contributor_id: str | None
    political_geocoding_uris: tuple[str, ...]
    political_geocoding_level_uri: str | None
    geocoding_description: str | None
    legal_basis: str | None
    issued: DateValue | None
    modified: DateValue | None
    temporal: tuple[PeriodView, ...]
    temporal_start: DateValue | None
    temporal_end: DateValue | None
    spatial_uris: tuple[str, ...]
    locations: tuple[LocationView, ...]
    landing_page: str | None
    pages: tuple[str, ...]
    frequency: Labelled | None
    languages: tuple[str, ...]
    access_rights: str | None
    conforms_to: tuple[str, ...]
    availability: str | None
    version_info: str | None
    distributions: tuple[DistributionView, ...]
    # High-Value Datasets (dcat.hvd): ELI IRIs, and HVD categories with their labels.
    applicable_legislation: tuple[str, ...] = ()
    hvd_categories: tuple[Labelled, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, labelled values as {"iri", "label"}."""
        return _to_dict(self)


def dataset_view(graph: Graph, node: Node, lang: str = "de") -> DatasetView:
    """Read one dataset node of a graph into the flat view, texts in `lang` where possible."""
    reader = _Reader(graph, lang)
    distributions = tuple(
        sorted(
            (reader.distribution(d) for d in _nodes(graph, node, DCAT.distribution)),
            key=lambda view: (view.title, view.access_url or "", view.uri or ""),
        )
    )
    periods = tuple(reader.period(period) for period in _nodes(graph, node, DCT.temporal))
    starts = [period.start for period in periods if period.start is not None]
    ends = [period.end for period in periods if period.end is not None]
    return DatasetView(
        uri=str(node) if isinstance(node, URIRef) else None,
        title=reader.text(node, DCT.title) or "",
        description=reader.text(node, DCT.description) or "",
        identifier=reader.plain(node, DCT.identifier),
        keywords=reader.keywords(node),
        themes=_labelled_all(graph, node, DCAT.theme, THEMES, lang),
        formats=_unique(d.format for d in distributions if d.format),
        licenses=_unique(
            [
                *(d.license for d in distributions if d.license),
                *_labelled_all(graph, node, DCT.license, LICENSES, lang),
            ]
        ),
        publisher=reader.agent(_first(_nodes(graph, node, DCT.publisher))),
        contact=reader.contact(_first(_nodes(graph, node, DCAT.contactPoint))),
        creator=reader.agent(_first(_nodes(graph, node, DCT.creator))),
        maintainer=reader.agent(_first(_nodes(graph, node, *_dcatde("maintainer")))),
        contributor_id=_first(_values(graph, node, *_dcatde("contributorID"))),
        political_geocoding_uris=_values(graph, node, *_dcatde("politicalGeocodingURI")),
        political_geocoding_level_uri=_first(
            _values(graph, node, *_dcatde("politicalGeocodingLevelURI"))
        ),
        geocoding_description=reader.text(node, *_dcatde("geocodingDescription")),
        legal_basis=reader.text(node, *_dcatde("legalBasis")),
        issued=reader.date(node, DCT.issued),
        modified=reader.date(node, DCT.modified),
        temporal=periods,
        temporal_start=min(starts, key=_date_sort_key) if starts else None,
        temporal_end=max(ends, key=_date_sort_key) if ends else None,
        spatial_uris=tuple(
            str(place)
            for place in _nodes(graph, node, DCT.spatial)
            if isinstance(place, URIRef) and not _is_location(graph, place)
        ),
        locations=tuple(
            reader.location(place)
            for place in _nodes(graph, node, DCT.spatial)
            if _is_location(graph, place)
        ),
        landing_page=_first(_values(graph, node, DCAT.landingPage)),
        pages=_values(graph, node, FOAF.page),
        frequency=_first(_labelled_all(graph, node, DCT.accrualPeriodicity, FREQUENCIES, lang)),
        languages=_values(graph, node, DCT.language),
        access_rights=_first(_values(graph, node, DCT.accessRights)),
        conforms_to=_values(graph, node, DCT.conformsTo),
        availability=_first(
            _values(graph, node, DCATAP.availability, *_dcatde("plannedAvailability"))
        ),
        version_info=reader.plain(node, OWL.versionInfo),
        distributions=distributions,
        applicable_legislation=_values(graph, node, APPLICABLE_LEGISLATION),
        hvd_categories=_labelled_all(graph, node, HVD_CATEGORY, HVD_CATEGORIES, lang),
    )


class _Reader:
    """Text and node readers bound to one graph and one language."""

    def __init__(self, graph: Graph, lang: str) -> None:
        self.graph = graph
        self.lang = lang.lower()

    def literals(self, node: Node, *predicates: URIRef) -> list[Literal]:
        found = [
            value
            for predicate in predicates
            for value in self.graph.objects(node, predicate)
            if isinstance(value, Literal) and str(value).strip()
        ]
        return sorted(found, key=lambda literal: (literal.language or "", str(literal)))

    def text(self, node: Node, *predicates: URIRef) -> str | None:
        """Asked language, then untagged, then German, then English, then any."""
        literals = self.literals(node, *predicates)
        for group in self._language_groups(literals):
            return str(group[0]).strip()
        return None

    def keywords(self, node: Node) -> tuple[str, ...]:
        literals = self.literals(node, DCAT.keyword)
        for group in self._language_groups(literals):
            seen: dict[str, str] = {}
            for literal in sorted(group, key=lambda lit: str(lit).casefold()):
                seen.setdefault(str(literal).strip().casefold(), str(literal).strip())
            return tuple(seen.values())
        return ()

    def _language_groups(self, literals: list[Literal]) -> Iterator[list[Literal]]:
        def primary(literal: Literal) -> str | None:
            return literal.language.lower().split("-")[0] if literal.language else None

        asked = [lit for lit in literals if primary(lit) == self.lang]
        untagged = [lit for lit in literals if primary(lit) is None]
        # The asked language comes with the untagged values: both are meant for this reader.
        if asked or untagged:
            yield asked + untagged
        for language in FALLBACK_LANGUAGES:
            group = [lit for lit in literals if primary(lit) == language]
            if group:
                yield group
        if literals:
            yield literals

    def plain(self, node: Node, *predicates: URIRef) -> str | None:
        return self.text(node, *predicates) or _first(_values(self.graph, node, *predicates))

    def date(self, node: Node, *predicates: URIRef, last_day: bool = False) -> DateValue | None:
        """The first readable date; with `last_day`, a year or month ends on its last day."""
        for predicate in predicates:
            for value in self.graph.objects(node, predicate):
                if isinstance(value, Literal):
                    parsed = parse_date_value(str(value))
                    if parsed is not None:
                        return _last_day_of(str(value), parsed) if last_day else parsed
        return None

    def agent(self, node: Node | None) -> AgentView | None:
        if node is None:
            return None
        name = self.text(node, FOAF.name, VCARD.fn, SKOS.prefLabel, RDFS.label)
        if name is None:
            if not isinstance(node, URIRef):
                return None
            name = str(node)
        return AgentView(
            name=name,
            uri=str(node) if isinstance(node, URIRef) else None,
            email=_strip_scheme(_first(_values(self.graph, node, FOAF.mbox)), "mailto:"),
            homepage=_first(_values(self.graph, node, FOAF.homepage)),
            type=_first(_values(self.graph, node, DCT.type)),
        )

    def contact(self, node: Node | None) -> ContactView | None:
        if node is None:
            return None
        contact = ContactView(
            name=self.text(node, VCARD.fn, VCARD["organization-name"], FOAF.name),
            email=_strip_scheme(self._vcard_value(node, VCARD.hasEmail), "mailto:"),
            url=self._vcard_value(node, VCARD.hasURL),
            phone=_strip_scheme(self._vcard_value(node, VCARD.hasTelephone), "tel:"),
        )
        return contact if any((contact.name, contact.email, contact.url, contact.phone)) else None

    def _vcard_value(self, node: Node, predicate: URIRef) -> str | None:
        """vCard values come as literals, IRIs or nodes with vcard:hasValue."""
        for value in self.graph.objects(node, predicate):
            if isinstance(value, BNode):
                inner = _first(_values(self.graph, value, VCARD.hasValue))
                if inner:
                    return inner
            elif str(value).strip():
                return str(value).strip()
        return None

    def period(self, node: Node) -> PeriodView:
        start = self.date(node, DCAT.startDate, SCHEMA.startDate)
        # A period "2015-2024" (xsd:gYear) ends on 31 December 2024, not on 1 January.
        end = self.date(node, DCAT.endDate, SCHEMA.endDate, last_day=True)
        if start is None:
            start = self._instant(node, TIME.hasBeginning)
        if end is None:
            end = self._instant(node, TIME.hasEnd)
        return PeriodView(start=start, end=end)

    def _instant(self, node: Node, predicate: URIRef) -> DateValue | None:
        for instant in self.graph.objects(node, predicate):
            found = self.date(instant, TIME.inXSDDateTime, TIME.inXSDDate, TIME.inXSDDateTimeStamp)
            if found is not None:
                return found
        return None

    def location(self, node: Node) -> LocationView:
        return LocationView(
            uri=str(node) if isinstance(node, URIRef) else None,
            bbox=self.geometry(node, DCAT.bbox),
            centroid=self.geometry(node, DCAT.centroid),
            geometry=self.geometry(node, LOCN.geometry),
        )

    def geometry(self, node: Node, predicate: URIRef) -> str | None:
        """WKT first: GeoDCAT-AP graphs often give the same geometry as GeoJSON and GML too."""
        literals = self.literals(node, predicate)
        literals.sort(key=lambda literal: literal.datatype != GSP.wktLiteral)
        return str(literals[0]).strip() if literals else None

    def distribution(self, node: Node) -> DistributionView:
        graph = self.graph
        media_type = _first(_values(graph, node, DCAT.mediaType))
        if media_type and _IANA_PATH in media_type.lower():
            media_type = media_type[media_type.lower().index(_IANA_PATH) + len(_IANA_PATH) :]
        return DistributionView(
            uri=str(node) if isinstance(node, URIRef) else None,
            identifier=self.plain(node, DCT.identifier),
            title=self.text(node, DCT.title) or "",
            description=self.text(node, DCT.description) or "",
            access_url=_first(_values(graph, node, DCAT.accessURL)),
            download_url=_first(_values(graph, node, DCAT.downloadURL)),
            format=_first(_labelled_all(graph, node, DCT.format, FILE_TYPES, self.lang)),
            media_type=media_type,
            license=_first(_labelled_all(graph, node, DCT.license, LICENSES, self.lang)),
            license_attribution_by_text=self.text(node, *_dcatde("licenseAttributionByText")),
            byte_size=_byte_size(graph, node),
            issued=self.date(node, DCT.issued),
            modified=self.date(node, DCT.modified),
            availability=_first(
                _values(graph, node, DCATAP.availability, *_dcatde("plannedAvailability"))
            ),
            languages=_values(graph, node, DCT.language),
            applicable_legislation=_values(graph, node, APPLICABLE_LEGISLATION),
            access_services=tuple(
                self.service(service) for service in _nodes(graph, node, DCAT.accessService)
            ),
        )

    def service(self, node: Node) -> ServiceView:
        return ServiceView(
            uri=str(node) if isinstance(node, URIRef) else None,
            title=self.text(node, DCT.title) or "",
            endpoint_url=_first(_values(self.graph, node, DCAT.endpointURL)),
            endpoint_description=_first(_values(self.graph, node, DCAT.endpointDescription)),
            pages=_values(self.graph, node, FOAF.page),
            publisher=self.agent(_first(_nodes(self.graph, node, DCT.publisher))),
        )


def _dcatde(local_name: str) -> tuple[URIRef, ...]:
    """The property in the current dcatde namespace and in the legacy versioned ones."""
    return (DCATDE[local_name], *(URIRef(ns + local_name) for ns in LEGACY_DCATDE_NAMESPACES))


def _nodes(graph: Graph, node: Node, *predicates: URIRef) -> list[Node]:
    found = {value for p in predicates for value in graph.objects(node, p)}
    return sorted(
        (value for value in found if not isinstance(value, Literal)),
        key=lambda value: (isinstance(value, BNode), str(value)),
    )


def _values(graph: Graph, node: Node, *predicates: URIRef) -> tuple[str, ...]:
    """IRIs and literal texts, deduplicated and sorted; blank nodes are left out."""
    found = {
        str(value).strip()
        for predicate in predicates
        for value in graph.objects(node, predicate)
        if not isinstance(value, BNode) and str(value).strip()
    }
    return tuple(sorted(found))


def _labelled_all(
    graph: Graph, node: Node, predicate: URIRef, vocabulary: Vocabulary, lang: str
) -> tuple[Labelled, ...]:
    result: list[Labelled] = []
    for value in graph.objects(node, predicate):
        if isinstance(value, BNode):
            # dct:format or dct:license as a described node (dct:IMT, dct:LicenseDocument).
            text = _first(_values(graph, value, RDF.value, RDFS.label, SKOS.prefLabel))
            if text:
                result.append(Labelled(text, text))
            continue
        text = str(value).strip()
        if text:
            label = vocabulary.label(text, lang) if isinstance(value, URIRef) else None
            result.append(Labelled(text, label or text))
    return _unique(sorted(result))


def _is_location(graph: Graph, node: Node) -> bool:
    """A place described by geometry; other blank nodes (locn:adminUnitL2 only) say nothing."""
    return any(
        (node, predicate, None) in graph for predicate in (DCAT.bbox, DCAT.centroid, LOCN.geometry)
    )


def _byte_size(graph: Graph, node: Node) -> int | None:
    for value in graph.objects(node, DCAT.byteSize):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            continue
        if number.is_finite() and number >= 0 and number == number.to_integral_value():
            return int(number)
    return None


def _strip_scheme(value: str | None, scheme: str) -> str | None:
    if value and value.lower().startswith(scheme):
        return value[len(scheme) :] or None
    return value


def _first(values: Iterable[T]) -> T | None:
    return next(iter(values), None)


def _unique(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))


def _last_day_of(text: str, parsed: DateValue) -> DateValue:
    """The last day of a year ("2024") or year-month ("2024-02"); other dates as they are."""
    lexical = text.strip()
    if len(lexical) == 4 and lexical.isdigit():
        return date(parsed.year, 12, 31)
    if len(lexical) == 7 and lexical[4] == "-":
        return date(parsed.year, parsed.month, monthrange(parsed.year, parsed.month)[1])
    return parsed


def _date_sort_key(value: DateValue) -> tuple[date, str]:
    day = value.date() if isinstance(value, datetime) else value
    return (day, value.isoformat())


def _jsonable(value: Any) -> Any:
    if isinstance(value, Labelled):
        return {"iri": value.iri, "label": value.label}
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return _to_dict(value)
    return value


def _to_dict(instance: Any) -> dict[str, Any]:
    return {item.name: _jsonable(getattr(instance, item.name)) for item in fields(instance)}


__all__ = [
    "AgentView",
    "ContactView",
    "DatasetView",
    "DistributionView",
    "Labelled",
    "LocationView",
    "PeriodView",
    "ServiceView",
    "dataset_view",
]
