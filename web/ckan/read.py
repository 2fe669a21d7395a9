"""The CKAN read actions: site, packages, resources, organisations, groups, licences, tags.

Anonymous callers see the public catalog (catalog.publication); a steward's token adds the
drafts, withdrawn and invalid records of that steward's organisations to package_show and
resource_show (catalog.permissions.may_see_record).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.models import DatasetRecord
from catalog.organizations import get_organization_by_name, list_organizations
from catalog.permissions import may_see_record
from catalog.publication import public_names_and_changes, public_records_newest_first
from catalog.records import get_record_by_name_or_id
from catalog.resources import record_ids_for_resource
from catalog.search.base import SearchQuery
from dcat.ckan.serialize import resource_id
from dcat.vocabularies import LICENSES, THEMES
from web.ckan.auth import current_rights
from web.ckan.base import (
    MAX_LIMIT,
    flag,
    integer,
    not_found,
    organization_dict,
    organizations_by_id,
    package_counts,
    package_dict,
    record_view,
    text,
    validation,
)
from web.ckan.quality import with_quality_extras
from web.context import current_search, current_settings, current_store
from web.usage import count_api_read

CKAN_VERSION = "2.10.4"  # the API version we answer like; clients check it in status_show
ALL_TAGS = 1_000_000


def status_show(_: Mapping[str, Any]) -> dict[str, Any]:
    catalog = current_settings().catalog
    return {
        "site_title": catalog.title,
        "site_description": catalog.description,
        "site_url": catalog.base_url,
        "ckan_version": CKAN_VERSION,
        "locale_default": catalog.language,
        "extensions": ["dcat", "dcatde"],
    }


def site_read(_: Mapping[str, Any]) -> bool:
    return True


def package_list(parameters: Mapping[str, Any]) -> list[str]:
    limit = integer(parameters, "limit", default=None, maximum=MAX_LIMIT)
    offset = integer(parameters, "offset", default=0) or 0
    rows = public_names_and_changes(current_store(), current_settings(), offset=offset, limit=limit)
    return [name for name, _ in rows]


def current_package_list_with_resources(parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
    limit = integer(parameters, "limit", default=10, maximum=MAX_LIMIT)
    offset = integer(parameters, "offset", default=0) or 0
    records = public_records_newest_first(
        current_store(), current_settings(), offset=offset, limit=limit
    )
    organizations = organizations_by_id()
    return [package_dict(record, organizations) for record in records]


def visible_record(key: str) -> DatasetRecord | None:
    """The record with this id or name, if the caller may see it."""
    record = get_record_by_name_or_id(current_store(), key)
    if record is None:
        return None
    publish_invalid = current_settings().validation.publish_invalid
    return (
        record
        if may_see_record(current_rights(), record, publish_invalid=publish_invalid)
        else None
    )


def package_show(parameters: Mapping[str, Any]) -> dict[str, Any]:
    wanted = text(parameters, "id", "name")
    if not wanted:
        raise validation("id", "Pflichtfeld", "Missing value")
    record = visible_record(wanted)
    if record is None:
        raise not_found(f"Datensatz {wanted!r}", f"dataset {wanted!r}")
    count_api_read(record.id)
    return with_quality_extras(package_dict(record, organizations_by_id()), record)


def resource_show(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A resource by its id: the record's resource ids name it, the record's graph confirms it."""
    wanted = text(parameters, "id")
    if not wanted:
        raise validation("id", "Pflichtfeld", "Missing value")
    organizations = organizations_by_id()
    for record_id in record_ids_for_resource(current_store(), wanted):
        record = visible_record(record_id)
        if record is None:
            continue
        view = record_view(record)
        if any(resource_id(d, record.id) == wanted for d in view.distributions):
            package = package_dict(record, organizations, view)
            return next(r for r in package["resources"] if r["id"] == wanted)
    raise not_found(f"Ressource {wanted!r}", f"resource {wanted!r}")


def tag_list(parameters: Mapping[str, Any]) -> list[Any]:
    """Every keyword of the public records; `query` keeps those containing it (as CKAN does)."""
    if text(parameters, "vocabulary_id"):
        vocabulary = text(parameters, "vocabulary_id")
        raise not_found(f"Vokabular {vocabulary!r}", f"vocabulary {vocabulary!r}")
    found = current_search().search(SearchQuery(facets=("keyword",), facet_limit=ALL_TAGS, limit=0))
    wanted = text(parameters, "query", "q").casefold()
    names = sorted(
        {
            facet.value
            for facet in found.facets.get("keyword", [])
            if wanted in facet.value.casefold()
        },
        key=lambda name: (name.casefold(), name),
    )
    if flag(parameters, "all_fields"):
        return [
            {"id": name, "name": name, "display_name": name, "vocabulary_id": None}
            for name in names
        ]
    return names


def organization_list(parameters: Mapping[str, Any]) -> list[Any]:
    organizations = list_organizations(current_store())
    if flag(parameters, "all_fields"):
        counts = package_counts()
        return [organization_dict(org, counts.get(org.id, 0)) for org in organizations]
    return [org.name for org in organizations]


def organization_show(parameters: Mapping[str, Any]) -> dict[str, Any]:
    wanted = text(parameters, "id")
    store = current_store()
    organization = get_organization_by_name(store, wanted)
    if organization is None:
        organization = organizations_by_id().get(wanted)
    if organization is None:
        raise not_found(f"Organisation {wanted!r}", f"organization {wanted!r}")
    return organization_dict(organization, package_counts().get(organization.id, 0))


def group_list(parameters: Mapping[str, Any]) -> list[Any]:
    """The EU data themes, which CKAN portals in Germany keep as groups."""
    lang = current_settings().catalog.language
    groups = [
        {
            "id": concept.code.lower(),
            "name": concept.code.lower(),
            "title": concept.label_de if lang == "de" else concept.label_en,
            "display_name": concept.label_de if lang == "de" else concept.label_en,
            "uri": concept.iri,
        }
        for concept in THEMES
    ]
    return groups if flag(parameters, "all_fields") else [group["name"] for group in groups]


def license_list(_: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": concept.iri,
            "title": concept.label_de,
            "url": concept.iri,
            "od_conformance": "approved" if concept.open else "not reviewed",
            "osd_conformance": "not reviewed",
            "status": "active",
        }
        for concept in LICENSES
    ]
