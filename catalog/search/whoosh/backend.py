"""The embedded search engine: Whoosh for analysis, storage and scoring; bitsets for the rest.

Whoosh's own faceting and sorting walk every hit in Python, which is where its time went
(benchmarks/RESULTS.md). Here Whoosh ranks only the top of the list (with its block-quality
skipping), while matching, totals, facet counts and field sorting work on per-segment bitsets
and orders that are computed once per segment (catalog.search.whoosh.segments).
"""

from __future__ import annotations

import heapq
import logging
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import writing
from whoosh.searching import Searcher

from catalog.publication import PUBLIC_STATUS, public_states
from catalog.search.base import (
    EVERYTHING,
    RANGE_FIELDS,
    FacetCount,
    IndexDocument,
    IndexLocked,
    SearchHit,
    SearchQuery,
    SearchResult,
    SortOrder,
)
from catalog.search.whoosh import bitsets
from catalog.search.whoosh.conditions import whoosh_query
from catalog.search.whoosh.facets import FacetTables, count_facet
from catalog.search.whoosh.matching import Leaf, Snapshot, matching_bits
from catalog.search.whoosh.query_text import TextQueries
from catalog.search.whoosh.ranking import ranking_query
from catalog.search.whoosh.schema import (
    FACET_INDEX_FIELDS,
    FILTER_INDEX_FIELDS,
    RANGE_INDEX_FIELDS,
    aware_utc,
    build_schema,
    split_values,
    whoosh_fields,
)
from catalog.search.whoosh.segments import SegmentCache
from catalog.search.whoosh.spelling import suggest_correction

log = logging.getLogger(__name__)

INDEX_NAME = "records"
# Sort order -> (column, descending by default).
SORT_COLUMNS = {
    SortOrder.NEWEST: ("dated", True),  # undated records last: their column value is the least
    SortOrder.UPDATED: ("updated", True),
    SortOrder.TITLE: ("title_sort", False),
    SortOrder.NAME: ("name", False),
}
# Below this many hits, sort keys are read per hit; above, the cached order is walked.
_FEW_HITS = 3000


