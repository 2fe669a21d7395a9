"""From a results-page request to a search and back to links: filters, chips, facets, pages.

Every control of the results page is a plain link or a GET form, so the page works without
JavaScript: a facet value links to the same search with that filter added, a chip to the
same search with it removed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext
from werkzeug.datastructures import MultiDict

from catalog.models import Organization
from catalog.search.base import FACET_FIELDS, SearchQuery, SearchResult, SortOrder
from dcat.bounding_box import BoundingBox
from web.labels import FACET_TITLES, facet_label
from web.public.place_filter import PlaceFilter

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are what crawlers ask for, not people
SORTS = {
    "relevance": (SortOrder.RELEVANCE, lazy_gettext("Relevanz")),
    "newest": (SortOrder.NEWEST, lazy_gettext("Neueste zuerst")),
    "title": (SortOrder.TITLE, lazy_gettext("Titel (A–Z)")),
}
# The facets the results page shows: the search contract's, and the records' flags (open
# licence, machine-readable, High-Value Datasets and their categories).
PAGE_FACETS = (*FACET_FIELDS, "flag")
# Filters a link can set that are no facet: the (sub-)catalog that listed a record, which
# the dataset page links to.
FILTER_ONLY_FIELDS = ("catalog",)
# Values a facet lists (ten at once, the rest behind "Weitere anzeigen").
FACET_VALUES = 25


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int | None = None
    selected: bool = False


@dataclass(frozen=True)
class FacetBlock:
    name: str
    title: str
    items: list[Link]


@dataclass
class SearchRequest:
    """What the visitor asked for, read from the query string; never raises on bad input."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    place: PlaceFilter = field(default_factory=PlaceFilter)

    @classmethod
    def from_args(
        cls,
        args: MultiDict[str, str],
        fixed: Mapping[str, str] | None = None,
        districts: Mapping[str, BoundingBox] | None = None,
    ) -> SearchRequest:
        filters = {
            name: list(dict.fromkeys(v for v in args.getlist(name) if v.strip()))[:10]
            for name in (*PAGE_FACETS, *FILTER_ONLY_FIELDS)
        }
        filters = {name: values for name, values in filters.items() if values}
        for name, value in (fixed or {}).items():
            filters[name] = [value, *[v for v in filters.get(name, []) if v != value]]
        sort = args.get("sort", "")
        text = args.get("q", "")[:300]
        if sort not in SORTS:
            sort = "relevance" if text.strip() else "newest"
        try:
            page = min(max(int(args.get("page", "1")), 1), MAX_PAGE)
        except ValueError:
            page = 1
        place = PlaceFilter.from_args(args, districts or {})
        return cls(text=text, filters=filters, sort=sort, page=page, place=place)

    def query(self) -> SearchQuery:
        return SearchQuery(
            text=self.text,
            filters=self.filters,
            condition=self.place.condition(),
            sort=SORTS[self.sort][0],
            offset=(self.page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
            facets=PAGE_FACETS,
            facet_limit=FACET_VALUES,
            suggest=True,
        )


class ResultsLinks:
    """Links of one results page (endpoint and path arguments stay, the query changes)."""

    def __init__(self, asked: SearchRequest, fixed: Mapping[str, str] | None = None) -> None:
        self.asked = asked
        self.fixed = dict(fixed or {})
        self.endpoint = request.endpoint or "search_pages.search"
        self.view_args = dict(request.view_args or {})

    def url(
        self,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        page: int = 1,
        sort: str | None = None,
        text: str | None = None,
        place: bool = True,
        dropped: str | None = None,
    ) -> str:
        """The same search with what is given changed; `place=False` drops the place filter,
        `dropped` one of its parameters."""
        chosen = self.asked.filters if filters is None else filters
        params: dict[str, Any] = {}
        query_text = self.asked.text if text is None else text
        if query_text:
            params["q"] = query_text
        for name, values in chosen.items():
            values = [v for v in values if self.fixed.get(name) != v]
            if values:
                params[name] = values
        chosen_sort = sort or self.asked.sort
        if chosen_sort != ("relevance" if query_text.strip() else "newest"):
            params["sort"] = chosen_sort
        if page > 1:
            params["page"] = page
        if place:
            params.update(
                (name, value)
                for name, value in self.asked.place.parameters().items()
                if name != dropped
            )
        return url_for(self.endpoint, **self.view_args, **params)

    def hidden_fields(self) -> list[tuple[str, str]]:
        """What the place filter's form sends along besides the place: words, filters, order."""
        fields = [("q", self.asked.text)] if self.asked.text else []
        fields += [
            (name, value)
            for name, values in self.asked.filters.items()
            for value in values
            if self.fixed.get(name) != value
        ]
        if self.asked.sort != ("relevance" if self.asked.text.strip() else "newest"):
            fields.append(("sort", self.asked.sort))
        return fields

    def with_value(self, facet: str, value: str) -> str:
        filters = {name: list(values) for name, values in self.asked.filters.items()}
        current = filters.setdefault(facet, [])
        if value in current:
            current.remove(value)
        else:
            current.append(value)
        return self.url(filters=filters)

    def chips(self, organizations: dict[str, Organization]) -> list[Link]:
        """Active filters, each with the link that removes it."""
        return [
            Link(
                f"{FACET_TITLES[facet]}: {facet_label(facet, value, organizations)}",
                self.with_value(facet, value),
            )
            for facet, values in self.asked.filters.items()
            for value in values
            if self.fixed.get(facet) != value
        ] + [
            Link(label, self.url(dropped=parameter))
            for label, parameter in self.asked.place.chip_labels()
        ]

    def facet_blocks(
        self, result: SearchResult, organizations: dict[str, Organization]
    ) -> list[FacetBlock]:
        blocks = []
        for facet in PAGE_FACETS:
            selected = set(self.asked.filters.get(facet, ()))
            items = [
                Link(
                    facet_label(facet, count.value, organizations),
                    self.with_value(facet, count.value),
                    count.count,
                    count.value in selected,
                )
                for count in result.facets.get(facet, [])
                if self.fixed.get(facet) != count.value
            ]
            if items:
                blocks.append(FacetBlock(facet, str(FACET_TITLES[facet]), items))
        return blocks

    def pages(self, total: int) -> list[Link]:
        """Page links around the current one: first, last, and two on each side."""
        last = min(max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), MAX_PAGE)
        current = self.asked.page
        numbers = sorted({1, last, *range(max(current - 2, 1), min(current + 2, last) + 1)})
        return [Link(str(n), self.url(page=n), selected=n == current) for n in numbers]

    def sort_links(self) -> list[Link]:
        return [
            Link(str(label), self.url(sort=key), selected=key == self.asked.sort)
            for key, (_, label) in SORTS.items()
        ]
