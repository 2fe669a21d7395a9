"""The one table of CKAN field names: each key, its level, the DCAT property it carries, its kind.

dcat.ckan.parse reads these keys, dcat.ckan.serialize writes them, dcat.ckan.errors names
them for a finding; none of them spells a key of its own. Names are CKAN core's and those of
ckanext-dcat, ckanext-scheming, ckanext-spatial and ckanext-dcatde (GovData).

Rows of one property stand in order of preference: a finding on that property (or, for a
linked node, on one of the row's `on_node` properties) names the first of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from rdflib import URIRef

from dcat.hvd import APPLICABLE_LEGISLATION as _LEGISLATION
from dcat.hvd import HVD_CATEGORY as _HVD_CATEGORY
from dcat.namespaces import ADMS, DCAT, DCATAP, DCATDE, DCT, FOAF, OWL, TIME, VCARD


class Level(Enum):
    PACKAGE = "package"
    RESOURCE = "resource"


class Slot(Enum):
    """Where serialize writes a field; parse reads top-level keys and extras alike."""

    TOP = "top"  # a key of package_show's object (or of a resource)
    EXTRA = "extra"  # an {"key", "value"} extra, as ckanext-dcatde writes it
    SERVER = "server"  # kept by CKAN itself (id, name, dates, organization); read as a fallback
    READ = "read"  # another extension's name: read, never written


class Kind(Enum):
    """What a value is, as CKAN holds it."""

    TEXT = "text"
    TEXTS = "texts"  # a list of texts (a JSON list in an extra)
    IRI = "iri"
    IRIS = "iris"
    CONCEPT = "concept"  # a vocabulary value, resolved through dcat.vocabularies
    CONCEPTS = "concepts"
    DATE = "date"
    EMAIL = "email"
    NUMBER = "number"
    WKT = "wkt"  # a geometry as WKT or GeoJSON
    OBJECTS = "objects"  # a list of objects (tags, groups, resources, coverage entries)


@dataclass(frozen=True)
class CkanField:
    """One CKAN key; `on_node` are the properties on the linked node it fills, if any."""

    key: str
    level: Level
    properties: tuple[URIRef, ...]
    kind: Kind
    slot: Slot
    on_node: tuple[URIRef, ...] = ()

    @property
    def written(self) -> bool:
        return self.slot in (Slot.TOP, Slot.EXTRA)


FIELDS: list[CkanField] = []


def _row(
    key: str,
    level: Level,
    properties: tuple[URIRef, ...],
    kind: Kind,
    slot: Slot,
    on_node: tuple[URIRef, ...] = (),
) -> CkanField:
    field = CkanField(key, level, properties, kind, slot, on_node)
    FIELDS.append(field)
    return field


def _package(key: str, prop: URIRef | None, kind: Kind, slot: Slot, *on_node: URIRef) -> CkanField:
    return _row(key, Level.PACKAGE, (prop,) if prop else (), kind, slot, on_node)


def _resource(key: str, props: tuple[URIRef, ...], kind: Kind, slot: Slot) -> CkanField:
    return _row(key, Level.RESOURCE, props, kind, slot)


# What a property on a linked agent, contact or period says.
_NAME = (FOAF.name, VCARD.fn)
_MAIL = (FOAF.mbox, VCARD.hasEmail)
_HOMEPAGE = (FOAF.homepage, VCARD.hasURL)
_START = (DCAT.startDate, TIME.hasBeginning)
_END = (DCAT.endDate, TIME.hasEnd)

# --- the package ------------------------------------------------------------------------
URI = _package("uri", None, Kind.IRI, Slot.EXTRA)  # the dataset's own IRI
TITLE = _package("title", DCT.title, Kind.TEXT, Slot.TOP)
NOTES = _package("notes", DCT.description, Kind.TEXT, Slot.TOP)
DESCRIPTION = _package("description", DCT.description, Kind.TEXT, Slot.READ)
IDENTIFIER = _package("identifier", DCT.identifier, Kind.TEXT, Slot.EXTRA)
ID = _package("id", DCT.identifier, Kind.TEXT, Slot.SERVER)
PACKAGE_NAME = _package("name", None, Kind.TEXT, Slot.SERVER)  # a landing page is made from it
TAGS = _package("tags", DCAT.keyword, Kind.OBJECTS, Slot.TOP)
TAGS_TRANSLATED = _package("tags_translated", DCAT.keyword, Kind.OBJECTS, Slot.READ)
KEYWORDS = _package("keywords", DCAT.keyword, Kind.OBJECTS, Slot.READ)
GROUPS = _package("groups", DCAT.theme, Kind.OBJECTS, Slot.TOP)
THEME = _package("theme", DCAT.theme, Kind.CONCEPTS, Slot.EXTRA)
LICENSE_ID = _package("license_id", DCT.license, Kind.CONCEPT, Slot.TOP)
LICENSE_URL = _package("license_url", DCT.license, Kind.CONCEPT, Slot.TOP)
LICENSE_TITLE = _package("license_title", DCT.license, Kind.TEXT, Slot.TOP)
LICENSE = _package("license", DCT.license, Kind.CONCEPT, Slot.READ)
LICENSE_ATTRIBUTION = _package(
    "licenseAttributionByText", DCATDE.licenseAttributionByText, Kind.TEXT, Slot.READ
)  # every distribution's, when a resource has none
ISSUED = _package("issued", DCT.issued, Kind.DATE, Slot.EXTRA)
DCAT_ISSUED = _package("dcat_issued", DCT.issued, Kind.DATE, Slot.READ)
METADATA_CREATED = _package("metadata_created", DCT.issued, Kind.DATE, Slot.SERVER)
MODIFIED = _package("modified", DCT.modified, Kind.DATE, Slot.EXTRA)
DCAT_MODIFIED = _package("dcat_modified", DCT.modified, Kind.DATE, Slot.READ)
METADATA_MODIFIED = _package("metadata_modified", DCT.modified, Kind.DATE, Slot.SERVER)
VERSION = _package("version", OWL.versionInfo, Kind.TEXT, Slot.TOP)
VERSION_NOTES = _package("version_notes", ADMS.versionNotes, Kind.TEXT, Slot.READ)
ACCESS_RIGHTS = _package("access_rights", DCT.accessRights, Kind.TEXT, Slot.EXTRA)
FREQUENCY = _package("frequency", DCT.accrualPeriodicity, Kind.CONCEPT, Slot.EXTRA)
ACCRUAL_PERIODICITY = _package(
    "accrual_periodicity", DCT.accrualPeriodicity, Kind.CONCEPT, Slot.READ
)
FREQUENCY_OF_UPDATE = _package(
    "frequency-of-update", DCT.accrualPeriodicity, Kind.CONCEPT, Slot.READ
)
LANGUAGE = _package("language", DCT.language, Kind.CONCEPTS, Slot.EXTRA)
AVAILABILITY = _package("availability", DCATAP.availability, Kind.CONCEPT, Slot.EXTRA)
URL = _package("url", DCAT.landingPage, Kind.IRI, Slot.TOP)
DOCUMENTATION = _package("documentation", FOAF.page, Kind.IRIS, Slot.READ)
CONFORMS_TO = _package("conforms_to", DCT.conformsTo, Kind.TEXTS, Slot.EXTRA)
# ckanext-spatial's GeoJSON geometry, written as the box around the dataset's places (what
# CKAN's spatial search and ckanext-dcat-style consumers read); spatial_coverage keeps each.
SPATIAL = _package("spatial", DCT.spatial, Kind.WKT, Slot.EXTRA)
SPATIAL_URI = _package("spatial_uri", DCT.spatial, Kind.IRIS, Slot.EXTRA)
SPATIAL_COVERAGE = _package("spatial_coverage", DCT.spatial, Kind.OBJECTS, Slot.TOP)
BBOX_WEST = _package("bbox-west-long", DCT.spatial, Kind.NUMBER, Slot.READ)
BBOX_SOUTH = _package("bbox-south-lat", DCT.spatial, Kind.NUMBER, Slot.READ)
BBOX_EAST = _package("bbox-east-long", DCT.spatial, Kind.NUMBER, Slot.READ)
BBOX_NORTH = _package("bbox-north-lat", DCT.spatial, Kind.NUMBER, Slot.READ)
TEMPORAL_START = _package("temporal_start", DCT.temporal, Kind.DATE, Slot.EXTRA, *_START)
TEMPORAL_END = _package("temporal_end", DCT.temporal, Kind.DATE, Slot.EXTRA, *_END)
TEMPORAL_COVERAGE_FROM = _package(
    "temporal_coverage-from", DCT.temporal, Kind.DATE, Slot.READ, *_START
)
TEMPORAL_COVERAGE_TO = _package("temporal_coverage-to", DCT.temporal, Kind.DATE, Slot.READ, *_END)
TEMPORAL_COVERAGE = _package("temporal_coverage", DCT.temporal, Kind.OBJECTS, Slot.TOP)
PUBLISHER_NAME = _package("publisher_name", DCT.publisher, Kind.TEXT, Slot.EXTRA, *_NAME)
PUBLISHER_URI = _package("publisher_uri", DCT.publisher, Kind.IRI, Slot.EXTRA)
PUBLISHER_EMAIL = _package("publisher_email", DCT.publisher, Kind.EMAIL, Slot.EXTRA, *_MAIL)
PUBLISHER_URL = _package("publisher_url", DCT.publisher, Kind.IRI, Slot.EXTRA, *_HOMEPAGE)
PUBLISHER_TYPE = _package("publisher_type", DCT.publisher, Kind.IRI, Slot.READ, DCT.type)
DCAT_PUBLISHER_NAME = _package("dcat_publisher_name", DCT.publisher, Kind.TEXT, Slot.READ, *_NAME)
DCAT_PUBLISHER_URI = _package("dcat_publisher_uri", DCT.publisher, Kind.IRI, Slot.READ)
DCAT_PUBLISHER_EMAIL = _package(
    "dcat_publisher_email", DCT.publisher, Kind.EMAIL, Slot.READ, *_MAIL
)
DCAT_PUBLISHER_URL = _package("dcat_publisher_url", DCT.publisher, Kind.IRI, Slot.READ, *_HOMEPAGE)
DCAT_PUBLISHER_TYPE = _package("dcat_publisher_type", DCT.publisher, Kind.IRI, Slot.READ, DCT.type)
PUBLISHER = _package("publisher", DCT.publisher, Kind.OBJECTS, Slot.READ)
ORGANIZATION = _package("organization", DCT.publisher, Kind.OBJECTS, Slot.SERVER)
AUTHOR = _package("author", DCT.creator, Kind.TEXT, Slot.TOP, *_NAME)
AUTHOR_EMAIL = _package("author_email", DCT.creator, Kind.EMAIL, Slot.TOP, *_MAIL)
AUTHOR_URL = _package("author_url", DCT.creator, Kind.IRI, Slot.READ, *_HOMEPAGE)
MAINTAINER = _package("maintainer", DCATDE.maintainer, Kind.TEXT, Slot.TOP, *_NAME)
MAINTAINER_EMAIL = _package("maintainer_email", DCATDE.maintainer, Kind.EMAIL, Slot.TOP, *_MAIL)
MAINTAINER_URL = _package("maintainer_url", DCATDE.maintainer, Kind.IRI, Slot.READ, *_HOMEPAGE)
ORIGINATOR_NAME = _package("originator_name", DCATDE.originator, Kind.TEXT, Slot.READ, *_NAME)
ORIGINATOR_EMAIL = _package("originator_email", DCATDE.originator, Kind.EMAIL, Slot.READ, *_MAIL)
ORIGINATOR_URL = _package("originator_url", DCATDE.originator, Kind.IRI, Slot.READ, *_HOMEPAGE)
CONTACT_EMAIL = _package("contact_email", DCAT.contactPoint, Kind.EMAIL, Slot.EXTRA, *_MAIL)
CONTACT_NAME = _package("contact_name", DCAT.contactPoint, Kind.TEXT, Slot.EXTRA, *_NAME)
CONTACT_URL = _package("contact_url", DCAT.contactPoint, Kind.IRI, Slot.EXTRA, *_HOMEPAGE)
CONTACT_PHONE = _package(
    "contact_phone", DCAT.contactPoint, Kind.TEXT, Slot.EXTRA, VCARD.hasTelephone
)
CONTACT = _package("contact", DCAT.contactPoint, Kind.OBJECTS, Slot.READ)
CONTACT_POINTS = _package("contact_points", DCAT.contactPoint, Kind.OBJECTS, Slot.READ)
MAINTAINER_TEL = _package(
    "maintainer_tel", DCAT.contactPoint, Kind.TEXT, Slot.READ, VCARD.hasTelephone
)
AUTHOR_TEL = _package("author_tel", DCAT.contactPoint, Kind.TEXT, Slot.READ, VCARD.hasTelephone)
CONTRIBUTOR_ID = _package("contributorID", DCATDE.contributorID, Kind.IRIS, Slot.EXTRA)
POLITICAL_GEOCODING_URI = _package(
    "politicalGeocodingURI", DCATDE.politicalGeocodingURI, Kind.IRIS, Slot.EXTRA
)
POLITICAL_GEOCODING_LEVEL_URI = _package(
    "politicalGeocodingLevelURI", DCATDE.politicalGeocodingLevelURI, Kind.IRI, Slot.EXTRA
)
GEOCODING_TEXT = _package("geocodingText", DCATDE.geocodingDescription, Kind.TEXT, Slot.EXTRA)
GEOCODING_DESCRIPTION = _package(
    "geocodingDescription", DCATDE.geocodingDescription, Kind.TEXT, Slot.READ
)
LEGALBASIS_TEXT = _package("legalbasisText", DCATDE.legalBasis, Kind.TEXT, Slot.EXTRA)
LEGAL_BASIS = _package("legalBasis", DCATDE.legalBasis, Kind.TEXT, Slot.READ)
# ckanext-dcat's DCAT-AP 3 / HVD names (its scheming schema writes lists at the top level,
# its non-scheming profile JSON lists in extras; both are read).
APPLICABLE_LEGISLATION = _package("applicable_legislation", _LEGISLATION, Kind.IRIS, Slot.TOP)
HVD_CATEGORY = _package("hvd_category", _HVD_CATEGORY, Kind.IRIS, Slot.TOP)
RESOURCES = _package("resources", DCAT.distribution, Kind.OBJECTS, Slot.TOP)

# --- a resource (dcat:Distribution) -------------------------------------------------------
RESOURCE_URL = _resource("url", (DCAT.accessURL,), Kind.IRI, Slot.TOP)
RESOURCE_ACCESS_URL = _resource("access_url", (DCAT.accessURL,), Kind.IRI, Slot.TOP)
RESOURCE_DOWNLOAD_URL = _resource("download_url", (DCAT.downloadURL,), Kind.IRI, Slot.TOP)
RESOURCE_NAME = _resource("name", (DCT.title,), Kind.TEXT, Slot.TOP)
RESOURCE_DESCRIPTION = _resource("description", (DCT.description,), Kind.TEXT, Slot.TOP)
RESOURCE_FORMAT = _resource("format", (DCT.format,), Kind.CONCEPT, Slot.TOP)
RESOURCE_MIMETYPE = _resource("mimetype", (DCAT.mediaType,), Kind.TEXT, Slot.TOP)
RESOURCE_MEDIA_TYPE = _resource("media_type", (DCAT.mediaType,), Kind.TEXT, Slot.READ)
RESOURCE_LICENSE = _resource("license", (DCT.license,), Kind.CONCEPT, Slot.TOP)
RESOURCE_LICENSE_ID = _resource("license_id", (DCT.license,), Kind.CONCEPT, Slot.READ)
RESOURCE_ATTRIBUTION = _resource(
    "licenseAttributionByText", (DCATDE.licenseAttributionByText,), Kind.TEXT, Slot.TOP
)
RESOURCE_SIZE = _resource("size", (DCAT.byteSize,), Kind.NUMBER, Slot.TOP)
RESOURCE_CREATED = _resource("created", (DCT.issued,), Kind.DATE, Slot.TOP)
RESOURCE_ISSUED = _resource("issued", (DCT.issued,), Kind.DATE, Slot.READ)
RESOURCE_LAST_MODIFIED = _resource("last_modified", (DCT.modified,), Kind.DATE, Slot.TOP)
RESOURCE_MODIFIED = _resource("modified", (DCT.modified,), Kind.DATE, Slot.READ)
RESOURCE_AVAILABILITY = _resource(
    "availability", (DCATAP.availability, DCATDE.plannedAvailability), Kind.CONCEPT, Slot.READ
)
RESOURCE_LANGUAGE = _resource("language", (DCT.language,), Kind.CONCEPTS, Slot.READ)
RESOURCE_RESOURCE_LANGUAGE = _resource(
    "resource_language", (DCT.language,), Kind.CONCEPTS, Slot.READ
)
RESOURCE_CONFORMS_TO = _resource("conforms_to", (DCT.conformsTo,), Kind.TEXTS, Slot.READ)
RESOURCE_DOCUMENTATION = _resource("documentation", (FOAF.page,), Kind.IRIS, Slot.READ)
RESOURCE_ID = _resource("id", (DCT.identifier,), Kind.TEXT, Slot.TOP)
RESOURCE_URI = _resource("uri", (), Kind.IRI, Slot.TOP)
RESOURCE_APPLICABLE_LEGISLATION = _resource(
    "applicable_legislation", (_LEGISLATION,), Kind.IRIS, Slot.TOP
)
# Objects with uri, title, endpoint_url (a list), endpoint_description, documentation (ours:
# ckanext-dcat keeps foaf:page of a service nowhere), serves_dataset, and publisher (a list of
# one agent object with uri, name, email, url, type: dct:publisher, DCAT-AP.de 3.0 mandatory):
# ckanext-dcat's subfields (its dcat_ap_full.yaml schema, publisher since 2.4.1).
RESOURCE_ACCESS_SERVICES = _resource(
    "access_services", (DCAT.accessService,), Kind.OBJECTS, Slot.TOP
)


# DKAN 7 has no organisations and publishes by group: its "Publisher" field (og_group_ref) is
# what DKAN's own DCAT-AP and data.json outputs write as dct:publisher (GetDKAN/dkan,
# docs/apis/open-data.rst, "Field Comparison"). Its CKAN API names each group "group/<slug>",
# which no CKAN group can be called (CKAN names allow only a-z, 0-9, "-" and "_").
DKAN_GROUP_PREFIX = "group/"


def is_dkan_group(group: Mapping[str, Any]) -> bool:
    """Whether a package's group entry is a DKAN group (a publisher), not a CKAN group."""
    return str(group.get("name") or "").startswith(DKAN_GROUP_PREFIX)


def keys(*fields: CkanField) -> tuple[str, ...]:
    """The keys of these rows, in this order (the order a reader tries them in)."""
    return tuple(field.key for field in fields)


def field_for(level: Level, prop: URIRef, on_node: URIRef | None = None) -> CkanField | None:
    """The row a finding names: on `prop` itself, or on `on_node` of the node `prop` links to.

    A property on the linked node that no row fills names the link's first row.
    """
    rows = [row for row in FIELDS if row.level is level and prop in row.properties]
    if on_node is not None:
        exact = next((row for row in rows if on_node in row.on_node), None)
        if exact is not None:
            return exact
    return rows[0] if rows else None


__all__ = ["FIELDS", "CkanField", "Kind", "Level", "Slot", "field_for", "keys"]
