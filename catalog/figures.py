"""The numbers that show what the catalog is worth: how much, how open, how fresh, how valid.

Counts of public records come from the search index (one query each, no facets), counts by
validation state and harvest freshness from the database; so do each organisation's counts on
the steward's start page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from catalog.models import DatasetRecord, HarvestJob, HarvestSource, JobStatus, RecordStatus, utcnow
from catalog.publication import public_conditions, public_validation_states
from catalog.search.base import DateRange, SearchQuery
from catalog.search.documents import MACHINE_READABLE, OPEN_LICENSE
from catalog.search.service import SearchIndex
from catalog.settings import Settings
from catalog.store import Store

FRESH_DAYS = 365


@dataclass(frozen=True)
class SourceFigures:
    name: str
    type: str
    organization_id: str
    enabled: bool
    last_status: JobStatus | None
    last_finished: datetime | None
    public_records: int = 0

    @property
    def listed(self) -> bool:
        """Whether the public list of sources names it: a switched-off source stays listed
        while records it brought in are still public, so visitors can tell where they came
        from and that they are no longer updated."""
        return self.enabled or self.public_records > 0


@dataclass(frozen=True)
class CatalogFigures:
    public: int
    open_license: int
    machine_readable: int
    fresh: int
    # Public records with neither dct:modified nor dct:issued: how fresh they are is unknown.
    undated: int
    published: int
    published_by_state: dict[str, int]
    drafts: int
    withdrawn: int
    sources: list[SourceFigures]

    def share(self, part: int) -> int:
        """Per cent of the public records, rounded."""
        return round(100 * part / self.public) if self.public else 0


@dataclass(frozen=True)
class Freshness:
    """Public records by their own date (dct:modified, else dct:issued), never our write time:
    changed within FRESH_DAYS, older, or without a date (unknown)."""

    public: int
    fresh: int
    undated: int

    @property
    def older(self) -> int:
        return self.public - self.fresh - self.undated

    def share(self, part: int) -> int:
        """Per cent of the public records, rounded."""
        return round(100 * part / self.public) if self.public else 0


def freshness(
    search: SearchIndex, organization: str | None = None, now: datetime | None = None
) -> Freshness:
    """From the search index: three counts, no facets; `organization` is its name."""
    now = now or utcnow()
    filters = {"organization": [organization]} if organization else {}

    def count(**ranges: DateRange) -> int:
        query = SearchQuery(limit=0, facets=(), filters=filters, ranges=ranges)
        return search.search(query).total

    public = count()
    return Freshness(
        public=public,
        fresh=count(newest=DateRange(start=now - timedelta(days=FRESH_DAYS))),
        undated=public - count(newest=DateRange()),
    )


@dataclass(frozen=True)
class OrganizationFigures:
    """An organisation's records by status, and its current (not withdrawn) ones by validation
    state. Its published records are split as the public sees them: `public` ones appear in
    pages and DCAT, `held_back` ones are published by status but withheld for violations."""

    public: int = 0
    held_back: int = 0
    drafts: int = 0
    withdrawn: int = 0
    valid: int = 0
    warnings: int = 0
    invalid: int = 0


def organization_figures(
    store: Store, organization_ids: Sequence[str], settings: Settings
) -> dict[str, OrganizationFigures]:
    """Per organisation (every one asked for, records or not), from one grouped query."""
    shown_states = public_validation_states(settings)
    ids = list(organization_ids)
    with store.reading() as session:
        rows = session.execute(
            select(
                DatasetRecord.organization_id,
                DatasetRecord.status,
                DatasetRecord.validation_state,
                func.count(),
            )
            .where(DatasetRecord.organization_id.in_(ids))
            .group_by(
                DatasetRecord.organization_id, DatasetRecord.status, DatasetRecord.validation_state
            )
        ).all()
    counts: dict[str, dict[str, int]] = {org_id: {} for org_id in ids}
    for org_id, status, state, count in rows:
        bucket = counts[org_id or ""]
        bucket[status.value] = bucket.get(status.value, 0) + count
        if status == RecordStatus.PUBLISHED:
            seen = shown_states is None or state in shown_states
            place = "public" if seen else "held_back"
            bucket[place] = bucket.get(place, 0) + count
        if status != RecordStatus.WITHDRAWN:
            bucket[state.value] = bucket.get(state.value, 0) + count
    return {
        org_id: OrganizationFigures(
            public=bucket.get("public", 0),
            held_back=bucket.get("held_back", 0),
            drafts=bucket.get("draft", 0),
            withdrawn=bucket.get("withdrawn", 0),
            valid=bucket.get("valid", 0),
            warnings=bucket.get("warnings", 0),
            invalid=bucket.get("invalid", 0),
        )
        for org_id, bucket in counts.items()
    }


def catalog_figures(
    store: Store, search: SearchIndex, settings: Settings, now: datetime | None = None
) -> CatalogFigures:
    now = now or utcnow()

    def count(**options: object) -> int:
        query = SearchQuery(limit=0, facets=(), **options)  # type: ignore[arg-type]
        return search.search(query).total

    with store.reading() as session:
        by_status = dict(
            session.execute(
                select(DatasetRecord.status, func.count()).group_by(DatasetRecord.status)
            ).all()
        )
        by_state = dict(
            session.execute(
                select(DatasetRecord.validation_state, func.count())
                .where(DatasetRecord.status == RecordStatus.PUBLISHED)
                .group_by(DatasetRecord.validation_state)
            ).all()
        )
    fresh = freshness(search, now=now)
    return CatalogFigures(
        public=fresh.public,
        open_license=count(filters={"flag": [OPEN_LICENSE]}),
        machine_readable=count(filters={"flag": [MACHINE_READABLE]}),
        fresh=fresh.fresh,
        undated=fresh.undated,
        published=by_status.get(RecordStatus.PUBLISHED, 0),
        published_by_state={state.value: n for state, n in by_state.items()},
        drafts=by_status.get(RecordStatus.DRAFT, 0),
        withdrawn=by_status.get(RecordStatus.WITHDRAWN, 0),
        sources=source_figures(store, settings),
    )


def source_figures(store: Store, settings: Settings) -> list[SourceFigures]:
    """Every harvest source with the outcome of its last finished job and its public records."""
    with store.reading() as session:
        sources = list(session.scalars(select(HarvestSource).order_by(HarvestSource.name)))
        public_by_source = dict(
            session.execute(
                select(DatasetRecord.source_id, func.count())
                .where(DatasetRecord.source_id.is_not(None), *public_conditions(settings))
                .group_by(DatasetRecord.source_id)
            ).all()
        )
        figures = []
        for source in sources:
            last = session.scalar(
                select(HarvestJob)
                .where(HarvestJob.source_id == source.id, HarvestJob.finished_at.is_not(None))
                .order_by(HarvestJob.id.desc())
                .limit(1)
            )
            figures.append(
                SourceFigures(
                    name=source.name,
                    type=source.type,
                    organization_id=source.organization_id,
                    enabled=source.enabled,
                    last_status=last.status if last else None,
                    last_finished=last.finished_at if last else None,
                    public_records=public_by_source.get(source.id, 0),
                )
            )
    return figures
