"""DatasetInput -> DCAT-AP.de 2.0 graph that the official shapes accept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.hvd import APPLICABLE_LEGISLATION, HVD_CATEGORY, HVD_LEGISLATION
from dcat.model import (
    AgentInput,
    ContactInput,
    DataServiceInput,
    DatasetInput,
    DateValue,
    DistributionInput,
    LocationInput,
    PeriodInput,
    is_absolute_iri,
)
from dcat.namespaces import (
    ADMS,
    DCAT,
    DCATAP,
    DCATDE,
    DCT,
    FOAF,
    GSP,
    LOCN,
    OWL,
    RDF,
    VCARD,
    XSD,
    new_graph,
)

IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"


def build_dataset_graph(
    data: DatasetInput, *, uri: str | None = None
) -> tuple[Graph, URIRef | BNode]:
    """The dataset's graph and its node (a blank node when no IRI is given)."""
    graph = new_graph()
    node: URIRef | BNode = URIRef(uri) if uri else BNode()
    graph.add((node, RDF.type, DCAT.Dataset))
    _add_core(graph, node, data)
    _add_agents(graph, node, data)
    _add_dcatde(graph, node, data)
    _add_coverage(graph, node, data)
    legislation = _legislation(data.applicable_legislation, data.hvd_categories)
    _add_iris(graph, node, APPLICABLE_LEGISLATION, legislation)
    _add_iris(graph, node, HVD_CATEGORY, data.hvd_categories)
    for distribution in data.distributions:
        added = _add_distribution(graph, distribution)
        graph.add((node, DCAT.distribution, added))
        _add_hvd_to_distribution(graph, node, added, data, distribution)
    return graph, node


def _legislation(named: Iterable[str], hvd_categories: Iterable[str]) -> tuple[str, ...]:
    """The legislation named, with the HVD regulation when HVD categories are given."""
    found = list(dict.fromkeys(named))
    if any(True for _ in hvd_categories) and HVD_LEGISLATION not in found:
        found.append(HVD_LEGISLATION)
    return tuple(found)


def _add_hvd_to_distribution(
    graph: Graph,
    dataset: Node,
    node: Node,
    data: DatasetInput,
    distribution: DistributionInput,
) -> None:
    """The HVD marking on a distribution and its access services (DCAT-AP 3.0.0-hvd: each
    carries the regulation; a service also its categories, a contact and the dataset)."""
    hvd = bool(data.hvd_categories)
    extra = (HVD_LEGISLATION,) if hvd else ()
    legislation = _legislation((*distribution.applicable_legislation, *extra), ())
    _add_iris(graph, node, APPLICABLE_LEGISLATION, legislation)
    contact = graph.value(dataset, DCAT.contactPoint)
    for service in distribution.access_services:
        service_node = _add_data_service(graph, service)
        _add_service_publisher(graph, dataset, service_node, data, service)
        graph.add((node, DCAT.accessService, service_node))
        graph.add((service_node, DCAT.servesDataset, dataset))
        if hvd:
            _add_iris(graph, service_node, APPLICABLE_LEGISLATION, (HVD_LEGISLATION,))
            _add_iris(graph, service_node, HVD_CATEGORY, data.hvd_categories)
            if contact is not None:
                graph.add((service_node, DCAT.contactPoint, contact))


def _add_data_service(graph: Graph, service: DataServiceInput) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(service.uri) if service.uri else BNode()
    graph.add((node, RDF.type, DCAT.DataService))
    _add_texts(graph, node, DCT.title, service.title)
    graph.add((node, DCAT.endpointURL, URIRef(service.endpoint_url)))
    _add_iris(graph, node, DCAT.endpointDescription, _present(service.endpoint_description))
    _add_iris(graph, node, FOAF.page, service.pages)
    return node


def _add_service_publisher(
    graph: Graph, dataset: Node, node: Node, data: DatasetInput, service: DataServiceInput
) -> None:
    """The service's own publisher; one that equals the dataset's is the same agent node, so
    the graph says "the same body", not two bodies of one name."""
    if service.publisher is None:
        return
    same = data.publisher is not None and service.publisher == data.publisher
    dataset_publisher = graph.value(dataset, DCT.publisher) if same else None
    agent = dataset_publisher or _add_agent(graph, service.publisher)
    graph.add((node, DCT.publisher, agent))


