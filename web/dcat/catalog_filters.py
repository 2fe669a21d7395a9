"""/catalog.{ext} narrowed by the search filters (q, theme, format, keyword, licence, catalog).

The search index gives every matching record with its last change; paging then walks that
list in the same (updated_at, id) order and with the same cursors as the unfiltered
catalog, so a harvester's keyset paging behaves alike with and without filters. The records
themselves are read from the database, and only what is public there is shown.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import datetime

from catalog.models import DatasetRecord
from catalog.publication import is_public_in
from catalog.records import RecordPage, decode_cursor, encode_position, get_records
from catalog.search.base import DateRange, SearchQuery
from catalog.search.service import SearchIndex
from catalog.settings import Settings
from catalog.store import Store
from dcat.profiles import Profile
from dcat.vocabularies import FILE_TYPES, LICENSES, THEMES

# Query parameter -> search facet; one value each, or several as repeated parameters.
FILTER_PARAMETERS = {
    "theme": "theme",
    "format": "format",
    "keyword": "keyword",
    "license": "license",
    # The IRI of the (sub-)catalog that listed the records in their source.
    "catalog": "catalog",
}


def asks_for_search(arguments: Mapping[str, object]) -> bool:
    return bool(arguments.get("q")) or any(arguments.get(name) for name in FILTER_PARAMETERS)


def search_query(
    text: str,
    values: Mapping[str, list[str]],
    organisation: str | None,
    changed_since: datetime | None,
) -> SearchQuery:
    """The search for the parameters; IRIs of themes, formats and licences are accepted too."""
    filters: dict[str, list[str]] = {
        facet: [_facet_value(facet, value) for value in values.get(parameter, []) if value]
        for parameter, facet in FILTER_PARAMETERS.items()
    }
    filters = {facet: found for facet, found in filters.items() if found}
    if organisation:
        filters["organization"] = [organisation]
    ranges = {"updated": DateRange(start=changed_since)} if changed_since else {}
    return SearchQuery(text=text, filters=filters, ranges=ranges, facets=(), limit=0)


def filtered_page(
    store: Store,
    settings: Settings,
    search: SearchIndex,
    query: SearchQuery,
    *,
    after: str | None,
    limit: int,
    profile: Profile = Profile.DCATAPDE_2,
) -> RecordPage:
    """One keyset page of the matching records public in the profile; ValueError for a broken
    cursor.

    The index knows no 3.0 verdict: the timeline is read on in slices until the page is full,
    so a record held back in 3.0 leaves no gap in hydra:itemsPerPage.
    """
    timeline = search.record_timeline(query)
    position = bisect.bisect_right(timeline, decode_cursor(after)) if after else 0
    records: list[DatasetRecord] = []
    while position < len(timeline) and len(records) < limit:
        places = timeline[position : position + limit]
        found = get_records(store, [record_id for _, record_id in places])
        for _, record_id in places:
            position += 1
            record = found.get(record_id)
            if record is not None and is_public_in(record, settings, profile):
                records.append(record)
                if len(records) == limit:
                    break
    records.sort(key=lambda record: (record.updated_at, record.id))
    if position >= len(timeline):
        return RecordPage(records=records, next_cursor=None)
    # After the last place this page covered, even if that record is no longer public.
    return RecordPage(records=records, next_cursor=encode_position(*timeline[position - 1]))


def _facet_value(facet: str, value: str) -> str:
    """A theme or format as its code, a licence as its IRI, whichever form was given."""
    if facet == "theme":
        concept = THEMES.get(value) or THEMES.get(THEMES.resolve(value) or "")
        return concept.code if concept else value.upper()
    if facet == "format":
        concept = FILE_TYPES.get(value) or FILE_TYPES.get(FILE_TYPES.resolve(value) or "")
        return concept.code if concept else value.upper()
    if facet == "license":
        return LICENSES.resolve(value) or value
    return value
