"""What changed between two revisions of a record, as readable field changes, not triples.

Both graphs are read with dcat.view, so any graph compares (harvested, from the CKAN API, from
the form). Texts and single values change from one value to another; lists (keywords,
themes) gain and lose items; distributions are paired by IRI, else access URL, else title,
and each pair lists the sub-fields that changed. Triples no field shows are summed up in
`other_changes`, so a change is never invisible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rdflib import URIRef

from catalog.models import RecordStatus, Revision
from dcat.parsing import parse_rdf
from dcat.view import AgentView, ContactView, DatasetView, DistributionView, Labelled, dataset_view

# The view's single values, in the order a page lists them.
SINGLE_FIELDS = (
    "title",
    "description",
    "identifier",
    "publisher",
    "contact",
    "temporal_start",
    "temporal_end",
    "frequency",
    "geocoding_description",
    "landing_page",
    "issued",
    "modified",
    "access_rights",
    "version_info",
    "legal_basis",
    "contributor_id",
    "political_geocoding_level_uri",
)
LIST_FIELDS = (
    "keywords",
    "themes",
    "political_geocoding_uris",
    "spatial_uris",
    "languages",
    "pages",
    "conforms_to",
)
DISTRIBUTION_FIELDS = (
    "title",
    "description",
    "access_url",
    "download_url",
    "format",
    "media_type",
    "license",
    "license_attribution_by_text",
    "byte_size",
    "issued",
    "modified",
    "availability",
)


@dataclass(frozen=True)
class ValueChange:
    """A single value: None before means added, None after means removed."""

    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ListChange:
    field: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class DistributionChange:
    """One distribution added, removed, or changed in the listed sub-fields."""

    kind: str  # "added", "removed", "changed"
    label: str
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True)
class RevisionDiff:
    before_number: int
    after_number: int
    status: ValueChange | None
    values: list[ValueChange] = field(default_factory=list)
    lists: list[ListChange] = field(default_factory=list)
    distributions: list[DistributionChange] = field(default_factory=list)
    other_changes: bool = False

    @property
    def empty(self) -> bool:
        changed = self.values or self.lists or self.distributions or self.other_changes
        return not changed and self.status is None


def diff_revisions(before: Revision, after: Revision, uri: str, lang: str = "de") -> RevisionDiff:
    """The field changes from one revision of a record to another."""
    old = _view(before.graph, uri, lang)
    new = _view(after.graph, uri, lang)
    changes = diff_views(old, new)
    status = None
    if before.status != after.status:
        status = ValueChange("status", _status(before.status), _status(after.status))
    shown = bool(changes[0] or changes[1] or changes[2])
    return RevisionDiff(
        before_number=before.number,
        after_number=after.number,
        status=status,
        values=changes[0],
        lists=changes[1],
        distributions=changes[2],
        other_changes=before.content_hash != after.content_hash and not shown,
    )


def diff_views(
    old: DatasetView, new: DatasetView
) -> tuple[list[ValueChange], list[ListChange], list[DistributionChange]]:
    """Single values, lists and distributions that differ between two views."""
    values = [
        ValueChange(name, before, after)
        for name in SINGLE_FIELDS
        if (before := display(getattr(old, name))) != (after := display(getattr(new, name)))
    ]
    lists = []
    for name in LIST_FIELDS:
        before_items, after_items = _items(getattr(old, name)), _items(getattr(new, name))
        added = tuple(item for item in after_items if item not in before_items)
        removed = tuple(item for item in before_items if item not in after_items)
        if added or removed:
            lists.append(ListChange(name, added, removed))
    return values, lists, diff_distributions(old.distributions, new.distributions)


def diff_distributions(
    old: Sequence[DistributionView], new: Sequence[DistributionView]
) -> list[DistributionChange]:
    """Pairs by IRI, then access URL, then title; what is left was added or removed.

    Changed ones come first, then the removed, then the added ones.
    """
    remaining = list(new)
    changes, removed = [], []
    for before in old:
        after = _partner(before, remaining)
        if after is None:
            removed.append(DistributionChange("removed", _label(before)))
            continue
        remaining.remove(after)
        fields = tuple(
            ValueChange(name, b, a)
            for name in DISTRIBUTION_FIELDS
            if (b := display(getattr(before, name))) != (a := display(getattr(after, name)))
        )
        if fields:
            changes.append(DistributionChange("changed", _label(after), fields))
    added = [DistributionChange("added", _label(view)) for view in remaining]
    return changes + removed + added


def display(value: Any) -> str | None:
    """A view value as one line of text; None (and "") for no value."""
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, AgentView):
        return " · ".join(v for v in (value.name, value.email, value.homepage) if v)
    if isinstance(value, ContactView):
        parts = (value.name, value.email, value.phone, value.url)
        return " · ".join(v for v in parts if v) or None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _items(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for v in values if (text := display(v)) is not None))


_PAIRING: tuple[Callable[[DistributionView], str | None], ...] = (
    lambda view: view.uri,
    lambda view: view.access_url,
    lambda view: view.download_url,
    lambda view: view.title or None,
)


def _partner(
    before: DistributionView, candidates: Sequence[DistributionView]
) -> DistributionView | None:
    for key in _PAIRING:
        wanted = key(before)
        if wanted is None:
            continue
        for candidate in candidates:
            if key(candidate) == wanted:
                return candidate
    return None


def _label(view: DistributionView) -> str:
    return view.title or view.access_url or view.download_url or view.uri or "?"


def _view(graph_text: str, uri: str, lang: str) -> DatasetView:
    graph = parse_rdf(graph_text, content_type="application/n-triples")
    return dataset_view(graph, URIRef(uri), lang=lang)


def _status(status: RecordStatus) -> str:
    return status.value


__all__ = [
    "DistributionChange",
    "ListChange",
    "RevisionDiff",
    "ValueChange",
    "diff_distributions",
    "diff_revisions",
    "diff_views",
    "display",
]
