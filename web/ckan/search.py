"""package_search: CKAN's search parameters answered from catalog.search, in CKAN's shape.

Conditions that SearchQuery holds directly (ANDed facet values, date ranges, organisation and
record ids) go into one query; OR and NOT parts of fq are evaluated as sets of record ids
from the index (record_timeline) and narrow that query by record_ids. Only public records
are searched, for every caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from catalog.models import DatasetRecord
from catalog.publication import is_public
from catalog.search.base import DateRange, SearchQuery, SearchResult
from catalog.search.service import SearchIndex
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
from web.ckan.query import (
    EVERYTHING,
    All,
    Any_,
    Condition,
    Fragment,
    Leaf,
    Not,
    parse_fq,
    parse_sort,
    split_q,
)
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
        words, q_condition = split_q(text(parameters, "q"))
        condition = All((q_condition, parse_fq(text(parameters, "fq"))))
        sort = parse_sort(text(parameters, "sort"))
    except QueryError as error:
        raise search_query_error(str(error)) from None
    search = current_search()
    query = _Planner(search).query(condition)
    found = search.search(
        SearchQuery(
            text=words,
            **query.arguments(),
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
            f"facet.field: unbekannt / unknown {', '.join(unknown)} (bekannt / known: {known})"
        )
    return list(dict.fromkeys(names))


# --- conditions to a query -----------------------------------------------------------------


@dataclass
class _Query:
    """What SearchQuery takes besides text, order and page, built from ANDed fragments."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    ranges: dict[str, DateRange] = field(default_factory=dict)
    organization_ids: set[str] | None = None
    record_ids: set[str] | None = None

    def add(self, fragment: Fragment, names: Mapping[str, str]) -> None:
        for facet, value in fragment.filters:
            self.filters.setdefault(facet, []).append(value)
        for date_field, bounds in fragment.ranges:
            self.ranges[date_field] = _intersect(self.ranges.get(date_field), bounds)
        if fragment.organization_ids is not None:
            self.organization_ids = _narrow(self.organization_ids, fragment.organization_ids)
        if fragment.record_ids is not None:
            self.record_ids = _narrow(self.record_ids, fragment.record_ids)
        if fragment.names is not None:
            ids = [names[name] for name in fragment.names if name in names]
            self.record_ids = _narrow(self.record_ids, ids)
        if fragment.nothing:
            self.record_ids = set()

    def narrow_to(self, ids: set[str]) -> None:
        self.record_ids = _narrow(self.record_ids, ids)

    def arguments(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "ranges": self.ranges,
            "organization_ids": sorted(self.organization_ids)
            if self.organization_ids is not None
            else None,
            "record_ids": sorted(self.record_ids) if self.record_ids is not None else None,
        }


class _Planner:
    """Turns a condition tree into one query, evaluating OR and NOT parts as id sets."""

    def __init__(self, search: SearchIndex) -> None:
        self.search = search
        self._everything: set[str] | None = None
        self._names: dict[str, str] = {}

    def query(self, condition: Condition) -> _Query:
        self._names = _record_ids_by_name(_names_in(condition))
        query = _Query()
        for part in _conjuncts(condition):
            if isinstance(part, Leaf):
                query.add(part.fragment, self._names)
            else:
                query.narrow_to(self._ids(part))
        return query

    def _ids(self, condition: Condition) -> set[str]:
        if isinstance(condition, Leaf):
            single = _Query()
            single.add(condition.fragment, self._names)
            return self._matching(single)
        if isinstance(condition, All):
            sets = [self._ids(part) for part in condition.parts]
            return set.intersection(*sets) if sets else self._all()
        if isinstance(condition, Any_):
            return set().union(*(self._ids(part) for part in condition.parts))
        return self._all() - self._ids(condition.part)

    def _all(self) -> set[str]:
        if self._everything is None:
            self._everything = self._matching(_Query())
        return self._everything

    def _matching(self, query: _Query) -> set[str]:
        if query.record_ids is not None and not query.record_ids:
            return set()
        timeline = self.search.record_timeline(SearchQuery(**query.arguments(), facets=()))
        return {record_id for _, record_id in timeline}


def _conjuncts(condition: Condition) -> Iterable[Condition]:
    if isinstance(condition, All):
        for part in condition.parts:
            yield from _conjuncts(part)
    elif condition != EVERYTHING:
        yield condition


def _names_in(condition: Condition) -> set[str]:
    if isinstance(condition, Leaf):
        return set(condition.fragment.names or ())
    if isinstance(condition, All | Any_):
        return set().union(*(_names_in(part) for part in condition.parts))
    if isinstance(condition, Not):
        return _names_in(condition.part)
    return set()


def _record_ids_by_name(names: set[str]) -> dict[str, str]:
    if not names:
        return {}
    query = select(DatasetRecord.name, DatasetRecord.id).where(DatasetRecord.name.in_(names))
    with current_store().reading() as session:
        return dict(session.execute(query).all())


def _narrow(current: set[str] | None, values: Iterable[str]) -> set[str]:
    wanted = set(values)
    return wanted if current is None else current & wanted


def _intersect(current: DateRange | None, new: DateRange) -> DateRange:
    if current is None:
        return new
    starts = [value for value in (current.start, new.start) if value is not None]
    ends = [value for value in (current.end, new.end) if value is not None]
    return DateRange(start=max(starts, default=None), end=min(ends, default=None))


# --- results -----------------------------------------------------------------------------


def _results(found: SearchResult, fl: str) -> list[dict[str, Any]]:
    """The hits as package dicts, in the index's order; `fl` keeps only the fields asked for."""
    ids = [hit.record_id for hit in found.hits]
    if not ids:
        return []
    with current_store().reading() as session:
        loaded = session.scalars(select(DatasetRecord).where(DatasetRecord.id.in_(ids)))
        records = {record.id: record for record in loaded}
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
