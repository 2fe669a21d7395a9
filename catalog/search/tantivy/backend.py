"""The tantivy engine: an index in data_dir/search/tantivy, one writer at a time across processes.

tantivy allows one IndexWriter per index directory (a lock file that other processes see too):
`apply` and `rebuild` take it for their one commit and give it back, so a harvest and the web
workers take turns the way they do with Whoosh, and a writer held longer than `wait` seconds
is IndexLocked. Readers pick up a commit of any process by the index's meta.json changing.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import tantivy

from catalog.search.base import (
    FacetCount,
    IndexDocument,
    IndexLocked,
    SearchHit,
    SearchQuery,
    SearchResult,
    SortOrder,
)
from catalog.search.tantivy.analysis import register_analyzers
from catalog.search.tantivy.conditions import all_of, filter_queries, term
from catalog.search.tantivy.query_text import TextQueries, and_words, describe, to_query
from catalog.search.tantivy.schema import (
    FACET_INDEX_FIELDS,
    NEWEST_SORT_FIELD,
    SCHEMA_VERSION,
    TEXT_FIELD,
    build_schema,
    from_micros,
    tantivy_document,
)
from catalog.search.tantivy.spelling import suggest_correction
from catalog.search.whoosh import ranking

log = logging.getLogger(__name__)

SUBDIRECTORY = "tantivy"
VERSION_FILE = "catalog-schema-version"
SORT_COLUMNS = {
    SortOrder.NEWEST: (NEWEST_SORT_FIELD, True),  # undated records last
    SortOrder.UPDATED: ("updated", True),
    SortOrder.TITLE: ("title_sort", False),
    SortOrder.NAME: ("name", False),
}
# Memory for one writer: small for the queue's batches, larger (and two threads) for rebuilds.
APPLY_HEAP = 32_000_000
REBUILD_HEAP = 192_000_000
_LOCK_RETRY = 0.05
# Buckets a segment reports per facet: more than any facet has values, so counts are exact.
_SEGMENT_BUCKETS = 1_000_000


class TantivyBackend:
    """A tantivy index in one directory (data_dir/search); see the module docstring."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / SUBDIRECTORY
        self.schema = build_schema()
        self._index = self._open()
        self._texts = TextQueries()
        self._reader_lock = threading.Lock()
        self._seen_meta: tuple[int, int, int] | None = self._meta_stamp()

    def _open(self) -> tantivy.Index:
        """The index on disk if it was written with this schema; else a new empty one
        (`catalog init` and `catalog reindex` refill it)."""
        version = self.path / VERSION_FILE
        if self.path.exists() and (
            not version.exists() or version.read_text().strip() != SCHEMA_VERSION
        ):
            log.warning("search index %s has another schema: rebuilt empty", self.path)
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        version.write_text(SCHEMA_VERSION)
        register_analyzers(index)
        index.config_reader("Manual")
        return index

    # --- reading ---------------------------------------------------------------------

    def _meta_stamp(self) -> tuple[int, int, int] | None:
        try:
            found = os.stat(self.path / "meta.json")
        except FileNotFoundError:
            return None
        return found.st_mtime_ns, found.st_size, found.st_ino

    def _searcher(self) -> tantivy.Searcher:
        """A searcher on the last commit, whichever process made it."""
        stamp = self._meta_stamp()
        if stamp != self._seen_meta:
            with self._reader_lock:
                self._index.reload()
                self._seen_meta = stamp
        return self._index.searcher()

    def search(self, query: SearchQuery, *, publish_invalid: bool) -> SearchResult:
        searcher = self._searcher()
        node = self._texts.parse(query.text)
        text_query = to_query(self.schema, node) if node is not None else None
        filters = filter_queries(self.schema, query, publish_invalid)
        matching = all_of([text_query, *filters] if text_query is not None else filters)
        sort = query.sort
        if sort is SortOrder.RELEVANCE and (node is None or self._only_common(searcher, node)):
            sort = SortOrder.NEWEST  # nothing (selective) to rank by: the newest first
        total, page = self._page(searcher, matching, query, sort)
        if total == 0 and node is not None:  # nothing as written: compounds as their parts
            splits = self._texts.query_splits(query.text)
            if splits:
                text_query = to_query(self.schema, node, splits)
                matching = all_of([text_query, *filters])
                total, page = self._page(searcher, matching, query, sort)
        facets = self._facets(searcher, matching, query)
        suggestion = None
        if query.suggest and total == 0 and query.text.strip():
            suggestion = suggest_correction(
                searcher, query.text, lambda text: self._count(searcher, text, query)
            )
        return SearchResult(
            total=total,
            hits=page,
            facets=facets,
            suggestion=suggestion,
            understood=describe(node),
            sorted_by=sort,
        )

    def record_timeline(
        self, query: SearchQuery, *, publish_invalid: bool
    ) -> list[tuple[datetime, str]]:
        searcher = self._searcher()
        node = self._texts.parse(query.text)
        filters = filter_queries(self.schema, query, publish_invalid)
        if node is not None:
            filters.insert(0, to_query(self.schema, node))
        matching = all_of(filters)
        size = searcher.num_docs
        if size == 0:
            return []
        found = searcher.search(matching, limit=size, count=False, order_by_field="record_id")
        addresses = [address for _, address in found.hits]
        updated = searcher.fast_field_values("updated", addresses)
        return sorted(
            (from_micros(int(when or 0)), record_id)
            for (record_id, _), when in zip(found.hits, updated, strict=True)
        )

    def document_count(self) -> int:
        return int(self._searcher().num_docs)

    def _count(self, searcher: tantivy.Searcher, text: str, query: SearchQuery) -> int:
        node = self._texts.parse(text)
        filters = filter_queries(self.schema, query, publish_invalid=False)
        if node is not None:
            filters.insert(0, to_query(self.schema, node))
        return _count_of(searcher.search(all_of(filters), limit=1))

    def _only_common(self, searcher: tantivy.Searcher, node: object) -> bool:
        """True when the text is only ANDed words that nearly every record has (as Whoosh's
        ranking decides, catalog.search.whoosh.ranking): there is nothing to rank by."""
        words = and_words(node)  # type: ignore[arg-type]
        if words is None:
            return False
        limit = max(ranking.COMMON_MINIMUM, int(ranking.COMMON_SHARE * searcher.num_docs))
        return all(
            min(searcher.doc_freq(TEXT_FIELD, t) for t in word.terms) > limit
            for word in words
            if word.terms
        )

    def _page(
        self,
        searcher: tantivy.Searcher,
        matching: tantivy.Query,
        query: SearchQuery,
        sort: SortOrder,
    ) -> tuple[int, list[SearchHit]]:
        limit = max(query.limit, 1)
        if sort is SortOrder.RELEVANCE:
            found = searcher.search(matching, limit=limit, offset=query.offset)
            scored: list[tuple[tantivy.DocAddress, float | None]] = [
                (address, float(score)) for score, address in found.hits
            ]
        else:
            column, descending = SORT_COLUMNS[sort]
            if query.descending is not None:
                descending = query.descending
            found = searcher.search(
                matching,
                limit=limit,
                offset=query.offset,
                order_by_field=column,
                order=tantivy.Order.Desc if descending else tantivy.Order.Asc,
            )
            scored = [(address, None) for _, address in found.hits]
        total = _count_of(found)
        if query.limit <= 0:
            return total, []
        return total, [_hit(searcher.doc(address), score) for address, score in scored]

    def _facets(
        self, searcher: tantivy.Searcher, matching: tantivy.Query, query: SearchQuery
    ) -> dict[str, list[FacetCount]]:
        """Exact counts over every match, in one pass of tantivy's terms aggregation."""
        names = [name for name in query.facets if name in FACET_INDEX_FIELDS]
        if not names:
            return {}
        spec = {
            name: {
                "terms": {
                    "field": FACET_INDEX_FIELDS[name],
                    "size": query.facet_limit,
                    "segment_size": _SEGMENT_BUCKETS,
                }
            }
            for name in names
        }
        found = searcher.aggregate(matching, spec)
        facets = {}
        for name in names:
            counts = {b["key"]: int(b["doc_count"]) for b in found[name]["buckets"]}
            for value in query.filters.get(name, ()):
                if value not in counts:
                    narrowed = all_of(
                        [matching, term(self.schema, FACET_INDEX_FIELDS[name], value)]
                    )
                    counts[value] = _count_of(searcher.search(narrowed, limit=1))
            facets[name] = sorted(
                (FacetCount(value, count) for value, count in counts.items()),
                key=lambda facet: (-facet.count, facet.value.casefold()),
            )
        return facets

    # --- writing ---------------------------------------------------------------------

    def acquire_writer(
        self, wait: float, heap: int = APPLY_HEAP, threads: int = 1
    ) -> tantivy.IndexWriter:
        """The index's one writer; IndexLocked when another holds it longer than `wait`."""
        deadline = time.monotonic() + wait
        while True:
            try:
                return self._index.writer(heap_size=heap, num_threads=threads)
            except ValueError as error:
                if "LockBusy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"search index {self.path} is being written: {error}"
                    ) from error
            time.sleep(_LOCK_RETRY)

    def apply(
        self, documents: Iterable[IndexDocument], removed: Iterable[str] = (), wait: float = 5.0
    ) -> int:
        """Add or replace documents and remove ids, in one commit; IndexLocked if busy."""
        writer = self.acquire_writer(wait, APPLY_HEAP, 1)
        count = 0
        try:
            for document in documents:
                writer.delete_documents_by_term("record_id", document.record_id)
                writer.add_document(tantivy_document(document))
                count += 1
            for record_id in removed:
                writer.delete_documents_by_term("record_id", record_id)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # gives the lock back
        self._searcher()
        return count

    def rebuild(self, documents: Iterable[IndexDocument], wait: float = 60.0) -> int:
        """Replace the whole index in one commit: searchers see the old one until it lands."""
        writer = self.acquire_writer(wait, REBUILD_HEAP, 0)
        count = 0
        try:
            writer.delete_all_documents()
            for document in documents:
                writer.add_document(tantivy_document(document))
                count += 1
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self._searcher()
        return count

    def close(self) -> None:
        """Nothing to release: the writer lives only inside apply and rebuild."""


def _count_of(found: tantivy.SearchResult) -> int:
    """The number of matches (the stubs of tantivy 0.27 leave `count` out)."""
    return int(found.count)  # type: ignore[attr-defined]


def _hit(document: tantivy.Document, score: float | None) -> SearchHit:
    fields = document.to_dict()
    modified = fields.get("modified")
    return SearchHit(
        record_id=fields["record_id"][0],
        name=fields["name"][0],
        title=bytes(fields["stored_title"][0]).decode() or fields["name"][0],
        description=bytes(fields["summary"][0]).decode(),
        organization=(fields.get("organization") or [None])[0],
        modified=from_micros(modified[0]) if modified else None,
        updated=from_micros(fields["updated"][0]),
        formats=tuple(fields.get("format", ())),
        themes=tuple(fields.get("theme", ())),
        score=score,
    )


__all__ = ["TantivyBackend"]
