"""Organisations and harvest sources as config.yaml declares them or stewards create them,
kept in the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from catalog.models import HarvestSource, Organization, utcnow
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.store import Store


def sync_organizations(store: Store, organizations: Sequence[OrganizationSettings]) -> int:
    """Create or update the configured organisations; returns how many were new.

    Organisations missing from the config are kept: records and people still point at them.
    """
    created = 0
    with store.transaction() as session:
        existing = {org.name: org for org in session.scalars(select(Organization))}
        for wanted in organizations:
            org = existing.get(wanted.name)
            if org is None:
                org = Organization(name=wanted.name)
                session.add(org)
                created += 1
            org.title = wanted.title
            org.description = wanted.description
            org.homepage = wanted.homepage
            org.email = wanted.email
    return created


def sync_sources(store: Store, sources: Sequence[SourceSettings]) -> int:
    """Create or update the configured harvest sources; returns how many were new.

    A source dropped from the config is disabled, not deleted, so its jobs and records stay.
    Sources stewards created in the steward area are not the config's business: left alone.
    """
    created = 0
    configured = {source.name for source in sources}
    with store.transaction() as session:
        org_ids = {org.name: org.id for org in session.scalars(select(Organization))}
        existing = {source.name: source for source in session.scalars(select(HarvestSource))}
        for wanted in sources:
            source = existing.get(wanted.name)
            if source is None:
                source = HarvestSource(name=wanted.name)
                session.add(source)
                created += 1
            source.organization_id = org_ids[wanted.organization]
            _apply_settings(source, wanted)
            source.managed_by = "config"
        for name, source in existing.items():
            if name not in configured and source.enabled and source.managed_by == "config":
                source.enabled = False
    return created


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
        _apply_settings(source, wanted)
        source.managed_by = "web"
        session.add(source)
        session.flush()
        return source.id


def update_web_source(store: Store, source_id: str, wanted: SourceSettings) -> None:
    """Change a steward's source: everything but its name and organisation, which stay."""
    with store.transaction() as session:
        source = session.get(HarvestSource, source_id)
        if source is None or source.managed_by != "web":
            raise ValueError(f"no source of the steward area with id {source_id!r}")
        _apply_settings(source, wanted)


def _apply_settings(source: HarvestSource, wanted: SourceSettings) -> None:
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


def list_organizations(store: Store) -> list[Organization]:
    with store.reading() as session:
        return list(session.scalars(select(Organization).order_by(Organization.title)))


def get_organization_by_name(store: Store, name: str) -> Organization | None:
    with store.reading() as session:
        return session.scalar(select(Organization).where(Organization.name == name))


def list_sources(store: Store) -> list[HarvestSource]:
    with store.reading() as session:
        return list(session.scalars(select(HarvestSource).order_by(HarvestSource.name)))


def get_source_by_name(store: Store, name: str) -> HarvestSource | None:
    with store.reading() as session:
        return session.scalar(select(HarvestSource).where(HarvestSource.name == name))
