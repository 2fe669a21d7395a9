"""ISO 19139 (gmd) records -> DCAT-AP.de graphs, after GeoDCAT-AP 2.0 and GDI-DE's conventions.

OWSLib's MD_Metadata reads the record (from an element we parsed safely; OWSLib fetches
nothing); what it does not expose (maintenance frequency, constraint blocks, keyword anchors)
is read with XPath. The mapping, field by field:

- gmd:fileIdentifier: the record's key at the source; MD_Identifier code -> dct:identifier
  (fileIdentifier when there is none);
- title, abstract -> dct:title, dct:description in the record's language;
- keywords -> dcat:keyword; INSPIRE themes and ISO topic categories -> dcat:theme where the
  mapping is established (iso19139_codes), else they stay keywords;
- CI_Date publication / revision / creation -> dct:issued / dct:modified / dct:created;
- EX_TemporalExtent -> dct:temporal; EX_GeographicBoundingBox -> dct:spatial with dcat:bbox,
  a GeoSPARQL WKT polygon in CRS84 (longitude before latitude, the CRS IRI written first);
- responsible parties: publisher role, else owner, else the resource's point of contact, else
  the metadata contact -> dct:publisher; the first party with an e-mail -> dcat:contactPoint;
- licence and access constraints -> dct:license (on each distribution), dct:accessRights;
- MD_MaintenanceFrequencyCode -> dct:accrualPeriodicity; lineage -> dct:provenance;
- transferOptions/onLine: downloads and WMS/WFS/WCS/WMTS/ATOM endpoints -> distributions
  (format, dct:conformsTo, dcat:accessService); "information" links -> foaf:page;
- hierarchyLevel -> dct:type (INSPIRE resource type); a service record
  (srv:SV_ServiceIdentification) becomes a dataset entry whose distributions are served by a
  dcat:DataService (endpoint, service type), which serves the entry; the datasets it names
  in srv:operatesOn are linked with dct:relation.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lxml import etree
from owslib.iso import MD_Metadata
from rdflib import BNode, Graph, Literal, URIRef

from dcat.bilingual import Bilingual
from dcat.builder import build_dataset_graph, date_literal
from dcat.iso19139_codes import (
    INSPIRE_RESOURCE_TYPE,
    INSPIRE_THESAURUS,
    SCOPES,
    frequency_iri,
    language_of,
    service_kind,
    themes_for_inspire,
    themes_for_topic,
)
from dcat.iso19139_rights import USE_CONSTRAINTS_PATH, Rights, rights_of
from dcat.iso19139_xml import CITATION, IDENTIFICATION, code_at, elements_at, text_at
from dcat.model import (
    AgentInput,
    ContactInput,
    DatasetInput,
    DistributionInput,
    InputError,
    LocationInput,
    PeriodInput,
    is_absolute_iri,
    parse_date_value,
)
from dcat.namespaces import DCAT, DCT, RDF, RDFS
from dcat.vocabularies import FILE_TYPES

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TITLE_PATH = "gmd:identificationInfo/…/gmd:citation/gmd:CI_Citation/gmd:title"
PUBLISHER_ROLES = ("publisher", "owner", "pointOfContact", "custodian", "originator", "author")


class IsoMappingError(InputError):
    """A record that cannot become a dataset; the message names the ISO element."""


@dataclass
class IsoDataset:
    """One record mapped: its graph and node, its rights, and what the steward should fix."""

    file_identifier: str
    graph: Graph
    node: URIRef | BNode
    rights: Rights
    scope: str
    warnings: list[Bilingual] = field(default_factory=list)


def file_identifier(record: Any) -> str | None:
    return text_at(record, "gmd:fileIdentifier")


def keywords_of(record: Any) -> list[str]:
    """Every keyword of the record, for a keyword constraint applied to records on disk."""
    return [
        str(word).strip()
        for word in elements_at(
            record, f"{IDENTIFICATION}/gmd:descriptiveKeywords/gmd:MD_Keywords/gmd:keyword/*/text()"
        )
    ]


def iso_dataset(record: Any, mapped_licence_texts: Collection[str] = ()) -> IsoDataset:
    """The record's DCAT-AP.de graph; raises IsoMappingError naming the missing element.

    `mapped_licence_texts`: the licence sentences the source's steward mapped (`mappings:
    license:`); such a sentence goes into the graph as the record's dct:license, for the
    normalise rule `source-mapping` to replace with the mapped IRI (recorded in the revision).
    An unmapped sentence stays out, as before: a literal licence would only hold the record
    back, and some sentences found there are access statements, not licences.
    """
    key = file_identifier(record)
    if key is None:
        raise IsoMappingError("gmd:fileIdentifier fehlt", "gmd:fileIdentifier missing")
    metadata = MD_Metadata(without_comments(record))
    identification = (metadata.identification or [None])[0]
    if identification is None:
        raise IsoMappingError(
            f"{key}: gmd:identificationInfo fehlt", f"{key}: gmd:identificationInfo missing"
        )
    warnings: list[Bilingual] = []
    language_iri, lang = language_of(
        code_at(record, f"{IDENTIFICATION}/gmd:language/gmd:LanguageCode")
        or code_at(record, "gmd:language/gmd:LanguageCode")
        or text_at(record, "gmd:language")
    )
    title = (identification.title or "").strip()
    if not title:
        raise IsoMappingError(f"{key}: {TITLE_PATH} fehlt", f"{key}: {TITLE_PATH} missing")
    scope = metadata.hierarchy if metadata.hierarchy in SCOPES else "dataset"
    rights = rights_of(record)
    if rights.licence is None:
        described = f" ({rights.described})" if rights.described else ""
        setting = f"mappings: license: {rights.licence_text!r}" if rights.licence_text else ""
        warnings.append(
            Bilingual(
                f"{USE_CONSTRAINTS_PATH}: keine Lizenz erkannt{described}"
                + (f"; Zuordnung: {setting}" if setting else ""),
                f"{USE_CONSTRAINTS_PATH}: no licence recognised{described}"
                + (f"; mapping: {setting}" if setting else ""),
            )
        )
    dates = {d.type: parse_date_value(d.date) for d in identification.date if d.date}
    if dates.get("publication") is None:
        warnings.append(
            Bilingual(
                f"{CITATION}/gmd:date (publication): Veröffentlichungsdatum fehlt",
                f"{CITATION}/gmd:date (publication): publication date missing",
            )
        )
    publisher, contact = _parties(metadata, identification, warnings)
    distributions, pages, services = _online_resources(metadata, identification, rights, scope)
    try:
        data = DatasetInput(
            title={lang: title},
            description=_texts(identification.abstract, lang),
            identifier=next(iter(identification.uricode or []), None) or key,
            keywords={lang: _keywords(identification)},
            themes=_themes(identification),
            publisher=publisher,
            contact=contact,
            spatial=_bounding_box(identification, warnings),
            temporal=_temporal(identification, warnings),
            issued=dates.get("publication"),
            modified=dates.get("revision"),
            accrual_periodicity=frequency_iri(
                code_at(
                    record,
                    f"{IDENTIFICATION}/gmd:resourceMaintenance/gmd:MD_MaintenanceInformation/"
                    "gmd:maintenanceAndUpdateFrequency/gmd:MD_MaintenanceFrequencyCode",
                )
            ),
            languages=[language_iri] if language_iri else [],
            pages=pages,
            access_rights=rights.access_rights,
            distributions=distributions,
        )
    except InputError as exc:
        raise IsoMappingError(f"{key}: {exc.message_de}", f"{key}: {exc.message_en}") from exc
    graph, node = build_dataset_graph(data)
    if (
        rights.licence is None
        and rights.licence_text
        and rights.licence_text in mapped_licence_texts
    ):
        _add_licence_text(graph, node, rights.licence_text)
    _add_extras(graph, node, metadata, identification, dates, scope, lang)
    for service in services:
        _add_service(graph, node, service, title, lang)
    return IsoDataset(key, graph, node, rights, scope, warnings)


def without_comments(record: Any) -> Any:
    """A copy of the record without XML comments and processing instructions, for OWSLib.

    OWSLib 0.35 takes the first child of gmd:identificationInfo as the identification, so a
    comment there (Bavaria's LDBV writes `<!-- #### -->` banners) hides the whole
    srv:SV_ServiceIdentification; comments carry no metadata, so dropping them loses nothing.
    """
    copy = etree.fromstring(etree.tostring(record))
    for junk in list(copy.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = junk.getparent()
        if parent is not None:
            _keep_tail(junk)
            parent.remove(junk)
    return copy


def _keep_tail(node: Any) -> None:
    """Move a node's tail text to where it stays when the node is removed."""
    if not node.tail:
        return
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + node.tail
    else:
        parent = node.getparent()
        parent.text = (parent.text or "") + node.tail


