"""The German analysis for tantivy: the very terms the Whoosh analyser makes, made fast.

Both engines must find the same records (tests/catalog/search/test_german_compounds.py), and
tantivy's built-in Snowball German is a newer revision than Whoosh's ("Ampeln" -> "ampel"
there, "ampeln" here). So the terms are made in Python with Whoosh's own steps in Whoosh's
order (words, lower case, stop words, foreign accents, spelt-out umlauts, Snowball German,
and the compound parts before the stop words for the parts field), each word's term cached,
and tantivy gets them as space-separated terms that it only splits on white space. One pass
of C-speed regex and dictionary look-ups per text: far cheaper than Whoosh's token chain.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tantivy
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

from catalog.search.compounds import compound_parts
from catalog.search.whoosh.analysis import STOP_WORDS, WORD_PATTERN

TERMS = "catalog_terms"
RAW = "raw"
_WORD = re.compile(WORD_PATTERN)
_SPELT_OUT_UMLAUT = re.compile(r"ae|oe|(?<!q)ue")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}
# é -> e and the like; umlauts and ß are left to the German stemmer (as in Whoosh's chain).
_FOREIGN_ACCENTS = str.maketrans(
    {code: folded for code, folded in accent_map.items() if chr(code) not in "äöüÄÖÜß"}
)
# What a prefix is compared with: index terms are stemmed, so without umlauts and with "ss".
_PREFIX_FOLDING = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Whoosh's spelling words leave out one-letter words (StopFilter's default minimum size).
_SPELLING_MIN_SIZE = 2
_stem = stemmer_for_language("de")


def terms_analyzer() -> tantivy.TextAnalyzer:
    """Terms made by `german_terms` arrive space-separated: tantivy only splits them."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def register_analyzers(index: tantivy.Index) -> None:
    """Analysers live in the process, not in the index files: register them on every open."""
    index.register_tokenizer(TERMS, terms_analyzer())


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str:
    """The index term of one lower-cased word that is no stop word."""
    folded = word.translate(_FOREIGN_ACCENTS)
    if "e" in folded:
        folded = _SPELT_OUT_UMLAUT.sub(lambda match: _UMLAUTS[match.group()], folded)
    return str(_stem(folded))


def german_terms(text: str) -> list[str]:
    """The terms of the text field, in order (Whoosh's german_analyzer)."""
    return [term_of(word) for word in _WORD.findall(text.lower()) if word not in STOP_WORDS]


def parts_terms(text: str) -> list[str]:
    """The terms of the parts of the text's compounds (Whoosh's compound_parts_analyzer)."""
    return [
        term_of(part)
        for word in _WORD.findall(text.lower())
        for part in compound_parts(word)
        if part not in STOP_WORDS
    ]


def spelling_words(text: str) -> list[str]:
    """Words as written, lower-cased, no stop words: what "did you mean" may suggest."""
    return [
        word
        for word in _WORD.findall(text.lower())
        if len(word) >= _SPELLING_MIN_SIZE and word not in STOP_WORDS
    ]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def prefix_key(prefix: str) -> str:
    """A typed prefix as the stemmed index terms spell their start."""
    folded = prefix.lower().translate(_FOREIGN_ACCENTS)
    folded = _SPELT_OUT_UMLAUT.sub(lambda match: _UMLAUTS[match.group()], folded)
    return folded.translate(_PREFIX_FOLDING)
