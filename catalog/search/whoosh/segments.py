"""What the backend derives once per Whoosh segment: term sets, facet values, sort orders.

Segments never change once written (only their deletions grow), so everything here is kept
per segment id and survives index commits that add other segments; a searcher over several
segments combines them by shifting each segment's sets by its document offset.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

from catalog.search.whoosh import bitsets

TERM_CACHE_SIZE = 4096


def posting_ids(reader: IndexReader, fieldname: str, text: bytes) -> Iterator[int]:
    """Every document number a term occurs in, deleted ones included (callers mask those).

    Reads whole blocks of Whoosh's own posting format where it can, rather than stepping
    the matcher one posting at a time (the step is what costs in Python).
    """
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        yield from matcher.all_ids()
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        yield from matcher._ids[matcher._i :]
        matcher._next_block()


@dataclass
class FacetValues:
    """One facet field of one segment: each value's documents, most frequent values first."""

    values: list[tuple[str, int, int]]  # (value, document frequency, local bits)


@dataclass
class SegmentData:
    """The derived data of one segment; built lazily, each part once.

    Methods take the reader to read from: any reader of this segment gives the same data.
    """

    size: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    terms: OrderedDict[tuple[str, bytes], int] = field(default_factory=OrderedDict)
    facets: dict[str, FacetValues] = field(default_factory=dict)
    orders: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, list[Any]] = field(default_factory=dict)
    timeline: list[tuple[datetime, str]] | None = None
    live_version: int = -1
    live: int = 0

    def live_bits(self, reader: IndexReader) -> int:
        """Documents not deleted; recomputed when the segment's deletions grew."""
        segment = reader.segment()
        deleted = segment.deleted_count() if segment is not None else 0
        with self.lock:
            if deleted != self.live_version:
                bits = bitsets.all_ones(self.size)
                if deleted:
                    bits &= ~bitsets.from_ids(reader.deleted_docs_set, self.size)
                self.live, self.live_version = bits, deleted
            return self.live

    def term_bits(self, reader: IndexReader, fieldname: str, text: bytes) -> int:
        key = (fieldname, text)
        with self.lock:
            cached = self.terms.get(key)
            if cached is not None:
                self.terms.move_to_end(key)
                return cached
        if (fieldname, text) in reader:
            bits = bitsets.from_ids(posting_ids(reader, fieldname, text), self.size)
        else:
            bits = 0
        with self.lock:
            self.terms[key] = bits
            if len(self.terms) > TERM_CACHE_SIZE:
                self.terms.popitem(last=False)
        return bits

    def facet_values(self, reader: IndexReader, fieldname: str) -> FacetValues:
        with self.lock:
            found = self.facets.get(fieldname)
        if found is not None:
            return found
        values = []
        for text in reader.lexicon(fieldname):
            ids = list(posting_ids(reader, fieldname, text))
            values.append((text.decode("utf-8"), len(ids), bitsets.from_ids(ids, self.size)))
        values.sort(key=lambda item: (-item[1], item[0]))
        built = FacetValues(values)
        with self.lock:
            self.facets[fieldname] = built
        return built

    def column_values(self, reader: IndexReader, fieldname: str) -> list[Any]:
        """A sortable column's raw values by local document number.

        Untranslated (sortable bytes and integers, which order as the values do): a document
        without a date has the column's default 0, the least value, which no datetime
        translates to.
        """
        with self.lock:
            found = self.columns.get(fieldname)
        if found is not None:
            return found
        column = reader.column_reader(fieldname, translate=False)
        built = [column[docnum] for docnum in range(self.size)]
        with self.lock:
            self.columns[fieldname] = built
        return built

    def order(self, reader: IndexReader, fieldname: str) -> list[int]:
        """Local document numbers sorted by a column's value, ties by document number."""
        with self.lock:
            found = self.orders.get(fieldname)
        if found is not None:
            return found
        values = self.column_values(reader, fieldname)
        built = sorted(range(self.size), key=lambda docnum: (values[docnum], docnum))
        with self.lock:
            self.orders[fieldname] = built
        return built

    def record_timeline(self, reader: IndexReader) -> list[tuple[datetime, str]]:
        """(updated, record_id) of every local document, for keyset paging over search hits."""
        with self.lock:
            if self.timeline is not None:
                return self.timeline
        updated = reader.column_reader("updated", translate=True)
        ids = reader.column_reader("record_id", translate=True)
        built = [(updated[docnum], ids[docnum]) for docnum in range(self.size)]
        with self.lock:
            self.timeline = built
        return built


class SegmentCache:
    """SegmentData by segment id, forgetting segments the index no longer has."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._segments: dict[str, SegmentData] = {}

    def for_reader(self, reader: IndexReader) -> SegmentData:
        key = segment_key(reader)
        with self._lock:
            data = self._segments.get(key)
            if data is None:
                data = SegmentData(size=reader.doc_count_all())
                self._segments[key] = data
            return data

    def keep_only(self, segment_ids: set[str]) -> None:
        with self._lock:
            for key in [key for key in self._segments if key not in segment_ids]:
                del self._segments[key]


def segment_key(reader: IndexReader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(reader)}"
