"""Organisations, and harvest sources as config.yaml declares them, kept in the database
(catalog.sources has the sources stewards create)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select

from catalog.models import HarvestSource, Organization
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.sources import apply_source_settings
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
            apply_source_settings(source, wanted)
            source.managed_by = "config"
        for name, source in existing.items():
            if name not in configured and source.enabled and source.managed_by == "config":
                source.enabled = False
    return created


def list_organizations(store: Store, among: Collection[str] | None = None) -> list[Organization]:
    """By title; only those whose ids are `among`, if given (a steward's organisations)."""
    query = select(Organization).order_by(Organization.title)
    if among is not None:
        query = query.where(Organization.id.in_(list(among)))
    with store.reading() as session:
        return list(session.scalars(query))


def organization_names(store: Store) -> list[str]:
    """Every organisation's name, alphabetically (the sitemap lists their pages)."""
    with store.reading() as session:
        return list(session.scalars(select(Organization.name).order_by(Organization.name)))


def get_organization(store: Store, organization_id: str) -> Organization | None:
    with store.reading() as session:
        return session.get(Organization, organization_id)


def get_organization_by_name(store: Store, name: str) -> Organization | None:
    with store.reading() as session:
        return session.scalar(select(Organization).where(Organization.name == name))


def get_organization_by_name_or_id(store: Store, key: str) -> Organization | None:
    """As the CKAN API looks organisations up: by either; None for an empty key."""
    if not key:
        return None
    query = select(Organization).where((Organization.name == key) | (Organization.id == key))
    with store.reading() as session:
        return session.scalar(query)


def list_sources(store: Store) -> list[HarvestSource]:
    with store.reading() as session:
        return list(session.scalars(select(HarvestSource).order_by(HarvestSource.name)))


def get_source_by_name(store: Store, name: str) -> HarvestSource | None:
    with store.reading() as session:
        return session.scalar(select(HarvestSource).where(HarvestSource.name == name))