def _add_licence_text(graph: Graph, node: URIRef | BNode, text: str) -> None:
    """The licence in the source's own words on each distribution, for the steward's mapping."""
    for distribution in graph.objects(node, DCAT.distribution):
        if (distribution, DCT.license, None) not in graph:
            graph.add((distribution, DCT.license, Literal(text)))


def _texts(text: str | None, lang: str) -> dict[str, str]:
    return {lang: text.strip()} if text and text.strip() else {}


def _keywords(identification: Any) -> list[str]:
    words: list[str] = []
    for group in identification.keywords or []:
        thesaurus = ((group.thesaurus or {}).get("title") or "").lower()
        for keyword in group.keywords:
            name = (keyword.name or "").strip()
            if not name or name in words:
                continue
            if INSPIRE_THESAURUS in thesaurus and themes_for_inspire(name):
                continue  # it became a theme
            words.append(name)
    return words


def _themes(identification: Any) -> list[str]:
    found: list[str] = []
    for code in identification.topiccategory or []:
        found += themes_for_topic(code)
    for group in identification.keywords or []:
        thesaurus = ((group.thesaurus or {}).get("title") or "").lower()
        for keyword in group.keywords:
            if keyword.url and keyword.url.startswith(DCAT_THEME_PREFIX):
                found.append(keyword.url)
            elif INSPIRE_THESAURUS in thesaurus and keyword.name:
                found += themes_for_inspire(keyword.name)
    return list(dict.fromkeys(found))  # each once, in the order found


