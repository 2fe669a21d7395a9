"""CKAN's search parameters read into catalog.search terms: fq, field terms in q, and sort.

fq is the part of Solr's syntax that CKAN clients send: `field:value`, `field:"quoted value"`,
`field:(a OR b)`, date ranges `metadata_modified:[2024-01-01T00:00:00Z TO *]` (also `NOW`,
`NOW-7DAYS`, `NOW/DAY`, and `{}` for exclusive bounds), `+`, `-`/`NOT` and `AND`/`OR` with
parentheses. The parse is a tree of Leaf, All, Any and Not, each Leaf one CKAN field term in
catalog.search's fields (a Fragment); `search_condition` turns it into the search contract's
condition tree, which the search backend answers. Anything else is a QueryError (the API's
"Search Query Error").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from catalog.search import base as search
from catalog.search.base import DateRange, SortOrder
from dcat.ckan.parse import HVD_CATEGORY_BASE
from dcat.vocabularies import FILE_TYPES, LICENSES, THEMES
from web.ckan.dates import QueryError, parse_range

MAX_LEAVES = 50


@dataclass(frozen=True)
class Fragment:
    """One CKAN field term in catalog.search's fields (facets, date fields, ids, names)."""

    filters: tuple[tuple[str, str], ...] = ()
    ranges: tuple[tuple[str, DateRange], ...] = ()
    organization_ids: tuple[str, ...] | None = None
    record_ids: tuple[str, ...] | None = None
    names: tuple[str, ...] | None = None
    nothing: bool = False  # a constant that no record has (dataset_type:harvest)


@dataclass(frozen=True)
class Leaf:
    fragment: Fragment


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


Condition = Leaf | All | Any_ | Not
EVERYTHING = All(())


def _theme_code(value: str) -> str:
    iri = THEMES.resolve(value)
    concept = THEMES.get(iri) if iri else None
    return concept.code if concept else value.upper()


def _format_code(value: str) -> str:
    iri = FILE_TYPES.resolve(value)
    concept = FILE_TYPES.get(iri) if iri else None
    return concept.code if concept else value


def _licence_iri(value: str) -> str:
    return LICENSES.resolve(value) or value


def _hvd_category_flag(value: str) -> str:
    """ckanext-dcat's hvd_category (an IRI, or its code c_...) as the flag the index holds."""
    return value if "://" in value else HVD_CATEGORY_BASE + value


# CKAN field -> (search facet, how a CKAN value becomes the indexed value).
FACET_TERMS: dict[str, tuple[str, Callable[[str], str]]] = {
    "organization": ("organization", str),
    "tags": ("keyword", str),
    "groups": ("theme", _theme_code),
    "theme": ("theme", _theme_code),
    "res_format": ("format", _format_code),
    "license_id": ("license", _licence_iri),
    "hvd_category": ("flag", _hvd_category_flag),
}
# CKAN field -> search date field (ranges only).
DATE_FIELDS = {
    "metadata_modified": "updated",
    "metadata_created": "created",
    "modified": "modified",
    "issued": "issued",
}
# Fields whose value is the same for every record we publish.
CONSTANT_FIELDS = {
    "dataset_type": "dataset",
    "type": "dataset",
    "state": "active",
    "capacity": "public",
    "private": "false",
}
ID_FIELDS = ("id", "owner_org", "name")
KNOWN_FIELDS = (*FACET_TERMS, *DATE_FIELDS, *ID_FIELDS, *CONSTANT_FIELDS)


def leaf(field_name: str, value: str) -> Leaf:
    """The condition `field:value` (value unquoted, or a range text in [] or {})."""
    if field_name in DATE_FIELDS:
        return Leaf(Fragment(ranges=((DATE_FIELDS[field_name], parse_range(value, field_name)),)))
    if value.startswith(("[", "{")):
        raise QueryError(
            f"{field_name}: Bereiche nur auf Datumsfeldern", f"{field_name}: ranges only on dates"
        )
    if "*" in value or "?" in value:
        raise QueryError(
            f"{field_name}:{value}: Platzhalter nicht unterstützt",
            f"{field_name}:{value}: no wildcards",
        )
    if field_name in FACET_TERMS:
        facet, convert = FACET_TERMS[field_name]
        return Leaf(Fragment(filters=((facet, convert(value)),)))
    if field_name == "id":
        return Leaf(Fragment(record_ids=(value,)))
    if field_name == "owner_org":
        return Leaf(Fragment(organization_ids=(value,)))
    if field_name == "name":
        return Leaf(Fragment(names=(value,)))
    if field_name in CONSTANT_FIELDS:
        matches = value.lower() == CONSTANT_FIELDS[field_name]
        return Leaf(Fragment()) if matches else Leaf(Fragment(nothing=True))
    known = ", ".join(KNOWN_FIELDS)
    raise QueryError(
        f"unbekanntes Feld {field_name!r} (bekannt: {known})",
        f"unknown field {field_name!r} (known: {known})",
    )


