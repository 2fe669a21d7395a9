"""Read the MQA facts of a dataset from its graph, and turn facts and link checks into points.

Two steps, so that a save reads the graph once (`quality_facts`) and a later link check can
re-score a record from its stored facts without parsing RDF again (`score_facts`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCT
from dcat.quality.formats import (
    ACCESS_RIGHTS,
    IANA_MEDIA_TYPES,
    MACHINE_READABLE_CODES,
    NON_PROPRIETARY_CODES,
    file_type_code,
)
from dcat.quality.indicators import INDICATORS, Indicator, rating_for
from dcat.vocabularies import FILE_TYPES, LICENSES


@dataclass(frozen=True)
class LinkOutcome:
    """The latest link check of one URL: its HTTP status (None: no answer) and whether it
    counts as reachable. The link checker decides `ok`; the scorer only reads it."""

    status: int | None
    ok: bool
    checked_at: datetime


class IndicatorState(enum.StrEnum):
    MET = "met"  # all points earned
    PARTIAL = "partial"  # some distributions meet it
    MISSING = "missing"  # no points
    NOT_CHECKED = "not_checked"  # reachability unknown: no link check result yet


@dataclass(frozen=True)
class DistributionFacts:
    """What the MQA reads of one distribution."""

    access_urls: tuple[str, ...] = ()
    download_urls: tuple[str, ...] = ()
    has_format: bool = False
    format_in_vocabulary: bool = False
    has_media_type: bool = False
    media_type_in_vocabulary: bool = False
    non_proprietary: bool = False
    machine_readable: bool = False
    has_licence: bool = False
    licence_in_vocabulary: bool = False
    has_rights: bool = False
    has_byte_size: bool = False


@dataclass(frozen=True)
class QualityFacts:
    """What the MQA reads of one dataset: JSON-able, so a record can keep it for re-scoring."""

    keywords: bool = False
    categories: bool = False
    spatial: bool = False
    temporal: bool = False
    access_rights: bool = False
    access_rights_vocabulary: bool = False
    contact_point: bool = False
    publisher: bool = False
    issued: bool = False
    modified: bool = False
    distributions: tuple[DistributionFacts, ...] = ()

    @property
    def urls(self) -> frozenset[str]:
        """Every access and download URL: what the link-check results are asked for."""
        return frozenset(
            url
            for distribution in self.distributions
            for url in distribution.access_urls + distribution.download_urls
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QualityFacts:
        values = dict(data)
        values["distributions"] = tuple(
            DistributionFacts(
                **{
                    **item,
                    "access_urls": tuple(item.get("access_urls", ())),
                    "download_urls": tuple(item.get("download_urls", ())),
                }
            )
            for item in data.get("distributions", ())
        )
        return cls(**values)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's points for one dataset, with the counts behind them.

    `met` of `population` (distributions, or 1 for the dataset; format_vocabulary counts
    two values per distribution); for reachability, `unchecked` distributions have no link
    check yet and `broken` ones failed it.
    """

    key: str
    points: float
    weight: int
    met: int
    population: int
    state: IndicatorState
    unchecked: int = 0
    broken: int = 0

    @property
    def lost(self) -> float:
        return self.weight - self.points


