"""Sets of document numbers as Python integers: bit n set means document n is in the set.

Whoosh walks every hit in Python to count facets; with one integer per facet value, a count
is an AND and a popcount over a few kilobytes, whatever the number of hits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.idsets import DocIdSet

# Bit positions of each byte value, for turning a set back into document numbers.
_POSITIONS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def from_ids(ids: Iterable[int], size: int, offset: int = 0) -> int:
    """The set of ids (+ offset); size is the number of documents the ids come from."""
    buffer = bytearray((size + 7) // 8)
    for docnum in ids:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little") << offset


def ids_of(bits: int) -> Iterator[int]:
    """The document numbers in the set, ascending."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for index, value in enumerate(data):
        if value:
            base = index * 8
            for bit in _POSITIONS[value]:
                yield base + bit


def all_ones(size: int) -> int:
    return (1 << size) - 1


class Membership(DocIdSet):
    """`docnum in members` in constant time, for Whoosh's filter= argument."""

    def __init__(self, bits: int) -> None:
        self._data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        self._size = len(self._data) * 8
        self._count = bits.bit_count()

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[int]:
        return ids_of(int.from_bytes(self._data, "little"))

    def __contains__(self, docnum: object) -> bool:
        if not isinstance(docnum, int) or not 0 <= docnum < self._size:
            return False
        return bool(self._data[docnum >> 3] >> (docnum & 7) & 1)
