"""The search contract: what a query asks, what a result holds, what a backend must do.

Whoosh is the embedded engine (catalog.search.whoosh); a faster engine takes over by
implementing SearchBackend and registering under a name in catalog.search.registry. Nothing
here names an engine: fields are the IndexDocument's, conditions a small tree of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from dcat.bounding_box import BoundingBox

# The facets the results page shows and the CKAN API offers, in display order.
FACET_FIELDS = ("organization", "theme", "format", "license", "keyword")
# Fields `filters` may narrow by: the facets, and what else a record is found by exactly.
FILTER_FIELDS = (*FACET_FIELDS, "resource_id", "source", "catalog", "flag")
# Fields a condition Term may name: the filter fields and the record's own identity.
TERM_FIELDS = (*FILTER_FIELDS, "record_id", "organization_id", "name")
# Date fields a query may restrict to a range; "newest" is dct:modified, else dct:issued (a
# record with neither has no "newest" date: no range matches it and it sorts last).
RANGE_FIELDS = ("modified", "issued", "updated", "created", "newest")


class IndexLocked(RuntimeError):
    """Another writer holds the index; the caller's changes stay queued for it."""


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"  # by dct:modified, else dct:issued; records with neither last
    UPDATED = "updated"  # by the record's last change (CKAN metadata_modified)
    TITLE = "title"
    NAME = "name"


@dataclass(frozen=True)
class DateRange:
    """Inclusive bounds; None leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None


# --- conditions ---------------------------------------------------------------------------
# A tree of what records must satisfy, for callers whose filters are more than "every one of
# these values" (OR, NOT, parentheses: CKAN's fq). Every backend answers every node type.


@dataclass(frozen=True)
class Term:
    """Records that have exactly this value in the field (one of TERM_FIELDS).

    Values compare as the IndexDocument holds them: codes, IRIs and keywords as written, no
    case folding or word splitting. A field with several values matches if any is equal.
    """

    field: str
    value: str

    def __post_init__(self) -> None:
        if self.field not in TERM_FIELDS:
            raise ValueError(f"unknown term field {self.field!r} (known: {', '.join(TERM_FIELDS)})")


@dataclass(frozen=True)
class Range:
    """Records whose date in the field (one of RANGE_FIELDS) lies between low and high.

    None leaves that side open; each bound counts as inside unless its include flag is False.
    Naive datetimes are UTC. A record without a date in the field never matches.
    """

    field: str
    low: datetime | None = None
    high: datetime | None = None
    include_low: bool = True
    include_high: bool = True

    def __post_init__(self) -> None:
        if self.field not in RANGE_FIELDS:
            known = ", ".join(RANGE_FIELDS)
            raise ValueError(f"unknown date range field {self.field!r} (known: {known})")


@dataclass(frozen=True)
class Intersects:
    """Records whose bounding box shares a point with `box` (edges included).

    The box of a record is the one around all its places (IndexDocument.bbox); a record
    without one never matches. A backend indexes the four sides as numbers and answers this
    node as four range comparisons on them, which any engine with numeric ranges can do:
    west <= box.east, east >= box.west, south <= box.north, north >= box.south.
    """

    box: BoundingBox


@dataclass(frozen=True)
class All:
    """Records every child matches; with no children, every record."""

    children: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    """Records at least one child matches; with no children, none."""

    children: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Not:
    """Records the child does not match, among those the query searches: NOT never widens a
    search past the public rule or the query's other conditions."""

    child: Condition


Condition = Term | Range | Intersects | All | AnyOf | Not
EVERYTHING = All()
NOTHING = AnyOf()


