"""What the catalog publishes to others: which records, and how it describes itself.

One place for the DCAT endpoints, the CKAN API and `catalog export`: only published records,
and of them only those without DCAT-AP.de violations unless validation.publish_invalid. Also
each source's publishable share, which the steward's source pages show.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, select

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.records import iter_records
from catalog.settings import Settings
from catalog.store import Store
from dcat.catalog_graph import CatalogDescription
from dcat.profiles import Profile

# The one rule for what is public: published, and (unless the catalog publishes invalid
# records too) without DCAT-AP.de violations. Pages, DCAT endpoints, the CKAN API, exports,
# permissions and the search index all ask these functions.
PUBLIC_STATUS = RecordStatus.PUBLISHED
PUBLIC_STATES = (ValidationState.VALID, ValidationState.WARNINGS)


def public_states(publish_invalid: bool) -> tuple[ValidationState, ...] | None:
    """The validation states a published record may have to be public; None: any."""
    return None if publish_invalid else PUBLIC_STATES


def record_is_public(record: DatasetRecord, *, publish_invalid: bool) -> bool:
    states = public_states(publish_invalid)
    return record.status == PUBLIC_STATUS and (states is None or record.validation_state in states)


def public_record_conditions(*, publish_invalid: bool) -> list[ColumnElement[bool]]:
    """The same rule as a query condition."""
    conditions = [DatasetRecord.status == PUBLIC_STATUS]
    states = public_states(publish_invalid)
    if states is not None:
        conditions.append(DatasetRecord.validation_state.in_(states))
    return conditions


def is_public(record: DatasetRecord, settings: Settings) -> bool:
    return record_is_public(record, publish_invalid=settings.validation.publish_invalid)


def public_conditions(settings: Settings) -> list[ColumnElement[bool]]:
    return public_record_conditions(publish_invalid=settings.validation.publish_invalid)


def is_public_in(record: DatasetRecord, settings: Settings, profile: Profile) -> bool:
    """Public in the profile's outputs: public (the 2.0 rule) and, for 3.0, without a 3.0
    violation by the stored verdict, unless validation.publish_invalid. A record not judged
    in 3.0 yet counts as violating it."""
    if not is_public(record, settings):
        return False
    if profile is Profile.DCATAPDE_2 or settings.validation.publish_invalid:
        return True
    return record.violation_count_v3 == 0


def profile_conditions(settings: Settings, profile: Profile) -> list[ColumnElement[bool]]:
    """What a record needs beyond the 2.0 rule to be public in the profile, as conditions."""
    if profile is Profile.DCATAPDE_2 or settings.validation.publish_invalid:
        return []
    return [DatasetRecord.violation_count_v3 == 0]


def public_conditions_in(settings: Settings, profile: Profile) -> list[ColumnElement[bool]]:
    """`is_public_in` as a query condition: 3.0 pages are filtered in the query, so they stay
    full and hydra:itemsPerPage holds."""
    return [*public_conditions(settings), *profile_conditions(settings, profile)]


def public_validation_states(settings: Settings) -> tuple[ValidationState, ...] | None:
    """For list_records: None (any state) when invalid records are published too."""
    return public_states(settings.validation.publish_invalid)


def public_records(
    store: Store, settings: Settings, batch: int = 500, profile: Profile = Profile.DCATAPDE_2
) -> Iterator[DatasetRecord]:
    """Every record public in the profile in keyset order, a batch at a time (never all in
    memory)."""
    return iter_records(
        store,
        batch=batch,
        statuses=(PUBLIC_STATUS,),
        validation_states=public_validation_states(settings),
        conditions=profile_conditions(settings, profile),
    )


def count_public_records(store: Store, settings: Settings) -> int:
    query = select(func.count()).select_from(DatasetRecord).where(*public_conditions(settings))
    with store.reading() as session:
        return session.scalar(query) or 0


def public_names_and_changes(
    store: Store, settings: Settings, *, offset: int = 0, limit: int | None = None
) -> list[tuple[str, datetime]]:
    """Each public record's name and last change, by name (sitemaps, CKAN's package_list)."""
    query = (
        select(DatasetRecord.name, DatasetRecord.updated_at)
        .where(*public_conditions(settings))
        .order_by(DatasetRecord.name)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    with store.reading() as session:
        return [(name, updated) for name, updated in session.execute(query).all()]


def public_records_newest_first(
    store: Store, settings: Settings, *, offset: int = 0, limit: int | None = None
) -> list[DatasetRecord]:
    query = (
        select(DatasetRecord)
        .where(*public_conditions(settings))
        .order_by(DatasetRecord.updated_at.desc(), DatasetRecord.id)
        .offset(offset)
        .limit(limit)
    )
    with store.reading() as session:
        return list(session.scalars(query))


def public_counts_by_organization(store: Store, settings: Settings) -> dict[str, int]:
    """How many public records each organisation has; those without any are missing."""
    query = (
        select(DatasetRecord.organization_id, func.count())
        .where(*public_conditions(settings))
        .group_by(DatasetRecord.organization_id)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    return {org_id: count for org_id, count in rows if org_id is not None}


def catalog_description(settings: Settings) -> CatalogDescription:
    catalog = settings.catalog
    return CatalogDescription(
        uri=f"{catalog.base_url}/catalog",
        title=catalog.title,
        description=catalog.description,
        language=catalog.language,
        title_en=catalog.title_en,
        description_en=catalog.description_en,
        publisher_name=catalog.publisher.name,
        publisher_uri=catalog.publisher.uri,
        homepage=catalog.homepage,
    )


@dataclass(frozen=True)
class PublishableShare:
    """How many of a source's current (not withdrawn) records are public without violations."""

    publishable: int
    current: int

    @property
    def percent(self) -> int | None:
        """Rounded down, so that 99 % never hides a record that is still held back."""
        if not self.current:
            return None
        return self.publishable * 100 // self.current


def publishable_shares(store: Store, source_ids: Sequence[str]) -> dict[str, PublishableShare]:
    """Per source: its current records, and those published without DCAT-AP.de violations.

    Independent of validation.publish_invalid: a record with violations is not counted as
    publishable even where the catalog shows it.
    """
    publishable = case((and_(*public_record_conditions(publish_invalid=False)), 1), else_=0)
    query = (
        select(DatasetRecord.source_id, func.sum(publishable), func.count())
        .where(
            DatasetRecord.source_id.in_(list(source_ids)),
            DatasetRecord.status != RecordStatus.WITHDRAWN,
        )
        .group_by(DatasetRecord.source_id)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    shares = {source_id: PublishableShare(0, 0) for source_id in source_ids}
    for source_id, count_publishable, count_current in rows:
        shares[source_id] = PublishableShare(int(count_publishable or 0), int(count_current))
    return shares
