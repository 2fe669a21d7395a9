"""The quality score in the CKAN API: extras of package_show and the quality_show action.

Numbers and keys are the same in every language; the labels, reasons and fixes of
quality_show follow the answer's language (web.labels.machine_language).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale

from catalog.models import DatasetRecord
from catalog.quality.scores import StoredQuality, record_quality
from dcat.quality import DIMENSIONS, MAX_POINTS, indicator_named
from dcat.quality.indicators import dimension_maximum
from web.ckan.base import not_found, text, validation
from web.context import current_store
from web.labels import machine_language
from web.quality_texts import indicator_text

METHODOLOGY = "https://data.europa.eu/mqa/methodology"


def link_state(quality: StoredQuality) -> str:
    """ "broken" when a checked URL failed, "not_checked" when any is unchecked, else "ok"."""
    results = quality.score.results
    if any(result.broken for result in results):
        return "broken"
    if any(result.unchecked for result in results):
        return "not_checked"
    return "ok"


def quality_extras(record: DatasetRecord) -> list[dict[str, str]]:
    """package_show's quality extras (CKAN extras are strings); none for an unscored record."""
    quality = record_quality(current_store(), record.id)
    if quality is None:
        return []
    score = quality.score
    values = {
        "quality_score": f"{score.points:g}",
        "quality_max_score": str(MAX_POINTS),
        "quality_rating": score.rating,
        "quality_scored_at": quality.scored_at.isoformat(),
        "quality_link_state": link_state(quality),
        "quality_broken_links": str(sum(result.broken for result in score.results)),
        "quality_methodology": METHODOLOGY,
    }
    return [{"key": key, "value": value} for key, value in values.items()]


def quality_breakdown(record: DatasetRecord, quality: StoredQuality) -> dict[str, Any]:
    score = quality.score
    dimension_points = score.dimension_points()
    with force_locale(machine_language()):
        indicators = [
            {
                "key": result.key,
                "dimension": indicator_named(result.key).dimension,
                "property": indicator_named(result.key).property,
                "weight": result.weight,
                "points": result.points,
                "state": result.state.value,
                "met": result.met,
                "population": result.population,
                "unchecked": result.unchecked,
                "broken": result.broken,
                "label": str(indicator_text(result.key).label),
                "why": str(indicator_text(result.key).why),
                "fix": str(indicator_text(result.key).fix),
            }
            for result in score.results
        ]
    return {
        "id": record.id,
        "name": record.name,
        "points": score.points,
        "max_points": MAX_POINTS,
        "rating": score.rating,
        "scored_at": quality.scored_at.isoformat(),
        "link_state": link_state(quality),
        "methodology": METHODOLOGY,
        "dimensions": {
            dimension: {
                "points": round(dimension_points.get(dimension, 0.0), 4),
                "max_points": dimension_maximum(dimension),
            }
            for dimension in DIMENSIONS
        },
        "indicators": indicators,
    }


def quality_show(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A dataset's MQA score with every indicator, for the datasets package_show shows."""
    from web.ckan.read import visible_record

    wanted = text(parameters, "id", "name")
    if not wanted:
        raise validation("id", "Pflichtfeld", "Missing value")
    record = visible_record(wanted)
    if record is None:
        raise not_found(f"Datensatz {wanted!r}", f"dataset {wanted!r}")
    quality = record_quality(current_store(), record.id)
    if quality is None:
        raise not_found(
            f"Qualitätsbewertung von {wanted!r} (noch nicht berechnet: catalog init)",
            f"quality score of {wanted!r} (not computed yet: run catalog init)",
        )
    return quality_breakdown(record, quality)


def with_quality_extras(package: dict[str, Any], record: DatasetRecord) -> dict[str, Any]:
    """The package with the record's quality extras appended, as package_show answers and the
    write actions answer (their result is what package_show would give)."""
    package["extras"] = [*package.get("extras", []), *quality_extras(record)]
    return package
