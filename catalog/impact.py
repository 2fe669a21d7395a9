"""The figures of the impact page ("Wirkung"): what the catalog holds over time, how well it is
described and how it is used, for the whole catalog or one organisation, read from the
records, the quality snapshots (catalog.quality.aggregates) and the usage sums that
catalog.usage writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from catalog.models import (
    DatasetRecord,
    EndpointFetchCount,
    QualitySnapshot,
    SearchTermCount,
    UsageCount,
    utcnow,
)
from catalog.publication import public_conditions
from catalog.quality.aggregates import QualitySummary, catalog_quality
from catalog.settings import Settings
from catalog.store import Store
from catalog.usage import Audience, Client, Use
from dcat.quality import rating_for

MONTHS = 12


def recent_months(today: date, count: int = MONTHS) -> list[str]:
    """The last `count` months up to today's, oldest first, as "YYYY-MM"."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


@dataclass(frozen=True)
class MonthlyUse:
    month: str
    views: int = 0  # by people
    downloads: int = 0  # by people
    api_reads: int = 0  # by anyone: the API is for programs
    bot_views: int = 0
    bot_downloads: int = 0


@dataclass(frozen=True)
class DatasetUse:
    name: str
    title: str
    views: int
    downloads: int


@dataclass(frozen=True)
class HarvestingClient:
    client: Client
    fetches: int  # within the months shown
    last_at: datetime | None  # ever


@dataclass(frozen=True)
class SearchTerms:
    term: str
    searches: int
    without_result: int


@dataclass(frozen=True)
class MonthlyQuality:
    """The mean MQA points at the end of a month: the month's last daily snapshot, or for the
    current month today's value."""

    month: str
    day: date  # of the snapshot the value comes from (today for the current month)
    mean_points: float
    datasets: int

    @property
    def rating(self) -> str:
        return rating_for(self.mean_points)


def datasets_over_time(
    store: Store, settings: Settings, organization_id: str | None = None, today: date | None = None
) -> list[tuple[str, int]]:
    """Public records at the end of each recent month, by when they entered the catalog: the
    records public today, counted from the month of their first save."""
    months = recent_months(today or utcnow().date())
    query = select(DatasetRecord.created_at).where(*public_conditions(settings))
    if organization_id is not None:
        query = query.where(DatasetRecord.organization_id == organization_id)
    with store.reading() as session:
        created = [at.strftime("%Y-%m") for at in session.scalars(query)]
    return [(month, sum(1 for c in created if c <= month)) for month in months]


def use_by_month(
    store: Store, organization_id: str | None = None, today: date | None = None
) -> list[MonthlyUse]:
    months = recent_months(today or utcnow().date())
    query = (
        select(UsageCount.day, UsageCount.kind, UsageCount.audience, func.sum(UsageCount.count))
        .where(UsageCount.day >= _first_day(months[0]))
        .group_by(UsageCount.day, UsageCount.kind, UsageCount.audience)
    )
    if organization_id is not None:
        query = query.join(DatasetRecord, DatasetRecord.id == UsageCount.record_id).where(
            DatasetRecord.organization_id == organization_id
        )
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with store.reading() as session:
        for day, kind, audience, count in session.execute(query):
            people = audience == Audience.PEOPLE
            field = {
                Use.VIEW: "views" if people else "bot_views",
                Use.DOWNLOAD: "downloads" if people else "bot_downloads",
                Use.API_READ: "api_reads",
            }[Use(kind)]
            sums[day.strftime("%Y-%m")][field] += int(count)
    return [MonthlyUse(month, **sums.get(month, {})) for month in months]


