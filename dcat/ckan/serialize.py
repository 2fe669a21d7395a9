"""Flat dataset view -> CKAN package dict, for the CKAN-compatible Action API.

The other direction of dcat.ckan.parse: package_show's shape, with the DCAT-AP.de fields in the
extras as ckanext-dcatde (GovData) names them, so CKAN clients and harvesters read us unchanged.
Every key is a row of dcat.ckan.fields.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from dcat.bounding_box import bounding_box_of_locations
from dcat.ckan import fields as field
from dcat.ckan.fields import CkanField
from dcat.model import DateValue
from dcat.view import AgentView, DatasetView, DistributionView, LocationView, ServiceView
from dcat.vocabularies import FILE_TYPES, LICENSES, THEMES


def ckan_package_from_view(
    view: DatasetView,
    *,
    name: str,
    organization: Mapping[str, Any] | None = None,
    package_id: str | None = None,
    metadata_created: str | None = None,
    metadata_modified: str | None = None,
) -> dict[str, Any]:
    """A CKAN package dict (package_show shape); DCAT-AP.de extras named as ckanext-dcatde does."""
    licence = view.licenses[0] if view.licenses else None
    concept = LICENSES.get(licence.iri) if licence else None
    # CKAN has one maintainer slot: the dcatde:maintainer, else the contact point.
    responsible = view.maintainer or view.contact
    identifier = package_id or name
    package: dict[str, Any] = {
        field.ID.key: identifier,
        field.PACKAGE_NAME.key: name,
        field.TITLE.key: view.title,
        field.NOTES.key: view.description,
        field.URL.key: view.landing_page or "",
        field.VERSION.key: view.version_info,
        field.LICENSE_ID.key: licence.iri if licence else "",
        field.LICENSE_TITLE.key: licence.label if licence else "",
        field.LICENSE_URL.key: licence.iri if licence else "",
        "isopen": bool(concept and concept.open),
        field.AUTHOR.key: view.creator.name if view.creator else None,
        field.AUTHOR_EMAIL.key: view.creator.email if view.creator else None,
        field.MAINTAINER.key: responsible.name if responsible else None,
        field.MAINTAINER_EMAIL.key: responsible.email if responsible else None,
        "state": "active",
        "type": "dataset",
        "private": False,
        field.METADATA_CREATED.key: metadata_created or _iso(view.issued),
        field.METADATA_MODIFIED.key: metadata_modified or _iso(view.modified),
        field.ORGANIZATION.key: dict(organization) if organization else None,
        "owner_org": organization.get("id") if organization else None,
        field.TAGS.key: [{"name": keyword, "display_name": keyword} for keyword in view.keywords],
        field.GROUPS.key: [_group(theme.iri, theme.label) for theme in view.themes],
        field.RESOURCES.key: [
            _resource(distribution, identifier, position)
            for position, distribution in enumerate(view.distributions)
        ],
        "extras": _extras(view),
        # ckanext-scheming's names, which dcat.ckan.parse reads back: every period and place,
        # so that package_show -> package_update loses none of them.
        field.TEMPORAL_COVERAGE.key: [
            {"start": _iso(period.start), "end": _iso(period.end)} for period in view.temporal
        ],
        field.SPATIAL_COVERAGE.key: [_location(location) for location in view.locations],
        field.APPLICABLE_LEGISLATION.key: list(view.applicable_legislation),
        field.HVD_CATEGORY.key: [category.iri for category in view.hvd_categories],
    }
    package["num_tags"] = len(package[field.TAGS.key])
    package["num_resources"] = len(package[field.RESOURCES.key])
    return package


def _group(iri: str, label: str) -> dict[str, str]:
    concept = THEMES.get(iri)
    code = concept.code if concept else iri.rstrip("/").rsplit("/", 1)[-1]
    return {"name": code.lower(), "title": label, "display_name": label}


def format_code(distribution: DistributionView) -> str:
    """ "CSV" for the EU file type (what CKAN portals show and facet on), else the label."""
    if distribution.format is None:
        return ""
    file_type = FILE_TYPES.get(distribution.format.iri)
    return file_type.code if file_type else distribution.format.label


def resource_id(distribution: DistributionView, package_id: str) -> str:
    """A distribution's CKAN resource id: its dct:identifier, else a UUID stable per package."""
    if distribution.identifier:
        return distribution.identifier
    url = distribution.access_url or distribution.download_url or ""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{package_id} {distribution.uri or url}"))


