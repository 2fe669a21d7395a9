"""Which documents a query matches, as one bitset over a searcher's segments.

Boolean structure (And, Or, Not, AndNot) is evaluated on the bitsets of single terms, which
the segment cache keeps; query types with positions or expansions (phrases, prefixes, ranges)
ask Whoosh for their documents instead. The result equals Whoosh's own matching.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from catalog.search.whoosh import bitsets
from catalog.search.whoosh.segments import SegmentCache, SegmentData, segment_key


@dataclass(frozen=True)
class Leaf:
    """One segment of a searcher: its reader, its cached data, its first document number."""

    reader: Any
    data: SegmentData
    offset: int
    data_key: str


class Snapshot:
    """One searcher's view of the index: its segments with their offsets and cached data."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.leaves = [
            Leaf(leaf.reader(), cache.for_reader(leaf.reader()), offset, segment_key(leaf.reader()))
            for leaf, offset in searcher.leaf_searchers()
        ]
        self._live: int | None = None

    def live(self) -> int:
        if self._live is None:
            self._live = self._combine(lambda leaf: leaf.data.live_bits(leaf.reader))
        return self._live

    def term(self, fieldname: str, text: str | bytes) -> int:
        schema = self.searcher.schema
        if fieldname not in schema:
            return 0
        field = schema[fieldname]
        btext = field.to_bytes(text) if isinstance(text, str) else text
        return self._combine(lambda leaf: leaf.data.term_bits(leaf.reader, fieldname, btext))

    def from_docnums(self, docnums: Iterator[int]) -> int:
        return bitsets.from_ids(docnums, self.size)

    def _combine(self, local_bits: Callable[[Leaf], int]) -> int:
        bits = 0
        for leaf in self.leaves:
            part = local_bits(leaf)
            if part:
                bits |= part << leaf.offset
        return bits


def matching_bits(snapshot: Snapshot, query: wq.Query) -> int:
    """The live documents the query matches."""
    return _evaluate(snapshot, query) & snapshot.live()


def _evaluate(snapshot: Snapshot, query: wq.Query) -> int:
    if isinstance(query, wq.Term):
        return snapshot.term(query.fieldname, query.text)
    if isinstance(query, type(wq.NullQuery)):
        return 0
    if isinstance(query, wq.Every) and not query.fieldname:
        return snapshot.live()
    if isinstance(query, wq.And):
        return _all_of(snapshot, query.subqueries)
    if isinstance(query, wq.Or | wq.DisjunctionMax):
        bits = 0
        for sub in query.subqueries:
            bits |= _evaluate(snapshot, sub)
        return bits
    if isinstance(query, wq.Not):
        return snapshot.live() & ~_evaluate(snapshot, query.query)
    if isinstance(query, wq.AndNot):
        return _evaluate(snapshot, query.a) & ~_evaluate(snapshot, query.b)
    if isinstance(query, wq.AndMaybe):
        return _evaluate(snapshot, query.a)
    if isinstance(query, wq.Require):
        return _evaluate(snapshot, query.a) & _evaluate(snapshot, query.b)
    # Phrases, prefixes, wildcards, ranges: Whoosh knows their semantics best.
    return snapshot.from_docnums(snapshot.searcher.docs_for_query(query))


def _all_of(snapshot: Snapshot, queries: list[wq.Query]) -> int:
    bits = -1
    # Cheap and selective parts first: an empty intersection ends the work early.
    for sub in sorted(queries, key=lambda q: not isinstance(q, wq.Term)):
        bits &= _evaluate(snapshot, sub)
        if not bits:
            return 0
    return bits if bits != -1 else snapshot.live()
