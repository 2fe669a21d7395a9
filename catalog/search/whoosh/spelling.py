""" "Meinten Sie ...?": corrections of unknown words from the words the catalog contains."""

from __future__ import annotations

from collections.abc import Callable

from whoosh.searching import Searcher

from catalog.search.whoosh.analysis import spelling_analyzer

SPELLING_FIELD = "spelling"


def suggest_correction(
    searcher: Searcher, text: str, count_hits: Callable[[str], int]
) -> str | None:
    """The text with each unknown word replaced by the closest known one, if that finds
    anything; None when every word is known or no correction helps."""
    corrector = searcher.corrector(SPELLING_FIELD)
    reader = searcher.reader()
    words = [token.text for token in spelling_analyzer()(text)]
    corrected = []
    changed = False
    for word in words:
        if (SPELLING_FIELD, word) in reader:
            corrected.append(word)
            continue
        candidates = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
        if candidates:
            corrected.append(candidates[0])
            changed = True
        else:
            corrected.append(word)
    if not changed:
        return None
    suggestion = " ".join(corrected)
    return suggestion if count_hits(suggestion) > 0 else None