def _add_core(graph: Graph, node: Node, data: DatasetInput) -> None:
    _add_texts(graph, node, DCT.title, data.title)
    _add_texts(graph, node, DCT.description, data.description)
    if data.identifier:
        graph.add((node, DCT.identifier, Literal(data.identifier)))
    for language, words in data.keywords_by_language.items():
        for word in words:
            graph.add((node, DCAT.keyword, _text_literal(word, language)))
    _add_iris(graph, node, DCAT.theme, data.themes)
    _add_date(graph, node, DCT.issued, data.issued)
    _add_date(graph, node, DCT.modified, data.modified)
    _add_iris(graph, node, DCT.accrualPeriodicity, _present(data.accrual_periodicity))
    _add_iris(graph, node, DCT.language, data.languages)
    _add_iris(graph, node, DCAT.landingPage, _present(data.landing_page))
    _add_iris(graph, node, FOAF.page, data.pages)
    for value in _present(data.access_rights):
        graph.add((node, DCT.accessRights, _iri_or_literal(value)))
    for value in data.conforms_to:
        graph.add((node, DCT.conformsTo, _iri_or_literal(value)))
    _add_iris(graph, node, DCATAP.availability, _present(data.availability))
    if data.version_info:
        graph.add((node, OWL.versionInfo, Literal(data.version_info)))
    _add_texts(graph, node, ADMS.versionNotes, data.version_notes)


def _add_agents(graph: Graph, node: Node, data: DatasetInput) -> None:
    if data.publisher is not None:
        graph.add((node, DCT.publisher, _add_agent(graph, data.publisher)))
    if data.contact is not None:
        graph.add((node, DCAT.contactPoint, _add_contact(graph, data.contact)))
    roles = (
        (DCT.creator, data.creators),
        (DCATDE.maintainer, data.maintainers),
        (DCATDE.originator, data.originators),
        (DCT.contributor, data.contributors),
    )
    for predicate, agents in roles:
        for agent in agents:
            graph.add((node, predicate, _add_agent(graph, agent)))


def _add_dcatde(graph: Graph, node: Node, data: DatasetInput) -> None:
    _add_iris(graph, node, DCATDE.contributorID, _present(data.contributor_id))
    _add_iris(graph, node, DCATDE.politicalGeocodingURI, data.political_geocoding_uris)
    _add_iris(
        graph, node, DCATDE.politicalGeocodingLevelURI, _present(data.political_geocoding_level_uri)
    )
    _add_texts(graph, node, DCATDE.geocodingDescription, data.geocoding_description)
    _add_texts(graph, node, DCATDE.legalBasis, data.legal_basis)


def _add_coverage(graph: Graph, node: Node, data: DatasetInput) -> None:
    for place in data.spatial:
        target = URIRef(place) if isinstance(place, str) else _add_location(graph, place)
        graph.add((node, DCT.spatial, target))
    for period in data.temporal:
        graph.add((node, DCT.temporal, _add_period(graph, period)))


def _add_agent(graph: Graph, agent: AgentInput) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(agent.uri) if agent.uri else BNode()
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(agent.name)))
    _add_iris(graph, node, DCT.type, _present(agent.type))
    if agent.email:
        graph.add((node, FOAF.mbox, _mailto(agent.email)))
    _add_iris(graph, node, FOAF.homepage, _present(agent.homepage))
    return node


def _add_contact(graph: Graph, contact: ContactInput) -> URIRef | BNode:
    # The official shapes check sh:class vcard:Kind; typing the node vcard:Kind itself holds
    # without the vcard ontology's subclass triples, which not every validator loads.
    node: URIRef | BNode = URIRef(contact.uri) if contact.uri else BNode()
    graph.add((node, RDF.type, VCARD.Kind))
    if contact.name:
        graph.add((node, VCARD.fn, Literal(contact.name)))
    if contact.email:
        graph.add((node, VCARD.hasEmail, _mailto(contact.email)))
    _add_iris(graph, node, VCARD.hasURL, _present(contact.url))
    if contact.phone:
        graph.add((node, VCARD.hasTelephone, Literal(contact.phone)))
    return node


