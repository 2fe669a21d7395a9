"""What people type into the search box, as a tantivy query that never fails.

The same language as the Whoosh engine's (catalog.search.whoosh.query_text): words are ANDed,
"double quotes" make a phrase, a trailing * a prefix (after two letters), AND/UND, OR/ODER,
NOT/NICHT with parentheses work as operators; there is no field syntax. What does not parse
(an open parenthesis or quote, a lone operator, only negations) is searched as plain words.
Each word is also looked up among the parts of compounds, with a lower weight; when the words
as written find nothing, the backend asks again with each compound of the query also matched
as its two parts (query_splits), as the Whoosh engine does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tantivy

from catalog.search.compounds import compound_halves
from catalog.search.tantivy.analysis import german_terms, prefix_key
from catalog.search.whoosh.query_text import PARTS_BOOST, SPLIT_BOOST, clean_text
from catalog.search.whoosh.schema import PARTS_FIELD, TEXT_FIELD

MAX_WORDS = 24
_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+|"')
_WORD = re.compile(r"\w+")
_AND, _OR, _NOT = {"AND", "UND"}, {"OR", "ODER"}, {"NOT", "NICHT"}
_OPERATOR_WORDS = {"and", "or", "not", "und", "oder", "nicht", "andnot", "andmaybe"}


class _Unparsable(ValueError):
    """The text is not well-formed in the query language: searched as plain words."""


@dataclass(frozen=True)
class Words:
    """Analysed terms that must all occur (one typed word may give several)."""

    terms: tuple[str, ...]


@dataclass(frozen=True)
class Phrase:
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    start: str


@dataclass(frozen=True)
class Bool:
    operator: str  # "and" | "or"
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Negation:
    child: Node


Node = Words | Phrase | Prefix | Bool | Negation


class TextQueries:
    """Parses search-box text into a tree of analysed terms."""

    def parse(self, text: str) -> Node | None:
        """The tree for the text; None for a text without words (every record)."""
        cleaned = clean_text(text)
        if not _WORD.search(cleaned):
            return None
        try:
            node = _Parser(_TOKEN.findall(cleaned), self._terms).parse()
            if node is not None and _is_usable(node):
                return node
        except _Unparsable:
            pass
        return self.plain(cleaned)

    def plain(self, text: str) -> Node:
        """Every word, ANDed, without any syntax; Bool("or", ()) when none is left."""
        typed = [w for w in _WORD.findall(text) if w.casefold() not in _OPERATOR_WORDS]
        nodes = [Words(terms) for w in typed[:MAX_WORDS] if (terms := self._terms(w))]
        if not nodes:
            return Bool("or", ())
        return nodes[0] if len(nodes) == 1 else Bool("and", tuple(nodes))

    def query_splits(self, text: str) -> dict[str, tuple[str, ...]]:
        """Index term of each compound in the text -> the index terms of its body and head."""
        splits: dict[str, tuple[str, ...]] = {}
        for word in _WORD.findall(clean_text(text)):
            halves = compound_halves(word)
            if halves is None:
                continue
            whole = self._terms(word)
            parts = tuple(term for half in halves for term in self._terms(half))
            if len(whole) == 1 and len(parts) == 2:
                splits[whole[0]] = parts
        return splits

    def _terms(self, word: str) -> tuple[str, ...]:
        return tuple(german_terms(word))


class _Parser:
    """or := and (OR and)*; and := unary (AND? unary)*; unary := NOT unary | atom."""

    def __init__(self, tokens: list[str], terms: object) -> None:
        self.tokens = tokens
        self.position = 0
        self.terms = terms

    def parse(self) -> Node | None:
        node = self._or()
        if self.position < len(self.tokens):
            raise _Unparsable("text after the end")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _or(self) -> Node | None:
        children = [self._and()]
        while self._peek() in _OR:
            self.position += 1
            children.append(self._and())
        kept = tuple(child for child in children if child is not None)
        if len(children) > 1 and len(kept) < len(children):
            raise _Unparsable("an OR without a side")
        return _combine("or", kept)

    def _and(self) -> Node | None:
        children: list[Node | None] = []
        while (token := self._peek()) is not None and token != ")" and token not in _OR:
            if token in _AND:
                self.position += 1
                continue
            children.append(self._unary())
        return _combine("and", tuple(child for child in children if child is not None))

    def _unary(self) -> Node | None:
        token = self._peek()
        if token in _NOT:
            self.position += 1
            child = self._unary()
            if child is None:
                raise _Unparsable("NOT without a word")
            return Negation(child)
        return self._atom()

    def _atom(self) -> Node | None:
        token = self._peek()
        if token is None:
            raise _Unparsable("the text ends inside an expression")
        self.position += 1
        if token == "(":
            node = self._or()
            if self._peek() != ")":
                raise _Unparsable("an open parenthesis")
            self.position += 1
            return node
        if token == ")" or token == '"':
            raise _Unparsable(f"a stray {token}")
        if token.startswith('"'):
            terms = tuple(t for w in _WORD.findall(token) for t in self.terms(w))  # type: ignore[operator]
            return Phrase(terms) if len(terms) > 1 else (Words(terms) if terms else None)
        if token.endswith("*") and _WORD.fullmatch(token[:-1]):
            return Prefix(prefix_key(token[:-1]))
        found = [Words(terms) for w in _WORD.findall(token) if (terms := self.terms(w))]  # type: ignore[operator]
        return _combine("and", tuple(found))


def _combine(operator: str, children: tuple[Node, ...]) -> Node | None:
    if not children:
        return None
    return children[0] if len(children) == 1 else Bool(operator, children)


def _is_usable(node: Node) -> bool:
    """Worth running: not only a negation (that would list everything)."""
    if isinstance(node, Negation):
        return False
    if isinstance(node, Bool):
        return bool(node.children) and not all(isinstance(c, Negation) for c in node.children)
    return True


def and_words(node: Node) -> list[Words] | None:
    """The words of a query that is one word or only ANDed words; None for anything else."""
    if isinstance(node, Words):
        return [node]
    if (
        isinstance(node, Bool)
        and node.operator == "and"
        and all(isinstance(child, Words) for child in node.children)
    ):
        return list(node.children)  # type: ignore[arg-type]
    return None


def to_query(
    schema: tantivy.Schema, node: Node, splits: dict[str, tuple[str, ...]] | None = None
) -> tantivy.Query:
    """The tantivy query; each term matches whole in the text or, weighted less, as a part,
    and a compound in splits also as its two parts (each whole or inside a compound)."""
    splits = splits or {}
    if isinstance(node, Words):
        return _all([_term_or_part(schema, term, splits) for term in node.terms])
    if isinstance(node, Phrase):
        return tantivy.Query.phrase_query(schema, TEXT_FIELD, list(node.terms))
    if isinstance(node, Prefix):
        pattern = re.escape(node.start) + ".*"
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.regex_query(schema, TEXT_FIELD, pattern)),
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(
                        tantivy.Query.regex_query(schema, PARTS_FIELD, pattern), PARTS_BOOST
                    ),
                ),
            ]
        )
    if isinstance(node, Negation):
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, tantivy.Query.all_query()),
                (tantivy.Occur.MustNot, to_query(schema, node.child, splits)),
            ]
        )
    subqueries = [to_query(schema, child, splits) for child in node.children]
    if node.operator == "and":
        return _all(subqueries)
    if not subqueries:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in subqueries])


def _term_or_part(
    schema: tantivy.Schema, term: str, splits: dict[str, tuple[str, ...]]
) -> tantivy.Query:
    alternatives = [
        (tantivy.Occur.Should, tantivy.Query.term_query(schema, TEXT_FIELD, term)),
        (
            tantivy.Occur.Should,
            tantivy.Query.boost_query(
                tantivy.Query.term_query(schema, PARTS_FIELD, term), PARTS_BOOST
            ),
        ),
    ]
    if term in splits:
        both = _all([_whole_or_part(schema, part) for part in splits[term]])
        alternatives.append((tantivy.Occur.Should, tantivy.Query.boost_query(both, SPLIT_BOOST)))
    return tantivy.Query.boolean_query(alternatives)


def _whole_or_part(schema: tantivy.Schema, term: str) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.term_query(schema, TEXT_FIELD, term)),
            (tantivy.Occur.Should, tantivy.Query.term_query(schema, PARTS_FIELD, term)),
        ]
    )


def _all(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def describe(node: Node | None) -> str:
    """The query as understood, for "you searched for" lines."""
    if node is None:
        return ""
    if isinstance(node, Words):
        return " ".join(node.terms)
    if isinstance(node, Phrase):
        return '"' + " ".join(node.terms) + '"'
    if isinstance(node, Prefix):
        return node.start + "*"
    if isinstance(node, Negation):
        return "NOT " + describe(node.child)
    joined = f" {node.operator.upper()} ".join(describe(child) for child in node.children)
    return f"({joined})" if len(node.children) > 1 else joined
