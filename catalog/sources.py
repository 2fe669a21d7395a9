"""Harvest sources as the steward area handles them: created, changed and switched on or off
by an organisation's admins, listed with their last job. config.yaml's sources are synced by
catalog.organizations and only read here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from catalog.models import HarvestJob, HarvestSource, Organization, utcnow
from catalog.settings import SourceSettings
from catalog.store import Store

SourceWithLastJob = tuple[HarvestSource, HarvestJob | None]


def create_web_source(store: Store, wanted: SourceSettings) -> str:
    """Save a source a steward created in the steward area (checked by the same settings model
    as config.yaml); `catalog init` leaves it alone. Returns its id."""
    with store.transaction() as session:
        organization_id = session.scalar(
            select(Organization.id).where(Organization.name == wanted.organization)
        )
        if organization_id is None:
            raise ValueError(f"unknown organisation {wanted.organization!r}")
        source = HarvestSource(name=wanted.name, organization_id=organization_id)
        apply_source_settings(source, wanted)
        source.managed_by = "web"
        session.add(source)
        session.flush()
        return source.id


def update_web_source(store: Store, source_id: str, wanted: SourceSettings) -> None:
    """Change a steward's source: everything but its name and organisation, which stay."""
    with store.transaction() as session:
        source = _web_source(session.get(HarvestSource, source_id), source_id)
        apply_source_settings(source, wanted)


def switch_web_source(store: Store, source_id: str, *, enabled: bool) -> None:
    """Switch a steward's source on or off; a switched-off source is never harvested."""
    with store.transaction() as session:
        source = _web_source(session.get(HarvestSource, source_id), source_id)
        source.enabled = enabled
        source.updated_at = utcnow()


def _web_source(source: HarvestSource | None, source_id: str) -> HarvestSource:
    if source is None or source.managed_by != "web":
        raise ValueError(f"no source of the steward area with id {source_id!r}")
    return source


def apply_source_settings(source: HarvestSource, wanted: SourceSettings) -> None:
    """The one translation of checked settings into a source's columns (config and web)."""
    source.type = wanted.type
    source.url = wanted.url
    source.path = str(wanted.path) if wanted.path is not None else None
    source.schedule = wanted.schedule
    source.enabled = wanted.enabled
    source.options = dict(wanted.options)
    source.defaults = wanted.defaults.model_dump(mode="json", exclude_defaults=True)
    source.mappings = wanted.mappings.model_dump(mode="json", exclude_defaults=True)
    source.city_defaults = wanted.city_defaults
    source.updated_at = utcnow()


def source_with_organization(store: Store, name: str) -> HarvestSource | None:
    """The named source with its organisation loaded (pages show and check both)."""
    with store.reading() as session:
        return session.scalar(
            select(HarvestSource)
            .options(joinedload(HarvestSource.organization))
            .where(HarvestSource.name == name)
        )


def source_names(store: Store) -> list[str]:
    """Every source's name, of config and steward area alike (a new name must differ)."""
    with store.reading() as session:
        return list(session.scalars(select(HarvestSource.name)))


def sources_with_last_job(
    store: Store, organization_ids: Sequence[str]
) -> dict[str, list[SourceWithLastJob]]:
    """Per organisation, its sources by name, each with its newest job (None if never run)."""
    newest = (
        select(func.max(HarvestJob.id).label("job_id"))
        .group_by(HarvestJob.source_id)
        .scalar_subquery()
    )
    with store.reading() as session:
        sources = list(
            session.scalars(
                select(HarvestSource)
                .where(HarvestSource.organization_id.in_(list(organization_ids)))
                .order_by(HarvestSource.name)
            )
        )
        jobs = {
            job.source_id: job
            for job in session.scalars(
                select(HarvestJob).where(
                    HarvestJob.id.in_(newest),
                    HarvestJob.source_id.in_([source.id for source in sources]),
                )
            )
        }
    grouped: dict[str, list[SourceWithLastJob]] = {org_id: [] for org_id in organization_ids}
    for source in sources:
        grouped[source.organization_id].append((source, jobs.get(source.id)))
    return grouped