def _add_period(graph: Graph, period: PeriodInput) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, DCT.PeriodOfTime))
    _add_date(graph, node, DCAT.startDate, period.start)
    _add_date(graph, node, DCAT.endDate, period.end)
    return node


def _add_location(graph: Graph, location: LocationInput) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(location.uri) if location.uri else BNode()
    graph.add((node, RDF.type, DCT.Location))
    for predicate, wkt in (
        (DCAT.bbox, location.bbox),
        (DCAT.centroid, location.centroid),
        (LOCN.geometry, location.geometry),
    ):
        if wkt:
            graph.add((node, predicate, Literal(wkt, datatype=GSP.wktLiteral)))
    return node


def _add_distribution(graph: Graph, distribution: DistributionInput) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(distribution.uri) if distribution.uri else BNode()
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, URIRef(distribution.access_url)))
    _add_iris(graph, node, DCAT.downloadURL, _present(distribution.download_url))
    _add_texts(graph, node, DCT.title, distribution.title)
    _add_texts(graph, node, DCT.description, distribution.description)
    _add_iris(graph, node, DCT.format, _present(distribution.format))
    if distribution.media_type:
        graph.add((node, DCAT.mediaType, media_type_iri(distribution.media_type)))
    _add_iris(graph, node, DCT.license, _present(distribution.license))
    if distribution.license_attribution_by_text:
        attribution = Literal(distribution.license_attribution_by_text)
        graph.add((node, DCATDE.licenseAttributionByText, attribution))
    if distribution.byte_size is not None:
        # DCAT-AP 2.1.1 shapes: sh:datatype xsd:decimal, which an exact datatype check means.
        size = Literal(Decimal(distribution.byte_size), datatype=XSD.decimal)
        graph.add((node, DCAT.byteSize, size))
    _add_date(graph, node, DCT.issued, distribution.issued)
    _add_date(graph, node, DCT.modified, distribution.modified)
    _add_iris(graph, node, DCATAP.availability, _present(distribution.availability))
    _add_iris(graph, node, DCT.language, distribution.languages)
    for value in distribution.conforms_to:
        graph.add((node, DCT.conformsTo, _iri_or_literal(value)))
    _add_iris(graph, node, FOAF.page, distribution.pages)
    if distribution.identifier:
        graph.add((node, DCT.identifier, Literal(distribution.identifier)))
    return node


def media_type_iri(media_type: str) -> URIRef:
    """The IANA IRI of a media type; DCAT-AP.de checks dcat:mediaType against that pattern."""
    if media_type.lower().startswith(("http://", "https://")):
        return URIRef(media_type)
    return URIRef(IANA_MEDIA_TYPES + media_type.strip().lower())


def date_literal(value: DateValue) -> Literal:
    """xsd:dateTime for a datetime, xsd:date for a date (datetime is a date subclass)."""
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    raise TypeError(f"not a date: {value!r}")


def _add_date(graph: Graph, node: Node, predicate: URIRef, value: DateValue | None) -> None:
    if value is not None:
        graph.add((node, predicate, date_literal(value)))


def _add_texts(graph: Graph, node: Node, predicate: URIRef, texts: Mapping[str, str]) -> None:
    for language, text in texts.items():
        if text.strip():
            graph.add((node, predicate, _text_literal(text, language)))


def _add_iris(graph: Graph, node: Node, predicate: URIRef, iris: Iterable[str]) -> None:
    for iri in iris:
        graph.add((node, predicate, URIRef(iri)))


def _text_literal(text: str, language: str) -> Literal:
    return Literal(text, lang=language or None)


def _iri_or_literal(value: str) -> URIRef | Literal:
    return URIRef(value) if is_absolute_iri(value) else Literal(value)


def _mailto(email: str) -> URIRef:
    address = email.strip()
    return URIRef(address if address.lower().startswith("mailto:") else f"mailto:{address}")


def _present(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


__all__ = ["IANA_MEDIA_TYPES", "build_dataset_graph", "date_literal", "media_type_iri"]
