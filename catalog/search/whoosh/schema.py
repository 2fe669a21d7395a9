"""The Whoosh schema: which fields are searched, filtered, faceted, sorted and stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from whoosh.analysis import RegexTokenizer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, FieldType, Schema

from catalog.search.base import IndexDocument
from catalog.search.whoosh.analysis import (
    compound_parts_analyzer,
    german_analyzer,
    spelling_analyzer,
)

# Several exact values in one field are joined with this character, which no value contains.
VALUE_SEPARATOR = "\x1f"
SUMMARY_LENGTH = 400
_SORT_FOLDING = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})

# A person's words are looked up in one catch-all field. Each part of a record goes in as
# often as a match in it should count: one posting list per word instead of one per field
# and word is what keeps ranking fast (benchmarks/RESULTS.md, search).
TEXT_FIELD = "text"
# The same text once more, as the parts of its compounds ("Luftqualität" -> "Luft",
# "Qualität"): a word found only there ranks below the same word found whole (query_text).
PARTS_FIELD = "parts"
TEXT_WEIGHTS = {
    "title": 3,
    "keywords": 2,
    "organization": 1,
    "themes": 1,
    "places": 1,
    "description": 1,
    "publisher": 1,
}
# Facet name (what the query and the pages use) -> index field.
FACET_INDEX_FIELDS = {
    "organization": "organization",
    "theme": "theme",
    "format": "format",
    "license": "license",
    "keyword": "keyword",
    # Not in FACET_FIELDS (the CKAN API's facets): the results page counts the flags
    # (open licence, machine-readable, HVD and its categories) as a facet of its own.
    "flag": "flag",
}
FILTER_INDEX_FIELDS = {
    **FACET_INDEX_FIELDS,
    "resource_id": "resource_id",
    "source": "source",
    "catalog": "catalog",
}
# Term field (catalog.search.base.TERM_FIELDS) -> index field.
TERM_INDEX_FIELDS = {
    **FILTER_INDEX_FIELDS,
    "record_id": "record_id",
    "organization_id": "organization_id",
    "name": "name",
}
# Range field (catalog.search.base.RANGE_FIELDS) -> index field. "newest" is the record's own
# date (dct:modified, else dct:issued), never the catalog's write time; its index field has a
# name of its own because the field called "newest" held the write time as a fallback, and a
# new name makes an index written before the fix be rebuilt (WhooshBackend._open_current).
RANGE_INDEX_FIELDS = {
    "modified": "modified",
    "issued": "issued",
    "updated": "updated",
    "created": "created",
    "newest": "dated",
}
# The four sides of a record's bounding box (IndexDocument.bbox), for Intersects; a record
# without a box has none of them, so no range on them matches it.
BBOX_FIELDS = ("bbox_west", "bbox_south", "bbox_east", "bbox_north")


def _exact_values(*, stored: bool = False) -> FieldType:
    """A field of exact values (codes, IRIs, keywords as written): no case or word splitting."""
    return TEXT(
        analyzer=RegexTokenizer(f"[^{VALUE_SEPARATOR}]+"),
        phrase=False,
        stored=stored,
    )


class _RecordDate(DATETIME):
    """A sortable date whose column value for a document without one is 0, the least: so
    "newest first" lists undated records last (Whoosh's default is the greatest value)."""

    def __init__(self) -> None:
        super().__init__(sortable=True)
        self.default = 0
        self.column_type = self.default_column()


def build_schema() -> Schema:
    return Schema(
        text=TEXT(analyzer=german_analyzer()),
        parts=TEXT(analyzer=compound_parts_analyzer(), phrase=False),
        record_id=ID(unique=True, stored=True, sortable=True),
        name=ID(stored=True, sortable=True),
        organization_id=ID(),
        status=ID(),
        validation_state=ID(),
        spelling=TEXT(analyzer=spelling_analyzer(), phrase=False),
        organization=_exact_values(stored=True),
        theme=_exact_values(stored=True),
        format=_exact_values(stored=True),
        license=_exact_values(),
        keyword=_exact_values(),
        resource_id=_exact_values(),
        source=_exact_values(),
        catalog=_exact_values(),
        flag=_exact_values(),
        title_sort=ID(sortable=True),
        stored_title=STORED(),
        summary=STORED(),
        modified=DATETIME(stored=True, sortable=True),
        issued=DATETIME(),
        updated=DATETIME(stored=True, sortable=True),
        created=DATETIME(),
        dated=_RecordDate(),
        **{name: NUMERIC(float, bits=64, signed=True) for name in BBOX_FIELDS},
    )


def whoosh_fields(document: IndexDocument) -> dict[str, Any]:
    """The values Whoosh stores for one document (naive UTC datetimes, joined exact values)."""
    fields: dict[str, Any] = {
        "record_id": document.record_id,
        "name": document.name,
        "status": document.status,
        "validation_state": document.validation_state,
        "text": searchable_text(document),
        "parts": searchable_text(document),
        "stored_title": document.title,
        "title_sort": sort_key(document.title or document.name),
        "summary": summary(document.description),
        "spelling": " ".join([document.title, *document.keywords, *document.theme_labels]),
        "updated": naive_utc(document.updated),
        "created": naive_utc(document.created),
    }
    if (dated := record_date(document)) is not None:
        fields["dated"] = naive_utc(dated)
    if document.organization_id:
        fields["organization_id"] = document.organization_id
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
        cleaned = [value.replace(VALUE_SEPARATOR, " ").strip() for value in values]
        if any(cleaned):
            fields[name] = VALUE_SEPARATOR.join(value for value in cleaned if value)
    for name, value in (("modified", document.modified), ("issued", document.issued)):
        if value is not None:
            fields[name] = naive_utc(value)
    if document.bbox is not None:
        box = document.bbox
        fields.update(zip(BBOX_FIELDS, (box.west, box.south, box.east, box.north), strict=True))
    return fields


def record_date(document: IndexDocument) -> datetime | None:
    """What "newest" and freshness go by: dct:modified, else dct:issued; None is unknown."""
    return document.modified or document.issued


def searchable_text(document: IndexDocument) -> str:
    """The catch-all text: each part of the record repeated as often as its weight says."""
    parts = {
        "title": [document.title],
        "keywords": list(document.keywords),
        "organization": [document.organization_title],
        "themes": list(document.theme_labels),
        "places": list(document.places),
        "description": [document.description],
        "publisher": [document.publisher],
    }
    pieces = [
        text
        for name, texts in parts.items()
        for _ in range(TEXT_WEIGHTS[name])
        for text in texts
        if text
    ]
    return "\n".join(pieces)


def split_values(stored: str | None) -> tuple[str, ...]:
    return tuple(stored.split(VALUE_SEPARATOR)) if stored else ()


def sort_key(title: str) -> str:
    """Titles sort by their letters, case and umlauts aside ("Ärzte" beside "Arzt")."""
    folded = title.casefold().translate(_SORT_FOLDING)
    return " ".join(folded.split())[:200]


def summary(description: str) -> str:
    """The description's start, its line breaks kept: Markdown lists and paragraphs need them
    for the page to show the snippet as plain text (a "* " mid-line stays a literal star)."""
    lines = (" ".join(line.split()) for line in description.strip().splitlines())
    text = "\n".join(lines)
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"


def naive_utc(value: datetime) -> datetime:
    """Whoosh compares datetimes without zones; the index keeps them all in UTC."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def aware_utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
