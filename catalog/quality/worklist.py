"""The records stewards should fix first: scored, sorted, and with what each one loses.

Broken links first (a dataset nobody can download is the worst news for its users), then the
records that lose the most points; each with its indicators that lose points, worst first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from catalog.models import DatasetRecord, RecordQuality, RecordStatus
from catalog.store import Store
from dcat.quality import IndicatorResult, QualityScore
from dcat.vocabularies import alias_key

ScoreOrder = Literal["points", "-points", "title", "-title"]
SCORE_ORDERS: tuple[ScoreOrder, ...] = ("points", "-points", "title", "-title")


@dataclass(frozen=True)
class ScoredRecord:
    """A record of the steward's list with its score and the indicators that lose points."""

    record_id: str
    name: str
    title: str
    organization_id: str | None
    status: RecordStatus
    score: QualityScore

    @property
    def points(self) -> float:
        return self.score.points

    @property
    def losses(self) -> list[IndicatorResult]:
        """The indicators that lose points, most points lost first."""
        lost = [result for result in self.score.results if result.lost > 0]
        return sorted(lost, key=lambda result: (-result.lost, result.key))

    @property
    def lost_points(self) -> float:
        return sum(result.lost for result in self.score.results)

    @property
    def broken_links(self) -> int:
        return sum(result.broken for result in self.score.results)


def scored_records(
    store: Store, organization_ids: Sequence[str] | None, *, order: ScoreOrder = "points"
) -> list[ScoredRecord]:
    """The organisations' current records (None: all) with their scores, in `order`
    ("points": lowest first; "-points": highest first; "title", "-title")."""
    if order not in SCORE_ORDERS:
        raise ValueError(f"unknown order {order!r}; known: {', '.join(SCORE_ORDERS)}")
    query = (
        select(
            DatasetRecord.id,
            DatasetRecord.name,
            DatasetRecord.title,
            DatasetRecord.organization_id,
            DatasetRecord.status,
            RecordQuality.breakdown,
        )
        .join(RecordQuality, RecordQuality.record_id == DatasetRecord.id)
        .where(DatasetRecord.status != RecordStatus.WITHDRAWN)
    )
    if organization_ids is not None:
        query = query.where(DatasetRecord.organization_id.in_(list(organization_ids)))
    if order.endswith("points"):
        points = RecordQuality.points
        query = query.order_by(points.desc() if order.startswith("-") else points.asc())
    query = query.order_by(DatasetRecord.name)
    with store.reading() as session:
        rows = session.execute(query).all()
    records = [
        ScoredRecord(
            record_id=record_id,
            name=name,
            title=title,
            organization_id=organization_id,
            status=status,
            score=QualityScore.from_json(breakdown),
        )
        for record_id, name, title, organization_id, status, breakdown in rows
    ]
    if order.endswith("title"):
        # German order ("Lärm" before "Luft"), which the databases' binary collation is not.
        records.sort(key=lambda record: alias_key(record.title), reverse=order.startswith("-"))
    return records


def worklist(
    store: Store, organization_ids: Sequence[str] | None, *, limit: int | None = None
) -> list[ScoredRecord]:
    """The records to fix first: any with broken links, then the most points lost."""
    records = [
        record for record in scored_records(store, organization_ids) if record.lost_points > 0
    ]
    records.sort(key=lambda record: (record.broken_links == 0, record.points, record.name))
    return records if limit is None else records[:limit]
