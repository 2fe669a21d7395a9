"""The MQA indicators, their weights and how each is aggregated: one table, read by everyone.

Weights and ratings as the MQA methodology documents them (see dcat.quality). How the
methodology aggregates distribution properties into a dataset's points:
- "share": the weight times the share of the dataset's distributions that meet the indicator
  (accessibility, the licence, dct:rights and dcat:byteSize);
- "best": interoperability follows the methodology's assumption "identical content with
  several distributions": only the distribution with the most interoperability points counts;
- "dataset": the dataset itself has the property or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dimension = Literal[
    "findability", "accessibility", "interoperability", "reusability", "contextuality"
]
Aggregation = Literal["dataset", "share", "best"]

DIMENSIONS: tuple[Dimension, ...] = (
    "findability",
    "accessibility",
    "interoperability",
    "reusability",
    "contextuality",
)


@dataclass(frozen=True)
class Indicator:
    """One MQA indicator: its key, dimension, points and how distributions are counted."""

    key: str
    dimension: Dimension
    weight: int
    aggregation: Aggregation
    property: str  # the DCAT property it reads, as the methodology names it
    needs_link_check: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keywords", "findability", 30, "dataset", "dcat:keyword"),
    Indicator("categories", "findability", 30, "dataset", "dcat:theme"),
    Indicator("spatial", "findability", 20, "dataset", "dct:spatial"),
    Indicator("temporal", "findability", 20, "dataset", "dct:temporal"),
    Indicator("access_url_reachable", "accessibility", 50, "share", "dcat:accessURL", True),
    Indicator("download_url", "accessibility", 20, "share", "dcat:downloadURL"),
    Indicator("download_url_reachable", "accessibility", 30, "share", "dcat:downloadURL", True),
    Indicator("format", "interoperability", 20, "best", "dct:format"),
    Indicator("media_type", "interoperability", 10, "best", "dcat:mediaType"),
    Indicator("format_vocabulary", "interoperability", 10, "best", "dct:format, dcat:mediaType"),
    Indicator("non_proprietary", "interoperability", 20, "best", "dct:format"),
    Indicator("machine_readable", "interoperability", 20, "best", "dct:format"),
    Indicator("dcat_ap_compliance", "interoperability", 30, "dataset", "DCAT-AP.de"),
    Indicator("licence", "reusability", 20, "share", "dct:license"),
    Indicator("licence_vocabulary", "reusability", 10, "share", "dct:license"),
    Indicator("access_rights", "reusability", 10, "dataset", "dct:accessRights"),
    Indicator("access_rights_vocabulary", "reusability", 5, "dataset", "dct:accessRights"),
    Indicator("contact_point", "reusability", 20, "dataset", "dcat:contactPoint"),
    Indicator("publisher", "reusability", 10, "dataset", "dct:publisher"),
    Indicator("rights", "contextuality", 5, "share", "dct:rights"),
    Indicator("byte_size", "contextuality", 5, "share", "dcat:byteSize"),
    Indicator("issued", "contextuality", 5, "dataset", "dct:issued"),
    Indicator("modified", "contextuality", 5, "dataset", "dct:modified"),
)

MAX_POINTS = sum(indicator.weight for indicator in INDICATORS)

# Lowest points of each rating, best first (MQA: excellent 351-405, good 221-350,
# sufficient 121-220, bad 0-120).
RATINGS: tuple[tuple[str, int], ...] = (
    ("excellent", 351),
    ("good", 221),
    ("sufficient", 121),
    ("bad", 0),
)

_BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def indicator_named(key: str) -> Indicator:
    """The indicator with this key; KeyError names the unknown key."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no MQA indicator {key!r}; known: {', '.join(_BY_KEY)}") from None


def rating_for(points: float) -> str:
    """The MQA rating of a number of points. Points are compared unrounded, as the MQA does."""
    for rating, lowest in RATINGS:
        if points >= lowest:
            return rating
    return "bad"


def dimension_maximum(dimension: Dimension) -> int:
    return sum(indicator.weight for indicator in INDICATORS if indicator.dimension == dimension)