DCAT_THEME_PREFIX = "http://publications.europa.eu/resource/authority/data-theme/"


def _parties(
    metadata: Any, identification: Any, warnings: list[Bilingual]
) -> tuple[AgentInput | None, ContactInput | None]:
    resource = list(identification.contact or [])
    parties = resource + list(metadata.contact or [])
    publisher_party = next(
        (
            party
            for role in PUBLISHER_ROLES
            for party in (resource if role != "pointOfContact" else parties)
            if party.role == role and (party.organization or party.name)
        ),
        None,
    )
    if publisher_party is None:
        party_path = f"{IDENTIFICATION}/gmd:pointOfContact/gmd:CI_ResponsibleParty"
        warnings.append(
            Bilingual(
                f"{party_path}: keine verantwortliche Stelle, kein Herausgeber",
                f"{party_path}: no responsible party, no publisher",
            )
        )
    with_email = next((party for party in parties if party.email), None)
    if parties and with_email is None:
        warnings.append(
            Bilingual(
                "gmd:CI_ResponsibleParty/…/gmd:electronicMailAddress: keine E-Mail-Adresse für "
                "den Kontakt",
                "gmd:CI_ResponsibleParty/…/gmd:electronicMailAddress: no e-mail address for the "
                "contact point",
            )
        )
    contact_party = with_email or next(iter(parties), None)
    publisher = None
    if publisher_party is not None:
        publisher = AgentInput(
            name=(publisher_party.organization or publisher_party.name).strip(),
            email=_valid_email(publisher_party.email),
        )
    contact = None
    if contact_party is not None and (contact_party.organization or contact_party.name):
        contact = ContactInput(
            name=(contact_party.organization or contact_party.name).strip(),
            email=_valid_email(contact_party.email),
            phone=(contact_party.phone or None),
        )
    return publisher, contact


