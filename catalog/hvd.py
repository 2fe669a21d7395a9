"""The stewards' High-Value Datasets list: HVD records of their organisations, with categories
and the HVD findings of each record's report (found through the search index's "hvd" flag)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.models import DatasetRecord
from catalog.records import get_records
from catalog.search.base import SearchQuery, SortOrder
from catalog.search.service import SearchIndex
from catalog.store import Store
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
