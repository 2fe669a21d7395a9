"""package_search: CKAN's search parameters answered from catalog.search, in CKAN's shape.

fq and the field terms of q become one condition tree of the search contract (web.ckan.query),
which the search backend answers whole, OR and NOT included; facet values that every match
must have also go into SearchQuery.filters, so the facet lists show them. Only public records
are searched, for every caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from catalog.models import DatasetRecord
from catalog.publication import is_public
from catalog.records import get_records
from catalog.search.base import (
    FACET_FIELDS,
    All,
    Condition,
    Intersects,
    SearchQuery,
    SearchResult,
    Term,
)
from dcat.bilingual import Bilingual
from dcat.bounding_box import BoundingBoxError, parse_bbox_parameter
from dcat.vocabularies import FILE_TYPES, LICENSES, THEMES
from web.ckan.base import (
    MAX_LIMIT,
    flag,
    integer,
    organizations_by_id,
    package_dict,
    search_query_error,
    text,
    text_list,
)
from web.ckan.dates import QueryError
from web.ckan.query import parse_sort, words_and_condition
from web.context import current_search, current_settings, current_store

DEFAULT_ROWS = 10
DEFAULT_FACET_LIMIT = 50
UNLIMITED_FACETS = 100_000
# CKAN facet name -> catalog.search facet.
FACETS = {
    "organization": "organization",
    "tags": "keyword",
    "groups": "theme",
    "res_format": "format",
    "license_id": "license",
}
# Keys `fl` may ask for that the record's columns answer without reading its graph.
COLUMN_FIELDS = {"id", "name", "title", "metadata_modified", "metadata_created", "owner_org"}


def package_search(parameters: Mapping[str, Any]) -> dict[str, Any]:
    rows = integer(parameters, "rows", default=DEFAULT_ROWS, maximum=MAX_LIMIT) or 0
    start = integer(parameters, "start", default=0) or 0
    facet_names = _facet_names(parameters)
    facet_limit = integer(parameters, "facet.limit", default=DEFAULT_FACET_LIMIT, minimum=-1)
    try:
        words, condition = words_and_condition(text(parameters, "q"), text(parameters, "fq"))
        sort = parse_sort(text(parameters, "sort"))
    except QueryError as error:
        raise search_query_error(error.reason) from None
    filters, condition = _facet_filters(condition)
    area = _area(parameters)
    if area is not None:
        condition = All((condition, area))
    found = current_search().search(
        SearchQuery(
            text=words,
            filters=filters,
            condition=condition,
            sort=sort.order,
            descending=sort.descending,
            offset=start,
            limit=rows,
            facets=tuple(FACETS[name] for name in facet_names),
            facet_limit=UNLIMITED_FACETS if facet_limit in (-1, None) else facet_limit,
        )
    )
    minimum = integer(parameters, "facet.mincount", default=1) or 0
    facets = _facet_items(found, facet_names, minimum)
    return {
        "count": found.total,
        "results": _results(found, text(parameters, "fl")),
        "facets": {
            name: {item["name"]: item["count"] for item in items} for name, items in facets.items()
        },
        "search_facets": {name: {"title": name, "items": items} for name, items in facets.items()},
        "sort": sort.text,
    }


def _facet_names(parameters: Mapping[str, Any]) -> list[str]:
    if not flag(parameters, "facet", default=True):
        return []
    names = text_list(parameters.get("facet.field"), "facet.field")
    unknown = [name for name in names if name not in FACETS]
    if unknown:
        known = ", ".join(FACETS)
        raise search_query_error(
            Bilingual(
                f"facet.field: unbekannt {', '.join(unknown)} (bekannt: {known})",
                f"facet.field: unknown {', '.join(unknown)} (known: {known})",
            )
        )
    return list(dict.fromkeys(names))


# --- conditions to a query -----------------------------------------------------------------


def _area(parameters: Mapping[str, Any]) -> Intersects | None:
    """ckanext-spatial's ext_bbox (minlon,minlat,maxlon,maxlat), given as a parameter of its
    own or in `extras` as CKAN's search page passes it."""
    extras = parameters.get("extras")
    value = parameters.get("ext_bbox") or (
        extras.get("ext_bbox") if isinstance(extras, Mapping) else None
    )
    if value in (None, ""):
        return None
    try:
        return Intersects(parse_bbox_parameter(str(value)))
    except BoundingBoxError as error:
        raise search_query_error(
            Bilingual(f"ext_bbox: {error.german}", f"ext_bbox: {error.english}")
        ) from None


def _facet_filters(condition: Condition) -> tuple[dict[str, list[str]], Condition]:
    """Facet values every match must have, as `filters` (so facet lists show them, as on the
    results page), and the rest of the condition."""
    filters: dict[str, list[str]] = {}
    rest: list[Condition] = []
    for part in _conjuncts(condition):
        if isinstance(part, Term) and part.field in FACET_FIELDS:
            filters.setdefault(part.field, []).append(part.value)
        else:
            rest.append(part)
    return filters, rest[0] if len(rest) == 1 else All(tuple(rest))


def _conjuncts(condition: Condition) -> Iterator[Condition]:
    if isinstance(condition, All):
        for part in condition.children:
            yield from _conjuncts(part)
    else:
        yield condition


# --- results -----------------------------------------------------------------------------


def _results(found: SearchResult, fl: str) -> list[dict[str, Any]]:
    """The hits as package dicts, in the index's order; `fl` keeps only the fields asked for."""
    ids = [hit.record_id for hit in found.hits]
    if not ids:
        return []
    records = get_records(current_store(), ids)
    settings = current_settings()
    # A record that stopped being public since the index saw it is left out.
    ordered = [records[i] for i in ids if i in records and is_public(records[i], settings)]
    wanted = [name.strip() for name in fl.split(",") if name.strip()] if fl else []
    if wanted and set(wanted) <= COLUMN_FIELDS:
        return [_columns(record, wanted) for record in ordered]
    organizations = organizations_by_id()
    packages = [package_dict(record, organizations) for record in ordered]
    if wanted:
        return [{key: package.get(key) for key in wanted} for package in packages]
    return packages


def _columns(record: DatasetRecord, wanted: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "title": record.title,
        "metadata_modified": _iso(record.updated_at),
        "metadata_created": _iso(record.created_at),
        "owner_org": record.organization_id,
    }
    return {key: values[key] for key in wanted}


def _iso(value: datetime) -> str:
    return value.isoformat()


def _facet_items(
    found: SearchResult, names: list[str], minimum: int
) -> dict[str, list[dict[str, Any]]]:
    organizations = {org.name: org.title for org in organizations_by_id().values()}
    lang = current_settings().catalog.language
    result: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        counts = found.facets.get(FACETS[name], [])
        result[name] = [
            {
                "name": _facet_value(name, facet.value),
                "display_name": _display_name(name, facet.value, organizations, lang),
                "count": facet.count,
            }
            for facet in counts
            if facet.count >= minimum
        ]
    return result


def _facet_value(name: str, value: str) -> str:
    """The value as the CKAN field holds it: groups by their lower-case names."""
    return value.lower() if name == "groups" else value


def _display_name(name: str, value: str, organizations: Mapping[str, str], lang: str) -> str:
    if name == "organization":
        return organizations.get(value, value)
    if name == "groups":
        concept = next((c for c in THEMES if c.code == value), None)
        return (concept.label_de if lang == "de" else concept.label_en) if concept else value
    if name == "license_id":
        return LICENSES.label(value, lang) or value
    if name == "res_format":
        concept = next((c for c in FILE_TYPES if c.code == value), None)
        return concept.code if concept else value
    return value