def _valid_email(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if "@" in text and " " not in text else None


def _bounding_box(identification: Any, warnings: list[Bilingual]) -> list[LocationInput]:
    # OWSLib sets bbox (and the temporal extent) only when the record has an extent at all.
    box = getattr(identification, "bbox", None)
    if box is None:
        return []
    try:
        west, south, east, north = (float(v) for v in (box.minx, box.miny, box.maxx, box.maxy))
    except (TypeError, ValueError):
        warnings.append(
            Bilingual(
                "gmd:EX_GeographicBoundingBox: Koordinaten nicht lesbar",
                "gmd:EX_GeographicBoundingBox: coordinates unreadable",
            )
        )
        return []
    if not (-90 <= south <= 90 and -90 <= north <= 90 and -180 <= west <= 180 >= east >= -180):
        warnings.append(
            Bilingual(
                "gmd:EX_GeographicBoundingBox: Koordinaten außerhalb von WGS 84, weggelassen",
                "gmd:EX_GeographicBoundingBox: coordinates outside WGS 84, left out",
            )
        )
        return []
    if west > east:
        # Not the antimeridian: GeoNetwork records exchange west and east (a box across
        # France from 3.28 to 1.31 east); the box meant is the one between them.
        warnings.append(
            Bilingual(
                "gmd:EX_GeographicBoundingBox: westBoundLongitude liegt östlich von "
                "eastBoundLongitude, vertauscht",
                "gmd:EX_GeographicBoundingBox: west bound lies east of east bound, exchanged",
            )
        )
        west, east = east, west
    if south > north:
        south, north = north, south
    return [LocationInput(bbox=bbox_wkt(west, south, east, north))]


def bbox_wkt(west: float, south: float, east: float, north: float) -> str:
    """A GeoSPARQL WKT polygon in CRS84 (longitude, latitude), as GeoDCAT-AP writes it."""
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    points = ", ".join(f"{x:g} {y:g}" for x, y in ring)
    return f"<{CRS84}> POLYGON(({points}))"


def _temporal(identification: Any, warnings: list[Bilingual]) -> list[PeriodInput]:
    start = parse_date_value(getattr(identification, "temporalextent_start", None))
    end = parse_date_value(getattr(identification, "temporalextent_end", None))
    if start is None and end is None:
        return []
    return [PeriodInput(start=start, end=end)]


@dataclass(frozen=True)
class _Service:
    endpoint: str
    description: str | None
    kind: tuple[str, str]


def _online_resources(
    metadata: Any, identification: Any, rights: Rights, scope: str
) -> tuple[list[DistributionInput], list[str], list[_Service]]:
    distributions: list[DistributionInput] = []
    pages: list[str] = []
    services: list[_Service] = []
    declared = (getattr(identification, name, None) for name in ("type", "version"))
    service_type = " ".join(str(value) for value in declared if value)
    online = list(metadata.distribution.online) if metadata.distribution else []
    for resource in online:
        url = (resource.url or "").strip()
        if not is_absolute_iri(url):
            continue
        kind = service_kind(resource.protocol, url)
        if kind is None and scope == "service" and "getcapabilities" in url.lower():
            kind = service_kind(service_type)
        download = "download" in (resource.protocol or "").lower() or resource.function == (
            "download"
        )
        if kind is None and not download:
            if url not in pages:
                pages.append(url)
            continue
        title = _texts(resource.name or resource.description, "")
        if kind is not None:
            services.append(_Service(url.split("?", 1)[0], url, kind))
        file_type = FILE_TYPES.resolve(kind[0]) if kind else _file_type(url)
        distributions.append(
            DistributionInput(
                access_url=url,
                download_url=url if download and kind is None else None,
                title=title,
                format=file_type,
                license=rights.licence,
                license_attribution_by_text=rights.attribution,
                conforms_to=[kind[1]] if kind else [],
                uri=None,
            )
        )
    return distributions, pages, services


def _file_type(url: str) -> str | None:
    tail = url.split("?", 1)[0].rsplit("/", 1)[-1]
    return FILE_TYPES.resolve(tail.rsplit(".", 1)[-1]) if "." in tail else None


def _add_extras(
    graph: Graph,
    node: URIRef | BNode,
    metadata: Any,
    identification: Any,
    dates: dict[str, date | None],
    scope: str,
    lang: str,
) -> None:
    graph.add((node, DCT.type, URIRef(INSPIRE_RESOURCE_TYPE + scope)))
    if (created := dates.get("creation")) is not None:
        graph.add((node, DCT.created, date_literal(created)))
    lineage = metadata.dataquality.lineage if metadata.dataquality else None
    if lineage and lineage.strip():
        statement = BNode()
        graph.add((node, DCT.provenance, statement))
        graph.add((statement, RDF.type, DCT.ProvenanceStatement))
        graph.add((statement, RDFS.label, Literal(lineage.strip(), lang=lang)))
    for target in getattr(identification, "operateson", None) or []:
        href = (target.get("href") or "").strip()
        if is_absolute_iri(href):
            graph.add((node, DCT.relation, URIRef(href)))


def _add_service(
    graph: Graph, node: URIRef | BNode, service: _Service, title: str, lang: str
) -> None:
    """A dcat:DataService for the endpoint, serving this dataset, behind its distribution."""
    service_node = BNode()
    graph.add((service_node, RDF.type, DCAT.DataService))
    graph.add((service_node, DCT.title, Literal(title, lang=lang)))
    graph.add((service_node, DCAT.endpointURL, URIRef(service.endpoint)))
    if service.description and is_absolute_iri(service.description):
        graph.add((service_node, DCAT.endpointDescription, URIRef(service.description)))
    graph.add((service_node, DCT.conformsTo, URIRef(service.kind[1])))
    graph.add((service_node, DCAT.servesDataset, node))
    for distribution in graph.objects(node, DCAT.distribution):
        if (distribution, DCAT.accessURL, URIRef(service.description or "")) in graph:
            graph.add((distribution, DCAT.accessService, service_node))