def top_datasets(
    store: Store,
    organization_id: str | None = None,
    today: date | None = None,
    limit: int = 10,
) -> list[DatasetUse]:
    """The datasets people looked at and downloaded most in the recent months."""
    since = _first_day(recent_months(today or utcnow().date())[0])
    views = func.sum(UsageCount.count).filter(UsageCount.kind == Use.VIEW.value)
    downloads = func.sum(UsageCount.count).filter(UsageCount.kind == Use.DOWNLOAD.value)
    query = (
        select(DatasetRecord.name, DatasetRecord.title, views, downloads)
        .join(DatasetRecord, DatasetRecord.id == UsageCount.record_id)
        .where(
            UsageCount.day >= since,
            UsageCount.audience == Audience.PEOPLE.value,
            UsageCount.kind.in_([Use.VIEW.value, Use.DOWNLOAD.value]),
        )
        .group_by(DatasetRecord.name, DatasetRecord.title)
    )
    if organization_id is not None:
        query = query.where(DatasetRecord.organization_id == organization_id)
    with store.reading() as session:
        rows = [
            DatasetUse(name, title or name, int(v or 0), int(d or 0))
            for name, title, v, d in session.execute(query)
        ]
    rows.sort(key=lambda row: (-(row.views + row.downloads), row.name))
    return rows[:limit]


def harvesting_clients(store: Store, today: date | None = None) -> list[HarvestingClient]:
    """Every kind of client that ever fetched the DCAT catalog: fetches in the recent months,
    and when it last did (how fresh its copy of us can be)."""
    since = _first_day(recent_months(today or utcnow().date())[0])
    recent = func.sum(EndpointFetchCount.count).filter(EndpointFetchCount.day >= since)
    query = select(
        EndpointFetchCount.client, recent, func.max(EndpointFetchCount.last_at)
    ).group_by(EndpointFetchCount.client)
    with store.reading() as session:
        found = {client: (int(n or 0), last) for client, n, last in session.execute(query)}
    return [HarvestingClient(client, *found[client.value]) for client in Client if client in found]


def searches(
    store: Store, today: date | None = None, *, without_result: bool = False, limit: int = 20
) -> list[SearchTerms]:
    """People's most frequent searches in the recent months, or those that found nothing."""
    since = _first_day(recent_months(today or utcnow().date())[0])
    total = func.sum(SearchTermCount.searches)
    empty = func.sum(SearchTermCount.without_result)
    query = (
        select(SearchTermCount.term, total, empty)
        .where(SearchTermCount.day >= since, SearchTermCount.audience == Audience.PEOPLE.value)
        .group_by(SearchTermCount.term)
    )
    if without_result:
        query = query.having(empty > 0).order_by(empty.desc(), SearchTermCount.term)
    else:
        query = query.order_by(total.desc(), SearchTermCount.term)
    with store.reading() as session:
        return [
            SearchTerms(term, int(n), int(e)) for term, n, e in session.execute(query.limit(limit))
        ]


def quality_today(store: Store, organization_id: str | None = None) -> QualitySummary:
    """The mean points and the datasets per rating now, over the published records (as the
    daily snapshots count them, so today's value continues their line)."""
    quality = catalog_quality(store)
    if organization_id is None:
        return quality.catalog
    return quality.organizations.get(organization_id, QualitySummary())


def quality_by_month(
    store: Store, organization_id: str | None = None, today: date | None = None
) -> list[MonthlyQuality]:
    """The mean points at the end of each recent month that has a value, oldest first.

    Past months take their last daily snapshot (harvest jobs write one a day); the current
    month takes the live value, since today's snapshot may be older than today's saves.
    """
    today = today or utcnow().date()
    months = recent_months(today)
    scope, scope_id = ("organization", organization_id) if organization_id else ("catalog", "")
    query = (
        select(QualitySnapshot.day, QualitySnapshot.mean_points, QualitySnapshot.datasets)
        .where(
            QualitySnapshot.scope == scope,
            QualitySnapshot.scope_id == scope_id,
            QualitySnapshot.day >= _first_day(months[0]),
            QualitySnapshot.day <= today,
            QualitySnapshot.datasets > 0,
        )
        .order_by(QualitySnapshot.day)
    )
    at_month_end: dict[str, MonthlyQuality] = {}
    with store.reading() as session:
        for day, mean, count in session.execute(query):
            month = day.strftime("%Y-%m")
            at_month_end[month] = MonthlyQuality(month, day, float(mean), int(count))
    live = quality_today(store, organization_id)
    at_month_end.pop(months[-1], None)
    if live.datasets:
        at_month_end[months[-1]] = MonthlyQuality(
            months[-1], today, live.mean_points, live.datasets
        )
    return [at_month_end[month] for month in months if month in at_month_end]
