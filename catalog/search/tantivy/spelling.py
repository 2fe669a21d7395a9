""" "Meinten Sie ...?" in tantivy: corrections of unknown words from the catalog's own words.

The same rule as the Whoosh engine's (catalog.search.whoosh.spelling): an unknown word gives
way to the known word at the smallest edit distance (at most 2, same first letter), the more
frequent one first; the suggestion is made only when it finds something.
"""

from __future__ import annotations

from collections.abc import Callable

import tantivy

from catalog.search.tantivy.analysis import spelling_words
from catalog.search.tantivy.schema import SPELLING_FIELD

MAX_DISTANCE = 2


def suggest_correction(
    searcher: tantivy.Searcher, text: str, count_hits: Callable[[str], int]
) -> str | None:
    words = spelling_words(text)
    corrected = []
    changed = False
    for word in words:
        if searcher.doc_freq(SPELLING_FIELD, word) > 0:
            corrected.append(word)
            continue
        candidate = _closest(searcher, word)
        corrected.append(candidate or word)
        changed = changed or candidate is not None
    if not changed:
        return None
    suggestion = " ".join(corrected)
    return suggestion if count_hits(suggestion) > 0 else None


def _closest(searcher: tantivy.Searcher, word: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for known, frequency in searcher.terms_with_prefix(SPELLING_FIELD, word[:1]):
        if abs(len(known) - len(word)) > MAX_DISTANCE:
            continue
        distance = edit_distance(word, known, MAX_DISTANCE)
        if distance <= MAX_DISTANCE:
            key = (distance, -frequency, known)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def edit_distance(one: str, other: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), cut off above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(other) + 1))
    for i, a in enumerate(one, 1):
        current = [i] + [0] * len(other)
        for j, b in enumerate(other, 1):
            cost = 0 if a == b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == other[j - 2] and one[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
