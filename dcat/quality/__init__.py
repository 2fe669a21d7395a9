"""The metadata quality score of one dataset after data.europa.eu's MQA, read from its graph.

Methodology: data.europa.eu Metadata Quality Assessment (MQA), "Methodology" as published at
https://data.europa.eu/mqa/methodology and in the data.europa.eu Data Provider Manual,
section "Metadata quality dashboard" (dataeuropa.gitlab.io/data-provider-manual), as read in
December 2026: five dimensions (findability 100, accessibility 100, interoperability 110,
reusability 75, contextuality 20 points = 405) and four ratings (excellent 351-405, good
221-350, sufficient 121-220, bad 0-120).

Pure: RDF in, numbers out. Reachability comes in as link-check results (`LinkOutcome` by
URL); the scorer never makes a request.
"""

from __future__ import annotations

from dcat.quality.indicators import (
    DIMENSIONS,
    INDICATORS,
    MAX_POINTS,
    RATINGS,
    Indicator,
    indicator_named,
    rating_for,
)
from dcat.quality.score import (
    DistributionFacts,
    IndicatorResult,
    IndicatorState,
    LinkOutcome,
    QualityFacts,
    QualityScore,
    quality_facts,
    score_dataset,
    score_facts,
)

__all__ = [
    "DIMENSIONS",
    "INDICATORS",
    "MAX_POINTS",
    "RATINGS",
    "DistributionFacts",
    "Indicator",
    "IndicatorResult",
    "IndicatorState",
    "LinkOutcome",
    "QualityFacts",
    "QualityScore",
    "indicator_named",
    "quality_facts",
    "rating_for",
    "score_dataset",
    "score_facts",
]