# --- the fq parser -----------------------------------------------------------------------

_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*):")
_BARE = re.compile(r"(?:\\.|[^\s()\\\"])+")
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.position = 0
        self.leaves = 0

    def parse(self) -> Condition:
        condition = self._or(None)
        self._skip()
        if self.position < len(self.source):
            raise self._error("unerwartet", "unexpected")
        return condition

    def _or(self, field_name: str | None) -> Condition:
        parts = [self._and(field_name)]
        while self._operator() == "OR":
            self._take_operator()
            parts.append(self._and(field_name))
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def _and(self, field_name: str | None) -> Condition:
        parts = [self._unary(field_name)]
        while True:
            self._skip()
            if self.position >= len(self.source) or self._peek() == ")":
                break
            operator = self._operator()
            if operator == "OR":
                break
            if operator == "AND":
                self._take_operator()
            parts.append(self._unary(field_name))
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def _unary(self, field_name: str | None) -> Condition:
        self._skip()
        if self._operator() == "NOT":
            self._take_operator()
            return Not(self._unary(field_name))
        if self._peek() in ("-", "!") and self._next_is_term():
            self.position += 1
            return Not(self._unary(field_name))
        if self._peek() == "+" and self._next_is_term():
            self.position += 1
        return self._primary(field_name)

    def _primary(self, field_name: str | None) -> Condition:
        self._skip()
        if self._peek() == "(":
            self.position += 1
            inner = self._or(field_name)
            self._expect(")")
            return inner
        if field_name is None:
            match = _FIELD.match(self.source, self.position)
            if match is None:
                raise self._error("Feld:Wert erwartet", "field:value expected")
            self.position = match.end()
            name = match.group(1)
            if self._peek() == "(":
                return self._primary(name)
            return self._leaf(name, self._value(name))
        return self._leaf(field_name, self._value(field_name))

    def _value(self, field_name: str) -> str:
        char = self._peek()
        if char == '"':
            end = self.position + 1
            while end < len(self.source) and self.source[end] != '"':
                end += 2 if self.source[end] == "\\" else 1
            if end >= len(self.source):
                raise self._error("Anführungszeichen nicht geschlossen", "unclosed quote")
            value = self.source[self.position + 1 : end]
            self.position = end + 1
            return re.sub(r"\\(.)", r"\1", value)
        if char in ("[", "{"):
            ends = [self.source.find(c, self.position) for c in "]}"]
            found = [e for e in ends if e >= 0]
            if not found:
                raise self._error("Bereich nicht geschlossen", "unclosed range")
            end = min(found)
            value = self.source[self.position : end + 1]
            self.position = end + 1
            return value
        match = _BARE.match(self.source, self.position)
        if match is None:
            raise self._error(f"{field_name}: Wert fehlt", f"{field_name}: value missing")
        self.position = match.end()
        return re.sub(r"\\(.)", r"\1", match.group(0))

    def _leaf(self, field_name: str, value: str) -> Leaf:
        self.leaves += 1
        if self.leaves > MAX_LEAVES:
            raise QueryError(f"mehr als {MAX_LEAVES} Bedingungen", f"more than {MAX_LEAVES} terms")
        return leaf(field_name, value)

    def _operator(self) -> str | None:
        return self._operator_word()[1]

    def _operator_word(self) -> tuple[str, str | None]:
        self._skip()
        for word, operator in _OPERATORS.items():
            end = self.position + len(word)
            if self.source.startswith(word, self.position) and (
                end >= len(self.source) or self.source[end] in " \t\n("
            ):
                return word, operator
        return "", None

    def _take_operator(self) -> None:
        word, _ = self._operator_word()
        self.position += len(word)

    def _next_is_term(self) -> bool:
        following = self.source[self.position + 1 : self.position + 2]
        return bool(following) and not following.isspace()

    def _skip(self) -> None:
        while self.position < len(self.source) and self.source[self.position].isspace():
            self.position += 1

    def _peek(self) -> str:
        return self.source[self.position] if self.position < len(self.source) else ""

    def _expect(self, char: str) -> None:
        self._skip()
        if self._peek() != char:
            raise self._error(f"{char!r} erwartet", f"{char!r} expected")
        self.position += 1

    def _error(self, what_de: str, what_en: str) -> QueryError:
        shown = self.source[self.position : self.position + 20]
        return QueryError(
            f"{what_de} an Stelle {self.position}: {shown!r}" if shown else f"{what_de} am Ende",
            f"{what_en} at position {self.position}: {shown!r}" if shown else f"{what_en} at end",
        )


