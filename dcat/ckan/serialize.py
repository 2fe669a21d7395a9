"""Flat dataset view -> CKAN package dict, for the CKAN-compatible Action API.

The other direction of dcat.ckan.parse: package_show's shape, with the DCAT-AP.de fields in the
extras as ckanext-dcatde (GovData) names them, so CKAN clients and harvesters read us unchanged.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from dcat.model import DateValue
from dcat.view import DatasetView, DistributionView, LocationView
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
        "id": identifier,
        "name": name,
        "title": view.title,
        "notes": view.description,
        "url": view.landing_page or "",
        "version": view.version_info,
        "license_id": licence.iri if licence else "",
        "license_title": licence.label if licence else "",
        "license_url": licence.iri if licence else "",
        "isopen": bool(concept and concept.open),
        "author": view.creator.name if view.creator else None,
        "author_email": view.creator.email if view.creator else None,
        "maintainer": responsible.name if responsible else None,
        "maintainer_email": responsible.email if responsible else None,
        "state": "active",
        "type": "dataset",
        "private": False,
        "metadata_created": metadata_created or _iso(view.issued),
        "metadata_modified": metadata_modified or _iso(view.modified),
        "organization": dict(organization) if organization else None,
        "owner_org": organization.get("id") if organization else None,
        "tags": [{"name": keyword, "display_name": keyword} for keyword in view.keywords],
        "groups": [_group(theme.iri, theme.label) for theme in view.themes],
        "resources": [
            _resource(distribution, identifier, position)
            for position, distribution in enumerate(view.distributions)
        ],
        "extras": _extras(view),
        # ckanext-scheming's names, which dcat.ckan.parse reads back: every period and place, so
        # that package_show -> package_update loses none of them.
        "temporal_coverage": [
            {"start": _iso(period.start), "end": _iso(period.end)} for period in view.temporal
        ],
        "spatial_coverage": [_location(location) for location in view.locations],
    }
    package["num_tags"] = len(package["tags"])
    package["num_resources"] = len(package["resources"])
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
        "id": resource_id(distribution, package_id),
        "package_id": package_id,
        "position": position,
        "url": distribution.download_url or url,
        "access_url": distribution.access_url,
        "download_url": distribution.download_url,
        "uri": distribution.uri,
        "name": distribution.title,
        "description": distribution.description,
        "format": format_code(distribution),
        "mimetype": distribution.media_type,
        "license": distribution.license.iri if distribution.license else None,
        "licenseAttributionByText": distribution.license_attribution_by_text,
        "size": distribution.byte_size,
        "created": _iso(distribution.issued),
        "last_modified": _iso(distribution.modified),
        "state": "active",
    }


def _extras(view: DatasetView) -> list[dict[str, str]]:
    publisher, contact = view.publisher, view.contact
    period = view.temporal_start, view.temporal_end
    values: list[tuple[str, Any]] = [
        ("uri", view.uri),
        ("identifier", view.identifier),
        ("issued", _iso(view.issued)),
        ("modified", _iso(view.modified)),
        ("contributorID", [view.contributor_id] if view.contributor_id else []),
        ("politicalGeocodingURI", list(view.political_geocoding_uris)),
        ("politicalGeocodingLevelURI", view.political_geocoding_level_uri),
        ("geocodingText", view.geocoding_description),
        ("legalbasisText", view.legal_basis),
        ("publisher_name", publisher.name if publisher else None),
        ("publisher_uri", publisher.uri if publisher else None),
        ("publisher_email", publisher.email if publisher else None),
        ("publisher_url", publisher.homepage if publisher else None),
        ("contact_name", contact.name if contact else None),
        ("contact_email", contact.email if contact else None),
        ("contact_url", contact.url if contact else None),
        ("contact_phone", contact.phone if contact else None),
        ("theme", [theme.iri for theme in view.themes]),
        ("language", list(view.languages)),
        ("frequency", view.frequency.iri if view.frequency else None),
        ("temporal_start", _iso(period[0])),
        ("temporal_end", _iso(period[1])),
        ("spatial_uri", list(view.spatial_uris)),
        ("access_rights", view.access_rights),
        ("conforms_to", list(view.conforms_to)),
        ("availability", view.availability),
    ]
    return [
        {"key": key, "value": json.dumps(value) if isinstance(value, list) else str(value)}
        for key, value in values
        if value
    ]


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
