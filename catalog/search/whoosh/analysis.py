"""The German analyser: how titles, descriptions and queries become index terms.

Case, umlaut and accent folding plus Snowball stemming, so that "Straße" finds "Strasse",
"Bäume" finds "Baum" and "Baeume" finds both. The same analyser runs at index and at query
time, which is what makes these foldings symmetric.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from catalog.search.compounds import compound_parts

# Words are runs of letters and digits; "CO2-Ausstoß" gives "co2" and "ausstoß".
WORD_PATTERN = r"\w+"
# The Snowball "german2" rule: ae, oe, ue spelt out stand for ä, ö, ü (not "ue" after "q").
_SPELT_OUT_UMLAUT = re.compile(r"ae|oe|(?<!q)ue")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}
STOP_WORDS = frozenset(stopwords_for_language("de")) | frozenset(
    {"und", "oder", "der", "die", "das", "in", "im", "zu", "von", "mit", "für", "auf"}
)


class SpeltOutUmlautFilter(Filter):
    """Baeume -> bäume, before stemming (Snowball German then folds ä -> a)."""

    is_morph = True  # left out of the unstemmed spelling words

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if "e" in token.text:
                token.text = _SPELT_OUT_UMLAUT.sub(lambda m: _UMLAUTS[m.group()], token.text)
            yield token


class _AccentFilter(CharsetFilter):
    """é -> e and the like, before stemming; umlauts and ß are left to the German stemmer."""

    is_morph = True


_FOREIGN_ACCENTS = {
    code: folded for code, folded in accent_map.items() if chr(code) not in "äöüÄÖÜß"
}


def german_analyzer() -> CompositeAnalyzer:
    """Tokenise, lower-case, drop stop words, fold accents, spell umlauts, stem."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | _AccentFilter(_FOREIGN_ACCENTS)
        | SpeltOutUmlautFilter()
        | StemFilter(lang="de", cachesize=100_000)
    )


class CompoundPartsFilter(Filter):
    """At index time each compound gives way to its parts ("luftqualität" -> "luft",
    "qualität", at the word's position); words that are no compound give nothing. At query
    time words pass unchanged, so that "Luft" looks for the part "luft"."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if token.mode == "query":
                yield token
                continue
            for part in compound_parts(token.text):
                token.text = part
                yield token


def compound_parts_analyzer() -> CompositeAnalyzer:
    """The German analyser over the parts of compounds (see CompoundPartsFilter)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CompoundPartsFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | _AccentFilter(_FOREIGN_ACCENTS)
        | SpeltOutUmlautFilter()
        | StemFilter(lang="de", cachesize=100_000)
    )


def spelling_analyzer() -> CompositeAnalyzer:
    """Words as written, lower-cased: what "did you mean" may suggest."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS)


def index_terms(text: str) -> list[str]:
    """The terms the German analyser makes of a text (for tests and explanations)."""
    return [token.text for token in german_analyzer()(text)]
