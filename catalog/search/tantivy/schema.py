"""The tantivy schema: which fields are searched, filtered, faceted, sorted and stored.

The text fields and their weights are Whoosh's (catalog.search.whoosh.schema): one catch-all
text, the compound parts beside it, the spelling words. Exact values are raw terms with a
fast column, which the facet counts aggregate; dates are microseconds since the epoch, since
tantivy's own date columns keep seconds only and a range bound may fall inside a second.
"""

from __future__ import annotations

from datetime import UTC, datetime

import tantivy

from catalog.search.base import IndexDocument
from catalog.search.tantivy.analysis import RAW, TERMS, german_terms, parts_terms, spelling_words
from catalog.search.whoosh.schema import (
    BBOX_FIELDS,
    FACET_INDEX_FIELDS,
    FILTER_INDEX_FIELDS,
    PARTS_FIELD,
    TERM_INDEX_FIELDS,
    TEXT_FIELD,
    record_date,
    searchable_text,
    sort_key,
    summary,
)

# Bumped whenever the fields change: an index written with another version is rebuilt.
SCHEMA_VERSION = "4"
SPELLING_FIELD = "spelling"
DATE_FIELDS = ("modified", "issued", "updated", "created", "newest")
# "newest" sorts by a column of its own that every record has: the record's date in days,
# then its last change in milliseconds (so equal dates keep the order of the last changes, as
# the Whoosh engine's index order does). Undated records have 0 as the date part, the least,
# so "newest first" lists them last, while the indexed "newest" field (ranges) stays absent
# for them and no range matches them.
NEWEST_SORT_FIELD = "newest_sort"
_DAYS_SPAN = 2**20  # about 2,870 years either side of 1970
_CHANGE_BITS = 41  # last change in milliseconds after 2020-01-01, until about 2089
_CHANGE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
# Exact-value fields with a fast column (facets, sorting, the timeline's record ids).
_FAST_VALUES = (*FACET_INDEX_FIELDS.values(), "record_id", "name", "title_sort")
_EXACT_VALUES = tuple(
    dict.fromkeys(
        [*TERM_INDEX_FIELDS.values(), *FILTER_INDEX_FIELDS.values(), "status", "validation_state"]
    )
)
_STORED_VALUES = ("record_id", "name", "organization", "theme", "format")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

__all__ = [
    "BBOX_FIELDS",
    "FACET_INDEX_FIELDS",
    "FILTER_INDEX_FIELDS",
    "PARTS_FIELD",
    "TERM_INDEX_FIELDS",
    "TEXT_FIELD",
    "build_schema",
    "from_micros",
    "micros",
    "tantivy_document",
]


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(TEXT_FIELD, tokenizer_name=TERMS, index_option="position")
    builder.add_text_field(PARTS_FIELD, tokenizer_name=TERMS, index_option="freq")
    builder.add_text_field(SPELLING_FIELD, tokenizer_name=TERMS, index_option="basic")
    for name in (*_EXACT_VALUES, "title_sort"):
        builder.add_text_field(
            name,
            stored=name in _STORED_VALUES,
            fast=name in _FAST_VALUES,
            tokenizer_name=RAW,
            index_option="basic",
        )
    for name in ("stored_title", "summary"):
        builder.add_bytes_field(name, stored=True, indexed=False, fast=False)
    for name in DATE_FIELDS:
        builder.add_integer_field(
            name, stored=name in ("modified", "updated"), indexed=True, fast=True
        )
    builder.add_integer_field(NEWEST_SORT_FIELD, stored=False, indexed=False, fast=True)
    for name in BBOX_FIELDS:
        builder.add_float_field(name, indexed=True, fast=True)
    return builder.build()


def tantivy_document(document: IndexDocument) -> tantivy.Document:
    """The fields tantivy stores for one record; every value as Whoosh holds it."""
    doc = tantivy.Document()
    text = searchable_text(document)
    doc.add_text(TEXT_FIELD, " ".join(german_terms(text)))
    doc.add_text(PARTS_FIELD, " ".join(parts_terms(text)))
    spelling = " ".join([document.title, *document.keywords, *document.theme_labels])
    doc.add_text(SPELLING_FIELD, " ".join(spelling_words(spelling)))
    doc.add_text("record_id", document.record_id)
    doc.add_text("name", document.name)
    doc.add_text("status", document.status)
    doc.add_text("validation_state", document.validation_state)
    doc.add_text("title_sort", sort_key(document.title or document.name))
    doc.add_bytes("stored_title", document.title.encode())
    doc.add_bytes("summary", summary(document.description).encode())
    if document.organization_id:
        doc.add_text("organization_id", document.organization_id)
    for name, values in (
        ("organization", (document.organization,) if document.organization else ()),
        ("theme", document.themes),
        ("format", document.formats),
        ("license", document.licenses),
        ("keyword", document.keywords),
        ("resource_id", document.resource_ids),
        ("source", (document.source,) if document.source else ()),
        ("catalog", (document.catalog,) if document.catalog else ()),
        ("flag", document.flags),
    ):
        for value in dict.fromkeys(value.strip() for value in values):
            if value:
                doc.add_text(name, value)
    for name, when in (
        ("updated", document.updated),
        ("created", document.created),
        ("newest", record_date(document)),
        ("modified", document.modified),
        ("issued", document.issued),
    ):
        if when is not None:
            doc.add_integer(name, micros(when))
    doc.add_integer(NEWEST_SORT_FIELD, newest_sort_key(document))
    if document.bbox is not None:
        box = document.bbox
        for name, side in zip(BBOX_FIELDS, (box.west, box.south, box.east, box.north), strict=True):
            doc.add_float(name, float(side))
    return doc


def newest_sort_key(document: IndexDocument) -> int:
    """One integer ordering records by their own date, then by their last change."""
    dated = record_date(document)
    date_part = 0
    if dated is not None:
        days = micros(dated) // 86_400_000_000
        date_part = min(max(days, -_DAYS_SPAN + 1), _DAYS_SPAN - 1) + _DAYS_SPAN
    change = 0
    if document.updated is not None:
        milliseconds = (micros(document.updated) - micros(_CHANGE_EPOCH)) // 1_000
        change = min(max(milliseconds, 0), 2**_CHANGE_BITS - 1)
    return (date_part << _CHANGE_BITS) | change


def micros(value: datetime) -> int:
    """Microseconds since the epoch; naive datetimes are UTC (as the contract says)."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    delta = aware - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    return datetime.fromtimestamp(value // 1_000_000, UTC).replace(microsecond=value % 1_000_000)