class _View:
    """A searcher with what this backend derives from it, for one thread."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        self.searcher = searcher
        self.snapshot = Snapshot(searcher, cache)
        self.facets = FacetTables(self.snapshot)


class WhooshBackend:
    """A Whoosh index in one directory (data_dir/search)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._index = self._open_current() or self._create()
        self._texts = TextQueries(self.schema)
        self._cache = SegmentCache()
        self._local = threading.local()

    def _open_current(self) -> whoosh_index.Index | None:
        """The index on disk if it has this schema's fields; None when there is none to use.

        A discarded index is rebuilt empty; `catalog init` (after every upgrade) refills it.
        """
        directory = str(self.directory)
        try:
            if not whoosh_index.exists_in(directory, indexname=INDEX_NAME):
                return None
            found = whoosh_index.open_dir(directory, indexname=INDEX_NAME)
        except (ImportError, AttributeError) as error:
            # Whoosh pickles the schema with the module path of each analyser class, so an
            # index written before one moved (catalog.search.analysis) cannot be read.
            log.warning("search index %s is unreadable (%s): rebuilt empty", directory, error)
            return None
        if set(found.schema.names()) != set(self.schema.names()):
            log.warning("search index %s has an older schema: rebuilt empty", directory)
            return None
        return found

    def _create(self) -> whoosh_index.Index:
        return whoosh_index.create_in(str(self.directory), self.schema, indexname=INDEX_NAME)

    # --- reading ---------------------------------------------------------------------

    def _view(self) -> _View:
        view: _View | None = getattr(self._local, "view", None)
        if view is None:
            view = _View(self._index.searcher(), self._cache)
        elif not view.searcher.up_to_date():
            # A new searcher, not Searcher.refresh(): refresh reuses the readers of segments
            # it already had and so misses documents deleted from them since (Whoosh 2.7.5
            # compares segments by id only).
            view.searcher.close()
            view = _View(self._index.searcher(), self._cache)
            self._cache.keep_only({leaf.data_key for leaf in view.snapshot.leaves})
        self._local.view = view
        return view

    def search(self, query: SearchQuery, *, publish_invalid: bool) -> SearchResult:
        view = self._view()
        text_query = self._texts.parse(query.text)
        hits = self._hits(view, text_query, query, publish_invalid)
        total = hits.bit_count()
        if total == 0:  # the words as written find nothing: try compounds as their parts
            split_query = self._texts.parse(query.text, split_compounds=True)
            if split_query != text_query:
                text_query = split_query
                hits = self._hits(view, text_query, query, publish_invalid)
                total = hits.bit_count()
        page, sorted_by = self._page(view, text_query, query, hits, total)
        facets = {
            name: count_facet(
                view.facets,
                FACET_INDEX_FIELDS[name],
                hits,
                query.facet_limit,
                query.filters.get(name, ()),
            )
            for name in query.facets
            if name in FACET_INDEX_FIELDS
        }
        suggestion = None
        if query.suggest and total == 0 and query.text.strip():
            suggestion = suggest_correction(
                view.searcher, query.text, lambda text: self._count(view, text, query)
            )
        return SearchResult(
            total=total,
            hits=page,
            facets=facets,
            suggestion=suggestion,
            understood="" if isinstance(text_query, wq.Every) else str(text_query),
            sorted_by=sorted_by,
        )

    def record_timeline(
        self, query: SearchQuery, *, publish_invalid: bool
    ) -> list[tuple[datetime, str]]:
        view = self._view()
        hits = self._hits(view, self._texts.parse(query.text), query, publish_invalid)
        timeline: list[tuple[datetime, str]] = []
        for leaf in view.snapshot.leaves:
            local = (hits >> leaf.offset) & bitsets.all_ones(leaf.data.size)
            if local:
                pairs = leaf.data.record_timeline(leaf.reader)
                timeline.extend(pairs[docnum] for docnum in bitsets.ids_of(local))
        return sorted((aware_utc(updated), record_id) for updated, record_id in timeline)  # type: ignore[misc]

    def document_count(self) -> int:
        return self._view().searcher.doc_count()

    def _count(self, view: _View, text: str, query: SearchQuery) -> int:
        return self._hits(view, self._texts.parse(text), query, publish_invalid=False).bit_count()

    def _hits(
        self, view: _View, text_query: wq.Query, query: SearchQuery, publish_invalid: bool
    ) -> int:
        conditions = [text_query, *filter_queries(query, publish_invalid)]
        return matching_bits(view.snapshot, wq.And(conditions))

    def _page(
        self, view: _View, text_query: wq.Query, query: SearchQuery, hits: int, total: int
    ) -> tuple[list[SearchHit], SortOrder]:
        """One page of hits, and the order it actually follows."""
        end = query.offset + query.limit
        sort = query.sort
        rank_by = None
        if sort is SortOrder.RELEVANCE:
            rank_by = (
                None
                if isinstance(text_query, wq.Every)
                else ranking_query(view.searcher, text_query)
            )
            if rank_by is None:
                sort = SortOrder.NEWEST  # nothing (selective) to rank by: the newest first
        if query.offset >= total or query.limit <= 0:
            return [], sort
        if rank_by is not None:
            results = view.searcher.search(
                rank_by, filter=bitsets.Membership(hits), limit=end, terms=False
            )
            ranked = [(hit.docnum, hit.score) for hit in results]
        else:
            column, descending = SORT_COLUMNS[sort]
            if query.descending is not None:
                descending = query.descending
            docnums = _sorted_hits(view, column, hits, total, end, descending)
            ranked = [(docnum, None) for docnum in docnums]
        page = [_hit(view.searcher, docnum, score) for docnum, score in ranked[query.offset : end]]
        return page, sort

    # --- writing ---------------------------------------------------------------------

    def apply(
        self, documents: Iterable[IndexDocument], removed: Iterable[str] = (), wait: float = 5.0
    ) -> int:
        """Add or replace documents and remove ids, in one commit; IndexLocked if busy."""
        try:
            writer = self._index.writer(timeout=wait)
        except whoosh_index.LockError as exc:
            raise IndexLocked(str(exc)) from exc
        count = 0
        try:
            for document in documents:
                writer.update_document(**whoosh_fields(document))
                count += 1
            for record_id in removed:
                writer.delete_by_term("record_id", record_id)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def rebuild(self, documents: Iterable[IndexDocument], wait: float = 60.0) -> int:
        """Replace the whole index in one commit: searchers see the old one until it lands."""
        try:
            writer = self._index.writer(timeout=wait, limitmb=256)
        except whoosh_index.LockError as exc:
            raise IndexLocked(str(exc)) from exc
        count = 0
        try:
            for document in documents:
                writer.add_document(**whoosh_fields(document))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        return count

    def close(self) -> None:
        view: _View | None = getattr(self._local, "view", None)
        if view is not None:
            view.searcher.close()
            self._local.view = None
        self._index.close()


