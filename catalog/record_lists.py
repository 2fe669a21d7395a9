"""The lists of records stewards work through: their organisations' records, filtered and
paged, and those that need attention (drafts, violations, warnings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.store import Store


@dataclass(frozen=True)
class StewardPage:
    """One page of the list, each record with its source loaded, and how many match in all."""

    records: list[DatasetRecord]
    total: int


def steward_records(
    store: Store,
    organization_ids: Sequence[str],
    *,
    status: RecordStatus | None = None,
    state: ValidationState | None = None,
    title_contains: str = "",
    offset: int = 0,
    limit: int = 50,
) -> StewardPage:
    """The organisations' records, newest change first; the title filter ignores case."""
    query = select(DatasetRecord).where(DatasetRecord.organization_id.in_(list(organization_ids)))
    if status is not None:
        query = query.where(DatasetRecord.status == status)
    if state is not None:
        query = query.where(DatasetRecord.validation_state == state)
    if title_contains:
        query = query.where(
            func.lower(DatasetRecord.title).contains(title_contains.lower(), autoescape=True)
        )
    with store.reading() as session:
        total = session.scalar(query.with_only_columns(func.count())) or 0
        records = list(
            session.scalars(
                query.options(joinedload(DatasetRecord.source))
                .order_by(DatasetRecord.updated_at.desc(), DatasetRecord.id)
                .offset(offset)
                .limit(limit)
            )
        )
    return StewardPage(records=records, total=total)


def records_needing_attention(
    store: Store, organization_ids: Sequence[str], limit: int
) -> list[DatasetRecord]:
    """Drafts, and records with violations or warnings: newest changes first."""
    query = (
        select(DatasetRecord)
        .where(
            DatasetRecord.organization_id.in_(list(organization_ids)),
            DatasetRecord.status != RecordStatus.WITHDRAWN,
            or_(
                DatasetRecord.status == RecordStatus.DRAFT,
                DatasetRecord.validation_state.in_(
                    [ValidationState.INVALID, ValidationState.WARNINGS]
                ),
            ),
        )
        .order_by(DatasetRecord.validation_state.desc(), DatasetRecord.updated_at.desc())
        .limit(limit)
    )
    with store.reading() as session:
        return list(session.scalars(query))
