"""High-Value Datasets as the catalog reports them, found through the search index's "hvd" flag
and its category flags: the stewards' HVD list (records of their organisations with categories
and the HVD findings of each record's report) and the public counts per top category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.models import DatasetRecord
from catalog.records import get_records
from catalog.search.base import SearchQuery, SortOrder
from catalog.search.service import SearchIndex
from catalog.store import Store
from dcat.hvd import top_categories
from dcat.stored import stored_view
from dcat.validation import HVD_REGULATION_CHECK, HVD_SHAPES_NAME, ValidationReport
from dcat.view import Labelled

HVD_FLAG = "hvd"
MAX_LISTED = 1000  # a city has tens of HVD datasets; the list is no paging exercise


@dataclass(frozen=True)
class HvdEntry:
    record: DatasetRecord
    title: str
    categories: tuple[Labelled, ...]
    violations: int  # of the HVD shapes
    warnings: int  # of the regulation's checks


@dataclass(frozen=True)
class HvdCounts:
    """Public HVD records: all of them, and per top category of Annex I (vocabulary order,
    every category, none left out for having no records). A record of several categories
    counts in each, so the categories may add up to more than `total`."""

    total: int
    by_category: tuple[tuple[str, int], ...]  # (top category IRI = its search flag, records)


def public_hvd_counts(search: SearchIndex, organization: str | None = None) -> HvdCounts:
    """From the search index, one count per flag; `organization` is the organisation's name.

    A category's flag is set on its records together with every category above theirs
    (dcat.hvd.hvd_flags), so the top category's flag finds the records of its sub-categories.
    """
    scope = {"organization": [organization]} if organization else {}

    def count(flag: str) -> int:
        query = SearchQuery(filters={**scope, "flag": [flag]}, limit=0, facets=())
        return search.search(query).total

    return HvdCounts(
        total=count(HVD_FLAG),
        by_category=tuple((iri, count(iri)) for iri in top_categories()),
    )


def hvd_entries(
    store: Store,
    search: SearchIndex,
    organization_ids: Sequence[str],
    *,
    category: str | None = None,
    lang: str = "de",
) -> list[HvdEntry]:
    """HVD records (any status) of these organisations, optionally of one category (top or
    sub-category IRI), in title order."""
    flags = [HVD_FLAG, *([category] if category else [])]
    result = search.search(
        SearchQuery(
            filters={"flag": flags},
            organization_ids=list(organization_ids),
            include_non_public=True,
            sort=SortOrder.TITLE,
            limit=MAX_LISTED,
            facets=(),
        )
    )
    records = get_records(store, [hit.record_id for hit in result.hits])
    entries = []
    for hit in result.hits:
        record = records.get(hit.record_id)
        if record is not None:
            entries.append(_entry(record, lang))
    return entries


def _entry(record: DatasetRecord, lang: str) -> HvdEntry:
    view = stored_view(record.graph, record.uri, lang)
    report = ValidationReport.from_json(record.validation_report or {"conforms": True})
    hvd_violations = [
        r for r in report.violations if r.source_shape and HVD_SHAPES_NAME in r.source_shape
    ]
    regulation = [r for r in report.warnings if r.source_shape == HVD_REGULATION_CHECK]
    return HvdEntry(
        record=record,
        title=view.title or record.title or record.name,
        categories=view.hvd_categories,
        violations=len(hvd_violations),
        warnings=len(regulation),
    )