def filter_queries(query: SearchQuery, publish_invalid: bool) -> list[wq.Query]:
    """The conditions besides the text: public rule, facet filters, ids, date ranges, tree."""
    conditions: list[wq.Query] = []
    if not query.include_non_public:
        conditions.append(wq.Term("status", PUBLIC_STATUS.value))
        if (states := public_states(publish_invalid)) is not None:
            conditions.append(wq.Or([wq.Term("validation_state", s.value) for s in states]))
    for name, values in query.filters.items():
        field = FILTER_INDEX_FIELDS.get(name)
        if field is None:
            raise ValueError(f"unknown search filter {name!r}")
        conditions.extend(wq.Term(field, value) for value in values)
    if query.organization_ids is not None:
        conditions.append(wq.Or([wq.Term("organization_id", i) for i in query.organization_ids]))
    if query.record_ids is not None:
        conditions.append(wq.Or([wq.Term("record_id", i) for i in query.record_ids]))
    for name, bounds in query.ranges.items():
        if name not in RANGE_FIELDS:
            raise ValueError(f"unknown date range field {name!r}")
        start = bounds.start.replace(tzinfo=None) if bounds.start else None
        end = bounds.end.replace(tzinfo=None) if bounds.end else None
        conditions.append(wq.DateRange(RANGE_INDEX_FIELDS[name], start, end))
    if query.condition != EVERYTHING:
        conditions.append(whoosh_query(query.condition))
    return conditions


def _sorted_hits(
    view: _View, column: str, hits: int, total: int, wanted: int, descending: bool
) -> list[int]:
    """The first `wanted` hits in column order, ties by document number."""
    leaves = view.snapshot.leaves
    if total <= _FEW_HITS:
        keyed: list[tuple[object, int]] = []
        for leaf in leaves:
            local = (hits >> leaf.offset) & bitsets.all_ones(leaf.data.size)
            if local:
                values = leaf.data.column_values(leaf.reader, column)
                keyed.extend((values[d], d + leaf.offset) for d in bitsets.ids_of(local))
        if descending:
            return [d for _, d in heapq.nlargest(wanted, keyed)]
        return [d for _, d in heapq.nsmallest(wanted, keyed)]
    members = bitsets.Membership(hits)

    def walk(leaf: Leaf) -> Iterator[tuple[object, int]]:
        values = leaf.data.column_values(leaf.reader, column)
        order = leaf.data.order(leaf.reader, column)
        for local in reversed(order) if descending else order:
            docnum = local + leaf.offset
            if docnum in members:
                yield values[local], docnum

    merged = heapq.merge(*(walk(leaf) for leaf in leaves), reverse=descending)
    return [docnum for _, docnum in _take(merged, wanted)]


def _take(items: Iterator[tuple[object, int]], count: int) -> list[tuple[object, int]]:
    taken = []
    for item in items:
        taken.append(item)
        if len(taken) >= count:
            break
    return taken


def _hit(searcher: Searcher, docnum: int, score: float | None) -> SearchHit:
    stored = searcher.stored_fields(docnum)
    return SearchHit(
        record_id=stored["record_id"],
        name=stored["name"],
        title=stored.get("stored_title") or stored["name"],
        description=stored.get("summary") or "",
        organization=stored.get("organization"),
        modified=aware_utc(stored.get("modified")),
        updated=aware_utc(stored["updated"]),  # type: ignore[arg-type]
        formats=split_values(stored.get("format")),
        themes=split_values(stored.get("theme")),
        score=score,
    )


__all__ = ["FacetCount", "IndexLocked", "WhooshBackend", "filter_queries"]