@dataclass(frozen=True)
class QualityScore:
    points: float
    rating: str
    results: tuple[IndicatorResult, ...]

    @property
    def rounded(self) -> int:
        return round(self.points)

    def result(self, key: str) -> IndicatorResult:
        for result in self.results:
            if result.key == key:
                return result
        raise KeyError(key)

    def dimension_points(self) -> dict[str, float]:
        by_key = {indicator.key: indicator.dimension for indicator in INDICATORS}
        totals: dict[str, float] = {}
        for result in self.results:
            dimension = by_key[result.key]
            totals[dimension] = totals.get(dimension, 0.0) + result.points
        return totals

    def to_json(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "rating": self.rating,
            "results": [{**asdict(result), "state": result.state.value} for result in self.results],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QualityScore:
        return cls(
            points=float(data["points"]),
            rating=str(data["rating"]),
            results=tuple(
                IndicatorResult(**{**item, "state": IndicatorState(item["state"])})
                for item in data["results"]
            ),
        )


def quality_facts(graph: Graph, dataset: Node) -> QualityFacts:
    """What the MQA reads of `dataset` in its graph."""
    # One pass over each node's triples: a save reads ~50 properties per record, and one
    # rdflib lookup per property was most of the score's cost.
    values = _properties(graph, dataset)
    rights = values.get(DCT.accessRights, [])
    return QualityFacts(
        keywords=DCAT.keyword in values,
        categories=DCAT.theme in values,
        spatial=DCT.spatial in values,
        temporal=DCT.temporal in values,
        access_rights=bool(rights),
        access_rights_vocabulary=any(str(value) in ACCESS_RIGHTS for value in rights),
        contact_point=DCAT.contactPoint in values,
        publisher=DCT.publisher in values,
        issued=DCT.issued in values,
        modified=DCT.modified in values,
        distributions=tuple(
            _distribution_facts(graph, node)
            for node in sorted(set(values.get(DCAT.distribution, [])), key=str)
        ),
    )


def _properties(graph: Graph, node: Node) -> dict[Node, list[Node]]:
    found: dict[Node, list[Node]] = {}
    for predicate, value in graph.predicate_objects(node):
        found.setdefault(predicate, []).append(value)
    return found


def _distribution_facts(graph: Graph, node: Node) -> DistributionFacts:
    values = _properties(graph, node)
    formats = values.get(DCT.format, [])
    codes = {
        code
        for value in formats
        if isinstance(value, URIRef) and str(value) in FILE_TYPES
        for code in [file_type_code(str(value))]
        if code is not None
    }
    media_types = values.get(DCAT.mediaType, [])
    licences = values.get(DCT.license, [])
    return DistributionFacts(
        access_urls=_urls(values.get(DCAT.accessURL, [])),
        download_urls=_urls(values.get(DCAT.downloadURL, [])),
        has_format=bool(formats),
        format_in_vocabulary=bool(codes),
        has_media_type=bool(media_types),
        media_type_in_vocabulary=any(
            isinstance(value, URIRef) and str(value).startswith(IANA_MEDIA_TYPES)
            for value in media_types
        ),
        non_proprietary=bool(codes & NON_PROPRIETARY_CODES),
        machine_readable=bool(codes & MACHINE_READABLE_CODES),
        has_licence=bool(licences),
        licence_in_vocabulary=any(
            isinstance(value, URIRef) and str(value) in LICENSES for value in licences
        ),
        has_rights=DCT.rights in values,
        has_byte_size=DCAT.byteSize in values,
    )


def _urls(values: Iterable[Node]) -> tuple[str, ...]:
    return tuple(sorted({str(value) for value in values if isinstance(value, URIRef | Literal)}))


def score_dataset(
    graph: Graph,
    dataset: Node,
    link_outcomes: Mapping[str, LinkOutcome],
    *,
    compliant: bool | None,
) -> QualityScore:
    """The MQA score of `dataset`: `compliant` is its stored DCAT-AP.de validation verdict
    (no violations), None while it has not been validated."""
    return score_facts(quality_facts(graph, dataset), link_outcomes, compliant=compliant)


def score_facts(
    facts: QualityFacts, link_outcomes: Mapping[str, LinkOutcome], *, compliant: bool | None
) -> QualityScore:
    best = _best_interoperable(facts.distributions)
    results = tuple(
        _result(indicator, facts, best, link_outcomes, compliant) for indicator in INDICATORS
    )
    points = round(sum(result.points for result in results), 4)
    return QualityScore(points=points, rating=rating_for(points), results=results)


def _dataset_flag(facts: QualityFacts, key: str, compliant: bool | None) -> bool:
    if key == "dcat_ap_compliance":
        return compliant is True
    return bool(getattr(facts, key))


def _result(
    indicator: Indicator,
    facts: QualityFacts,
    best: DistributionFacts | None,
    outcomes: Mapping[str, LinkOutcome],
    compliant: bool | None,
) -> IndicatorResult:
    if indicator.aggregation == "dataset":
        stated = _dataset_flag(facts, indicator.key, compliant)
        return _counted(indicator, int(stated), 1)
    if indicator.aggregation == "best":
        if best is None:
            return _counted(indicator, 0, 1)
        if indicator.key == "format_vocabulary":
            in_vocabulary = int(best.format_in_vocabulary) + int(best.media_type_in_vocabulary)
            return _counted(indicator, in_vocabulary, 2)
        return _counted(indicator, int(_interoperable(best)[indicator.key]), 1)
    if indicator.needs_link_check:
        return _reachability(indicator, facts.distributions, outcomes)
    met = sum(1 for item in facts.distributions if _distribution_flag(item, indicator.key))
    return _counted(indicator, met, len(facts.distributions))


def _distribution_flag(item: DistributionFacts, key: str) -> bool:
    if key == "download_url":
        return bool(item.download_urls)
    return bool(getattr(item, _DISTRIBUTION_FIELDS[key]))


_DISTRIBUTION_FIELDS = {
    "licence": "has_licence",
    "licence_vocabulary": "licence_in_vocabulary",
    "rights": "has_rights",
    "byte_size": "has_byte_size",
}


def _counted(
    indicator: Indicator, met: int, population: int, unchecked: int = 0, broken: int = 0
) -> IndicatorResult:
    share = met / population if population else 0.0
    points = round(indicator.weight * share, 4)
    if population and met == population:
        state = IndicatorState.MET
    elif unchecked and met + broken == 0:
        state = IndicatorState.NOT_CHECKED
    elif met:
        state = IndicatorState.PARTIAL
    else:
        state = IndicatorState.MISSING
    return IndicatorResult(
        key=indicator.key,
        points=points,
        weight=indicator.weight,
        met=met,
        population=population,
        state=state,
        unchecked=unchecked,
        broken=broken,
    )


def _reachability(
    indicator: Indicator,
    distributions: Sequence[DistributionFacts],
    outcomes: Mapping[str, LinkOutcome],
) -> IndicatorResult:
    """A distribution earns reachability when a URL of it passed its latest link check."""
    met = unchecked = broken = 0
    for item in distributions:
        urls = item.access_urls if indicator.key == "access_url_reachable" else item.download_urls
        known = [outcomes[url] for url in urls if url in outcomes]
        if any(outcome.ok for outcome in known):
            met += 1
        elif known:
            broken += 1
        elif urls:
            unchecked += 1
    return _counted(indicator, met, len(distributions), unchecked, broken)


_INTEROPERABILITY_KEYS = ("format", "media_type", "non_proprietary", "machine_readable")


def _interoperable(item: DistributionFacts) -> dict[str, bool]:
    return {
        "format": item.has_format,
        "media_type": item.has_media_type,
        "non_proprietary": item.non_proprietary,
        "machine_readable": item.machine_readable,
    }


_WEIGHTS = {indicator.key: indicator.weight for indicator in INDICATORS}


def _interoperability_points(item: DistributionFacts) -> float:
    weights = _WEIGHTS
    flags = _interoperable(item)
    points = sum(weights[key] for key in _INTEROPERABILITY_KEYS if flags[key])
    vocabulary = int(item.format_in_vocabulary) + int(item.media_type_in_vocabulary)
    return points + weights["format_vocabulary"] * vocabulary / 2


def _best_interoperable(distributions: Sequence[DistributionFacts]) -> DistributionFacts | None:
    """The distribution with the most interoperability points (the first of equals)."""
    best: DistributionFacts | None = None
    best_points = -1.0
    for item in distributions:
        points = _interoperability_points(item)
        if points > best_points:
            best, best_points = item, points
    return best