@dataclass(frozen=True)
class SearchQuery:
    """One search: free text, facet filters, ranges, order, one page, the facets to count.

    `text` is what a person typed; backends must never fail on it (unbalanced quotes, lone
    operators): what cannot be parsed is searched as plain words.
    `filters` maps a field of FILTER_FIELDS to values; a record matches when it has every
    value given (AND within and across fields), as facet links on a results page narrow step
    by step; the facet counts list each value given here, however few records have it.
    `condition` is a tree of Term, Range, Intersects, All, AnyOf and Not for whatever
    `filters`, `ranges` and the id lists cannot say; a record must match it and all of those.
    Only public records are searched unless `include_non_public` (stewards' lists).
    """

    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    ranges: Mapping[str, DateRange] = field(default_factory=dict)
    organization_ids: Sequence[str] | None = None
    record_ids: Sequence[str] | None = None
    condition: Condition = EVERYTHING
    sort: SortOrder = SortOrder.RELEVANCE
    descending: bool | None = None  # None: the natural direction of the sort
    offset: int = 0
    limit: int = 20
    facets: Sequence[str] = FACET_FIELDS
    facet_limit: int = 50
    include_non_public: bool = False
    suggest: bool = False


@dataclass(frozen=True)
class SearchHit:
    """What a results list shows of one record, straight from the index."""

    record_id: str
    name: str
    title: str
    description: str
    organization: str | None
    modified: datetime | None
    updated: datetime
    formats: tuple[str, ...]
    themes: tuple[str, ...]
    score: float | None = None


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None
    # The query as understood, for "you searched for" lines; "" for an empty query.
    understood: str = ""
    # The order the hits follow: RELEVANCE gives way to NEWEST when there is nothing to
    # rank by (no words, or only words that nearly every record has).
    sorted_by: SortOrder = SortOrder.RELEVANCE


@dataclass(frozen=True)
class IndexDocument:
    """One record as the index holds it (built by catalog.search.documents)."""

    record_id: str
    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    organization: str | None
    organization_id: str | None
    organization_title: str
    themes: tuple[str, ...]
    theme_labels: tuple[str, ...]
    formats: tuple[str, ...]
    licenses: tuple[str, ...]
    places: tuple[str, ...]
    publisher: str
    status: str
    validation_state: str
    source: str | None
    # The (sub-)catalog of the source that listed the record (its IRI), for filtering.
    catalog: str | None
    resource_ids: tuple[str, ...]
    # Qualities the catalog reports on (catalog.search.documents.FLAGS): "open-license", ...
    flags: tuple[str, ...]
    modified: datetime | None
    issued: datetime | None
    updated: datetime
    created: datetime
    # The box around the record's places (dct:spatial), for Intersects; None without one.
    bbox: BoundingBox | None = None


class SearchBackend(Protocol):
    """A search engine over IndexDocuments. Implementations must guarantee:

    - `search` never raises for any `SearchQuery.text`, and its facet counts are exact over
      every record that matches (not only the page shown);
    - `search` and `record_timeline` answer every node of `SearchQuery.condition` (Term,
      Range, Intersects, All, AnyOf, Not, nested to any depth) with the meaning its docstring
      gives, in the engine itself: no condition is evaluated by listing records and combining
      the lists;
    - `search` reads what the last `apply` committed (a new reader when the index changed);
    - `apply` is the only way into the index, adds or replaces documents by record_id and
      removes the ids in `removed`; it is atomic (all or nothing) and safe to repeat; it
      raises IndexLocked when another writer holds the index for longer than `wait` seconds;
    - `rebuild` replaces the whole index atomically: searches see the old or the new one;
    - `record_timeline` gives (updated, record_id) of every public match, for keyset paging.
    """

    def search(self, query: SearchQuery, *, publish_invalid: bool) -> SearchResult: ...

    def record_timeline(
        self, query: SearchQuery, *, publish_invalid: bool
    ) -> list[tuple[datetime, str]]: ...

    def apply(
        self, documents: Iterable[IndexDocument], removed: Iterable[str] = (), wait: float = 5.0
    ) -> int: ...

    def rebuild(self, documents: Iterable[IndexDocument], wait: float = 60.0) -> int: ...

    def document_count(self) -> int: ...

    def close(self) -> None: ...


FacetSelection = Mapping[str, Sequence[str]]
