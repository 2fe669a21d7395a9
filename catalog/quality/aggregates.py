"""Quality per organisation, per source and for the catalog; a daily snapshot of each for trends.

Counted over published records (held-back ones included: they are what other portals would
grade, and their missing DCAT-AP compliance is part of the picture); drafts and withdrawn
records are the steward's business and stay out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import String, delete, func, insert, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from catalog.models import DatasetRecord, QualitySnapshot, RecordQuality, RecordStatus, utcnow
from catalog.store import Store
from dcat.quality import MAX_POINTS, RATINGS, rating_for

SCOPES = ("catalog", "organization", "source")
RATING_NAMES = tuple(name for name, _ in RATINGS)


@dataclass(frozen=True)
class QualitySummary:
    """The mean points of a group of records and how many have each rating."""

    datasets: int = 0
    mean_points: float = 0.0
    by_rating: dict[str, int] = field(default_factory=dict)

    @property
    def rating(self) -> str | None:
        return rating_for(self.mean_points) if self.datasets else None

    @property
    def share_of_maximum(self) -> int:
        """Mean points as a percentage of the 405 possible."""
        return round(100 * self.mean_points / MAX_POINTS) if self.datasets else 0


@dataclass(frozen=True)
class CatalogQuality:
    catalog: QualitySummary
    organizations: dict[str, QualitySummary]
    sources: dict[str, QualitySummary]


@dataclass(frozen=True)
class TrendPoint:
    day: date
    mean_points: float
    datasets: int


def catalog_quality(store: Store) -> CatalogQuality:
    """The published records' quality: whole catalog, by organisation and by source."""
    with store.reading() as session:
        return CatalogQuality(
            catalog=_summaries(session, None).get("", QualitySummary()),
            organizations=_summaries(session, DatasetRecord.organization_id),
            sources=_summaries(session, DatasetRecord.source_id),
        )


def _summaries(
    session: Session, group: InstrumentedAttribute[str | None] | None
) -> dict[str, QualitySummary]:
    key = group.expression if group is not None else literal("", type_=String)
    rows = session.execute(
        select(key, RecordQuality.rating, func.count(), func.sum(RecordQuality.points))
        .select_from(DatasetRecord)
        .join(RecordQuality, RecordQuality.record_id == DatasetRecord.id)
        .where(DatasetRecord.status == RecordStatus.PUBLISHED)
        .group_by(key, RecordQuality.rating)
    )
    counts: dict[str, dict[str, int]] = {}
    sums: dict[str, float] = {}
    for group_id, rating, count, points in rows:
        if group_id is None:
            continue
        counts.setdefault(group_id, {})[rating] = count
        sums[group_id] = sums.get(group_id, 0.0) + float(points or 0.0)
    summaries = {}
    for group_id, by_rating in counts.items():
        total = sum(by_rating.values())
        summaries[group_id] = QualitySummary(
            datasets=total,
            mean_points=round(sums[group_id] / total, 2),
            by_rating={name: by_rating.get(name, 0) for name in RATING_NAMES},
        )
    return summaries


def take_snapshot(store: Store, day: date | None = None) -> int:
    """Write (or rewrite) the day's rows for the catalog, each organisation and each source.

    Run at the end of every harvest job; a day keeps its last snapshot. Returns the rows.
    """
    day = day or utcnow().date()
    quality = catalog_quality(store)
    rows = [_row(day, "catalog", "", quality.catalog)]
    rows += [_row(day, "organization", key, value) for key, value in quality.organizations.items()]
    rows += [_row(day, "source", key, value) for key, value in quality.sources.items()]
    with store.transaction() as session:
        session.execute(delete(QualitySnapshot).where(QualitySnapshot.day == day))
        session.execute(insert(QualitySnapshot), rows)
    return len(rows)


def _row(day: date, scope: str, scope_id: str, summary: QualitySummary) -> dict[str, object]:
    return {
        "day": day,
        "scope": scope,
        "scope_id": scope_id,
        "datasets": summary.datasets,
        "mean_points": summary.mean_points,
        **{name: summary.by_rating.get(name, 0) for name in RATING_NAMES},
    }


def quality_trend(
    store: Store,
    scope: str,
    scope_id: str = "",
    *,
    days: int = 90,
    today: QualitySummary | None = None,
) -> list[TrendPoint]:
    """The daily mean points of a scope over the last `days` days, oldest first.

    `today`: the live summary, shown as today's point whether or not a snapshot exists yet.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown quality scope {scope!r}; known: {', '.join(SCOPES)}")
    now = utcnow().date()
    with store.reading() as session:
        rows = session.execute(
            select(QualitySnapshot.day, QualitySnapshot.mean_points, QualitySnapshot.datasets)
            .where(
                QualitySnapshot.scope == scope,
                QualitySnapshot.scope_id == scope_id,
                QualitySnapshot.day > now - timedelta(days=days),
            )
            .order_by(QualitySnapshot.day)
        )
        points = [TrendPoint(day, mean, count) for day, mean, count in rows]
    if today is not None and today.datasets:
        points = [point for point in points if point.day != now]
        points.append(TrendPoint(now, today.mean_points, today.datasets))
    return points


def organization_trends(
    store: Store, organization_ids: Sequence[str], quality: CatalogQuality, *, days: int = 90
) -> dict[str, list[TrendPoint]]:
    return {
        org_id: quality_trend(
            store,
            "organization",
            org_id,
            days=days,
            today=quality.organizations.get(org_id),
        )
        for org_id in organization_ids
    }
