"""Which words rank the hits: the selective ones. Words in very many records only filter.

Scoring walks every record the ranking query matches, and Whoosh's block skipping cannot
help when a word is everywhere ("Daten", "Stadt", "bereitgestellt"): those words carry little
weight in BM25 anyway (low IDF) but cost a score for each of tens of thousands of records.
So they stay in the query that decides what matches, and are left out of the one that
orders. When no selective word is left, there is nothing worth ranking by: newest first.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

# A word is common when more records than this share of the index, or this many, have it.
COMMON_SHARE = 0.05
COMMON_MINIMUM = 2000


def ranking_query(searcher: Searcher, text_query: wq.Query) -> wq.Query | None:
    """The query to rank AND-ed words by; the text query itself when it is anything else.

    None when every word is common: the caller orders by date instead.
    """
    words = _and_words(text_query)
    if words is None:
        return text_query
    limit = max(COMMON_MINIMUM, int(COMMON_SHARE * searcher.doc_count_all()))
    selective = [word for word in words if _records_with(searcher, word) <= limit]
    if not selective:
        return None
    if len(selective) == len(words):
        return text_query
    return selective[0] if len(selective) == 1 else wq.And(selective)


def _and_words(query: wq.Query) -> list[wq.Query] | None:
    """The words of a query that is one word or only AND-ed words; None for anything else.

    A word is a term, or a term OR-ed with the same term among compound parts and, for a
    compound, with its parts (query_text).
    """
    if _is_word(query):
        return [query]
    if isinstance(query, wq.And) and all(_is_word(sub) for sub in query.subqueries):
        return list(query.subqueries)
    return None


def _is_word(query: wq.Query) -> bool:
    if isinstance(query, wq.Term):
        return True
    return (
        isinstance(query, wq.Or)
        and all(isinstance(s, wq.Term | wq.And) for s in query.subqueries)
        and isinstance(query.subqueries[0], wq.Term)
    )


def _records_with(searcher: Searcher, word: wq.Query) -> int:
    """How many records have the word, whole or as a part (its split parts aside: a compound
    is common only when the compound itself is)."""
    terms = (
        [sub for sub in word.subqueries if isinstance(sub, wq.Term)]
        if isinstance(word, wq.Or)
        else [word]
    )
    return max(searcher.doc_frequency(term.fieldname, term.text) for term in terms)
