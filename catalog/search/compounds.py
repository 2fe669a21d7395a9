"""German compound words and their parts: "Luftqualität" is found by "Luft" and "Qualität".

Citizens search with the parts of compounds ("Luft", "Zählung") that catalogs write whole
("Luftmessstation", "Verkehrszählung"). CharSplit (the compound-split package, an n-gram
model of a million German nouns shipped inside it, so nothing is downloaded; read from its
compiled form, compound_model) proposes the most likely split into body and head; splits it
is unsure of are not taken, because a wrong split makes a word find datasets it has nothing
to do with ("Transport" is not "Sport").

Known limits: "Fahrrad" would split into "Fahr" and "Rad", but the model is unsure of that
(score 0.07), so it stays whole: "Fahrrad" finds "Fahrradverkehr" and "Fahrradmessstellen",
"Rad" finds "Radverkehr", and "Fahrrad" does not find "Radverkehr" (a synonym, not a part).
Other splits scored below MIN_SCORE are lost too ("Kindertagesstätten", "Radzählungen").
"""

from __future__ import annotations

from functools import lru_cache

from catalog.search.compound_model import best_split

# CharSplit's score of the best split; true compounds of our catalogs score 0.5 to 1.1, words
# it would cut wrongly ("Transport" 0.41, "Wohnungen" 0.17, "Entwicklung" 0.01) below.
MIN_SCORE = 0.5
MIN_PART_LENGTH = 3
# Shorter words are not split: the model needs room for two parts of three letters.
MIN_WORD_LENGTH = 2 * MIN_PART_LENGTH
MAX_DEPTH = 3


def compound_halves(word: str) -> tuple[str, str] | None:
    """Body and head of a compound, lower-cased ("radverkehr" -> "rad", "verkehr"); None for a
    word that is no compound. What a query word is split into (query_text)."""
    parts = compound_parts(word)
    return (parts[0], parts[1]) if parts and "-" not in word else None


def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a compound, lower-cased, body before head, nested compounds opened
    ("straßenverkehrsunfälle" -> "straßenverkehrs", "unfälle", "straßen", "verkehrs");
    empty for a word that is no compound."""
    return _parts(word.lower(), MAX_DEPTH)


@lru_cache(maxsize=200_000)
def _parts(word: str, depth: int) -> tuple[str, ...]:
    if depth == 0 or len(word) < MIN_WORD_LENGTH or not word.isalpha():
        return ()
    score, body, head = best_split(word)
    if score < MIN_SCORE or min(len(body), len(head)) < MIN_PART_LENGTH:
        return ()
    parts = [body, head, *_parts(body, depth - 1), *_parts(head, depth - 1)]
    return tuple(dict.fromkeys(part for part in parts if part != word))