def parse_fq(fq: str) -> Condition:
    """The condition of an fq text; EVERYTHING for an empty one."""
    if not fq.strip():
        return EVERYTHING
    return _Parser(fq).parse()


def search_condition(condition: Condition) -> search.Condition:
    """The search contract's condition for a parsed fq or q: same tree, its leaves as Terms."""
    if isinstance(condition, Leaf):
        return _fragment_condition(condition.fragment)
    if isinstance(condition, All):
        return search.All(tuple(search_condition(part) for part in condition.parts))
    if isinstance(condition, Any_):
        return search.AnyOf(tuple(search_condition(part) for part in condition.parts))
    return search.Not(search_condition(condition.part))


def _fragment_condition(fragment: Fragment) -> search.Condition:
    if fragment.nothing:
        return search.NOTHING
    parts: list[search.Condition] = [search.Term(name, value) for name, value in fragment.filters]
    parts += [search.Range(name, bounds.start, bounds.end) for name, bounds in fragment.ranges]
    for field_name, values in (
        ("organization_id", fragment.organization_ids),
        ("record_id", fragment.record_ids),
        ("name", fragment.names),
    ):
        if values is not None:
            terms = tuple(search.Term(field_name, value) for value in values)
            parts.append(terms[0] if len(terms) == 1 else search.AnyOf(terms))
    return parts[0] if len(parts) == 1 else search.All(tuple(parts))


# Field terms in q (Solr reads them there too); the rest of q is searched as words.
_Q_TERM = re.compile(
    r"(?:(?<=\s)|^)([+-]?)(" + "|".join(map(re.escape, KNOWN_FIELDS)) + r"):"
    r"(\"(?:\\.|[^\"\\])*\"|\[[^\]]*\]|\{[^}]*\}|\S+)"
)


def split_q(q: str) -> tuple[str, Condition]:
    """The words of q, and the condition its field terms (`tags:umwelt`) make."""
    q = q.replace("*:*", " ")
    terms = [match.group(0) for match in _Q_TERM.finditer(q)]
    words = _Q_TERM.sub(" ", q)
    return " ".join(words.split()), parse_fq(" ".join(terms)) if terms else EVERYTHING


def words_and_condition(q: str, fq: str) -> tuple[str, search.Condition]:
    """What package_search asks of the index: the words of q, and the condition that q's field
    terms and fq make together."""
    words, q_condition = split_q(q)
    return words, search_condition(All((q_condition, parse_fq(fq))))


# --- sort ------------------------------------------------------------------------------------

DEFAULT_SORT = "score desc, metadata_modified desc"
# CKAN sort field -> (order, descending by default).
SORT_FIELDS: dict[str, SortOrder] = {
    "score": SortOrder.RELEVANCE,
    "metadata_modified": SortOrder.UPDATED,
    "modified": SortOrder.NEWEST,
    "name": SortOrder.NAME,
    "title_string": SortOrder.TITLE,
    "title": SortOrder.TITLE,
}
# Accepted after the first sort key: ties are broken by the index's own order.
TIE_BREAKERS = {*SORT_FIELDS, "id", "metadata_created"}


@dataclass(frozen=True)
class Sort:
    order: SortOrder
    descending: bool | None = None
    text: str = DEFAULT_SORT
    extra: tuple[str, ...] = field(default_factory=tuple)


def parse_sort(text: str) -> Sort:
    """CKAN's `sort` ("metadata_modified asc, id asc"); the first key decides the order."""
    if not text.strip():
        return Sort(SortOrder.RELEVANCE, None, DEFAULT_SORT)
    keys = [part.split() for part in text.split(",") if part.strip()]
    for position, key in enumerate(keys):
        if len(key) > 2 or (len(key) == 2 and key[1].lower() not in ("asc", "desc")):
            raise QueryError(
                f"sort: {' '.join(key)!r}: 'Feld asc|desc' erwartet",
                f"sort: {' '.join(key)!r}: 'field asc|desc' expected",
            )
        allowed = SORT_FIELDS if position == 0 else TIE_BREAKERS
        if key[0] not in allowed:
            known = ", ".join(SORT_FIELDS)
            raise QueryError(
                f"sort: unbekanntes Feld {key[0]!r} ({known})",
                f"sort: unknown field {key[0]!r} ({known})",
            )
    first = keys[0]
    order = SORT_FIELDS[first[0]]
    descending = None
    if len(first) == 2 and order is not SortOrder.RELEVANCE:
        descending = first[1].lower() == "desc"
    return replace(Sort(order, descending, text.strip()), extra=tuple(k[0] for k in keys[1:]))
