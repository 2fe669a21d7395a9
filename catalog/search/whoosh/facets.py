"""Facet counts over a set of hits: exact, and cheap however many documents match."""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable

from catalog.search.base import FacetCount
from catalog.search.whoosh.matching import Snapshot


class FacetTables:
    """Per snapshot: every facet value with its document frequency and documents, by field."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._lock = threading.Lock()
        self._tables: dict[str, list[tuple[str, int, int]]] = {}

    def table(self, fieldname: str) -> list[tuple[str, int, int]]:
        """(value, frequency, bits), most frequent first, over all segments."""
        with self._lock:
            found = self._tables.get(fieldname)
        if found is not None:
            return found
        combined: dict[str, list[int]] = {}
        for leaf in self.snapshot.leaves:
            for value, frequency, bits in leaf.data.facet_values(leaf.reader, fieldname).values:
                entry = combined.setdefault(value, [0, 0])
                entry[0] += frequency
                entry[1] |= bits << leaf.offset
        table = sorted(
            ((value, freq, bits) for value, (freq, bits) in combined.items()),
            key=lambda item: (-item[1], item[0]),
        )
        with self._lock:
            self._tables[fieldname] = table
        return table


def count_facet(
    tables: FacetTables, fieldname: str, hits: int, limit: int, selected: Iterable[str] = ()
) -> list[FacetCount]:
    """The `limit` values with most hits (ties by value), plus any selected value.

    Values are visited by falling document frequency, which bounds their count: once the
    list is full and a value's frequency cannot beat its smallest count, no later one can.
    """
    wanted = set(selected)
    best: list[tuple[int, str]] = []  # min-heap of (count, value): the smallest count on top
    counts: dict[str, int] = {}
    for value, frequency, bits in tables.table(fieldname):
        if len(best) >= limit and frequency < best[0][0] and not wanted - counts.keys():
            break
        count = (bits & hits).bit_count()
        if value in wanted:
            counts[value] = count
        if count == 0:
            continue
        counts[value] = count
        if len(best) < limit:
            heapq.heappush(best, (count, value))
        elif count > best[0][0]:
            # Among equal counts the value met first stays: the more frequent one overall.
            heapq.heapreplace(best, (count, value))
    chosen = {value for _, value in best} | (wanted & counts.keys())
    return sorted(
        (FacetCount(value, counts[value]) for value in chosen),
        key=lambda facet: (-facet.count, facet.value.casefold()),
    )
