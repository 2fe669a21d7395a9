"""What people type into the search box, turned into a Whoosh query that never fails.

Words are ANDed in the catch-all text field (TEXT_FIELD); "double quotes" make a phrase, a
trailing * a prefix, and AND/UND, OR/ODER, NOT/NICHT with parentheses work as operators.
Field syntax, ranges and boosts are switched off: they surprise people more than they help.
Whatever the parser cannot make sense of is searched as plain words. Each word (and prefix)
is also looked up among the parts of compounds (PARTS_FIELD), with a lower weight, so that
"Luft" finds "Luftqualität" and a dataset that says "Luft" itself comes first. When the
words as written find nothing, the search asks again with each compound of the query split
too ("Fahrradständer" -> "Fahrrad" + "Ständer"): a dataset with both parts ("Ständer für
Fahrräder", "Fahrradabstellanlagen mit Ständern") is found. Only then, because measured on
the German query set (benchmarks/RESULTS.md) the parts always added hits whose parts meet by
chance ("Bau" + "Stellen" in "Bauamt" and "Haltestellen"), and precision@10 fell.
"""

from __future__ import annotations

import logging
import re

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, plugins
from whoosh.qparser.default import QueryParser

from catalog.search.compounds import compound_halves
from catalog.search.whoosh.schema import PARTS_FIELD, TEXT_FIELD

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 300
MAX_WORDS = 24
_QUESTION_MARKS = re.compile(r"\?")
# A * counts as a prefix search only after two letters; elsewhere it is noise.
_STRAY_STARS = re.compile(r"(?<!\w\w)\*|\*(?=\w)")
_WORD = re.compile(r"\w+")
# How much a word found as part of a compound counts against the word found whole.
PARTS_BOOST = 0.3
# How much a query compound found as its parts (both of them, anywhere) counts.
SPLIT_BOOST = 0.2
_OPERATOR_WORDS = {"and", "or", "not", "und", "oder", "nicht", "andnot", "andmaybe"}


def _parser(schema: Schema) -> QueryParser:
    parser = QueryParser(TEXT_FIELD, schema, group=AndGroup)
    for plugin_class in (
        plugins.FieldsPlugin,
        plugins.RangePlugin,
        plugins.BoostPlugin,
        plugins.EveryPlugin,
        plugins.SingleQuotePlugin,
        plugins.OperatorsPlugin,
    ):
        parser.remove_plugin_class(plugin_class)
    parser.add_plugin(
        plugins.OperatorsPlugin(
            And=r"(?<=\s)(AND|UND)(?=\s)",
            Or=r"(?<=\s)(OR|ODER)(?=\s)",
            Not=r"(^|(?<=(\s|[()])))(NOT|NICHT)(?=\s)",
            AndNot=None,
            AndMaybe=None,
            Require=None,
        )
    )
    return parser


class TextQueries:
    """Parses search-box text for one schema (parsers are reusable, so build it once)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._parser = _parser(schema)
        self._plain = QueryParser(TEXT_FIELD, schema, group=AndGroup, plugins=[])

    def parse(self, text: str, *, split_compounds: bool = False) -> wq.Query:
        """The query for the text; Every() for an empty one. With split_compounds, each
        compound word is also matched as its parts (what the search falls back to when the
        words as written find nothing)."""
        cleaned = clean_text(text)
        if not _WORD.search(cleaned):
            return wq.Every()
        try:
            parsed = self._parser.parse(cleaned)
            if _is_usable(parsed):
                splits = self.query_splits(cleaned) if split_compounds else {}
                return with_compound_parts(parsed, splits)
        except Exception:  # the parser's errors are not part of its API
            log.debug("query %r not parsed, searching its words", cleaned, exc_info=True)
        return self.plain(cleaned, split_compounds=split_compounds)

    def plain(self, text: str, *, split_compounds: bool = False) -> wq.Query:
        """Every word, ANDed, without any syntax."""
        words = [w for w in _WORD.findall(text) if w.casefold() not in _OPERATOR_WORDS]
        if not words:
            return wq.NullQuery
        text = " ".join(words[:MAX_WORDS])
        splits = self.query_splits(text) if split_compounds else {}
        return with_compound_parts(self._plain.parse(text), splits)

    def query_splits(self, text: str) -> dict[str, tuple[str, ...]]:
        """Index term of each compound in the text -> the index terms of its body and head."""
        splits: dict[str, tuple[str, ...]] = {}
        for word in _WORD.findall(text):
            halves = compound_halves(word)
            if halves is None:
                continue
            whole = self._terms(word)
            parts = tuple(term for half in halves for term in self._terms(half))
            if len(whole) == 1 and len(parts) == 2:
                splits[whole[0]] = parts
        return splits

    def _terms(self, word: str) -> list[str]:
        analyzer = self.schema[TEXT_FIELD].analyzer
        return [token.text for token in analyzer(word, mode="query")]


def with_compound_parts(
    query: wq.Query, splits: dict[str, tuple[str, ...]] | None = None
) -> wq.Query:
    """Each word and prefix of the text field also matched as a part of compounds, and each
    compound word (in splits) also as its parts, each whole or inside a compound."""
    splits = splits or {}
    if isinstance(query, wq.Term | wq.Prefix) and query.fieldname == TEXT_FIELD:
        alternatives = [query, _as_part(query, PARTS_BOOST)]
        if isinstance(query, wq.Term) and query.text in splits:
            both = [
                wq.Or([wq.Term(TEXT_FIELD, part), wq.Term(PARTS_FIELD, part)])
                for part in splits[query.text]
            ]
            alternatives.append(wq.And(both, boost=query.boost * SPLIT_BOOST))
        return wq.Or(alternatives)
    if isinstance(query, wq.CompoundQuery):
        return query.__class__(
            [with_compound_parts(sub, splits) for sub in query.subqueries], boost=query.boost
        )
    if isinstance(query, wq.Not):
        return wq.Not(with_compound_parts(query.query, splits), boost=query.boost)
    return query


def _as_part(query: wq.Term | wq.Prefix, boost: float) -> wq.Query:
    as_part = query.copy()
    as_part.fieldname = PARTS_FIELD
    as_part.boost = query.boost * boost
    return as_part


def clean_text(text: str) -> str:
    """Bounded length and words; question marks and stray stars dropped."""
    text = " ".join(str(text).split())[:MAX_QUERY_LENGTH]
    text = _STRAY_STARS.sub(" ", _QUESTION_MARKS.sub(" ", text))
    words = text.split()
    return " ".join(words[:MAX_WORDS])


def _is_usable(query: wq.Query) -> bool:
    """A parse worth running: not empty, and not only a negation (that would list everything)."""
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return False
    if isinstance(query, wq.Not):
        return False
    if isinstance(query, wq.And | wq.Or):
        return any(_is_usable(sub) for sub in query.subqueries) and not all(
            isinstance(sub, wq.Not) for sub in query.subqueries
        )
    return True