def _resource(distribution: DistributionView, package_id: str, position: int) -> dict[str, Any]:
    url = distribution.access_url or distribution.download_url or ""
    return {
        field.RESOURCE_ID.key: resource_id(distribution, package_id),
        "package_id": package_id,
        "position": position,
        field.RESOURCE_URL.key: distribution.download_url or url,
        field.RESOURCE_ACCESS_URL.key: distribution.access_url,
        field.RESOURCE_DOWNLOAD_URL.key: distribution.download_url,
        field.RESOURCE_URI.key: distribution.uri,
        field.RESOURCE_NAME.key: distribution.title,
        field.RESOURCE_DESCRIPTION.key: distribution.description,
        field.RESOURCE_FORMAT.key: format_code(distribution),
        field.RESOURCE_MIMETYPE.key: distribution.media_type,
        field.RESOURCE_LICENSE.key: distribution.license.iri if distribution.license else None,
        field.RESOURCE_ATTRIBUTION.key: distribution.license_attribution_by_text,
        field.RESOURCE_SIZE.key: distribution.byte_size,
        field.RESOURCE_CREATED.key: _iso(distribution.issued),
        field.RESOURCE_LAST_MODIFIED.key: _iso(distribution.modified),
        field.RESOURCE_APPLICABLE_LEGISLATION.key: list(distribution.applicable_legislation),
        field.RESOURCE_ACCESS_SERVICES.key: [
            _access_service(service) for service in distribution.access_services
        ],
        "state": "active",
    }


def _access_service(service: ServiceView) -> dict[str, Any]:
    """ckanext-dcat's access_services subfields (endpoint_url is a list there; publisher a
    list of at most one agent object, as its DCAT-AP 3 schema's repeating_once subfield)."""
    return {
        "uri": service.uri,
        "title": service.title,
        "endpoint_url": [service.endpoint_url] if service.endpoint_url else [],
        "endpoint_description": service.endpoint_description,
        "documentation": list(service.pages),
        "publisher": [_agent(service.publisher)] if service.publisher else [],
    }


def _agent(agent: AgentView) -> dict[str, str]:
    """ckanext-dcat's agent subfields (uri, name, email, url, type), the empty ones left out."""
    found = {
        "uri": agent.uri,
        "name": agent.name,
        "email": agent.email,
        "url": agent.homepage,
        "type": agent.type,
    }
    return {key: value for key, value in found.items() if value}


def _extras(view: DatasetView) -> list[dict[str, str]]:
    publisher, contact = view.publisher, view.contact
    period = view.temporal_start, view.temporal_end
    values: list[tuple[CkanField, Any]] = [
        (field.URI, view.uri),
        (field.IDENTIFIER, view.identifier),
        (field.ISSUED, _iso(view.issued)),
        (field.MODIFIED, _iso(view.modified)),
        (field.CONTRIBUTOR_ID, [view.contributor_id] if view.contributor_id else []),
        (field.POLITICAL_GEOCODING_URI, list(view.political_geocoding_uris)),
        (field.POLITICAL_GEOCODING_LEVEL_URI, view.political_geocoding_level_uri),
        (field.GEOCODING_TEXT, view.geocoding_description),
        (field.LEGALBASIS_TEXT, view.legal_basis),
        (field.PUBLISHER_NAME, publisher.name if publisher else None),
        (field.PUBLISHER_URI, publisher.uri if publisher else None),
        (field.PUBLISHER_EMAIL, publisher.email if publisher else None),
        (field.PUBLISHER_URL, publisher.homepage if publisher else None),
        (field.CONTACT_NAME, contact.name if contact else None),
        (field.CONTACT_EMAIL, contact.email if contact else None),
        (field.CONTACT_URL, contact.url if contact else None),
        (field.CONTACT_PHONE, contact.phone if contact else None),
        (field.THEME, [theme.iri for theme in view.themes]),
        (field.LANGUAGE, list(view.languages)),
        (field.FREQUENCY, view.frequency.iri if view.frequency else None),
        (field.TEMPORAL_START, _iso(period[0])),
        (field.TEMPORAL_END, _iso(period[1])),
        (field.SPATIAL_URI, list(view.spatial_uris)),
        (field.SPATIAL, _spatial_geojson(view)),
        (field.ACCESS_RIGHTS, view.access_rights),
        (field.CONFORMS_TO, list(view.conforms_to)),
        (field.AVAILABILITY, view.availability),
    ]
    return [
        {"key": row.key, "value": json.dumps(value) if isinstance(value, list) else str(value)}
        for row, value in values
        if value
    ]


def _spatial_geojson(view: DatasetView) -> str | None:
    box = bounding_box_of_locations(view.locations)
    return json.dumps(box.as_geojson()) if box is not None else None


def _location(location: LocationView) -> dict[str, str]:
    found = {
        "uri": location.uri,
        "bbox": location.bbox,
        "centroid": location.centroid,
        "geom": location.geometry,
    }
    return {key: value for key, value in found.items() if value}


def _iso(value: DateValue | None) -> str | None:
    return value.isoformat() if value is not None else None


__all__ = ["ckan_package_from_view", "format_code", "resource_id"]
