"""Bringing a catalog's database in line with its config: schema, organisations, sources."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.migrate import current_revision, head_revision, upgrade_database
from catalog.organizations import sync_organizations, sync_sources
from catalog.profile_store import store_v3_verdicts
from catalog.quality.scores import score_unscored
from catalog.search.compound_model import ensure_model
from catalog.settings import Settings
from catalog.store import Store, open_store
from dcat.bilingual import Bilingual


class DatabaseNotCurrent(Exception):
    """The database has no schema or an older one; `catalog init` brings it up to date.
    `text` says so in German and English apart; str() is the English."""

    def __init__(self, text: Bilingual) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class InitSummary:
    """What `initialise` did, as figures; the command line words them in its language."""

    database: str
    schema: str
    organizations: int
    new_organizations: int
    sources: int
    new_sources: int
    indexed: int = 0
    judged_v3: int = 0


def initialise(settings: Settings) -> InitSummary:
    """Create the data directory, migrate the database and sync the configured organisations."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Compiled once per machine here, so that no web worker's first search waits for it.
    ensure_model()
    store = open_store(settings.database_url)
    try:
        schema = upgrade_database(store)
        new_orgs = sync_organizations(store, settings.organizations)
        new_sources = sync_sources(store, settings.sources)
        indexed = bring_index_up_to_date(store, settings)
        score_unscored(store)  # records saved before quality scores existed
        # Records saved before the 3.0 columns existed (migration 0017) get their verdict.
        judged_v3 = store_v3_verdicts(store, only_missing=True).judged
    finally:
        store.close()
    return InitSummary(
        database=_redacted(settings.database_url),
        schema=schema,
        organizations=len(settings.organizations),
        new_organizations=new_orgs,
        sources=len(settings.sources),
        new_sources=new_sources,
        indexed=indexed,
        judged_v3=judged_v3,
    )


def bring_index_up_to_date(store: Store, settings: Settings) -> int:
    """Apply queued changes; rebuild an index that was deleted or lost (it is derived data)."""
    from sqlalchemy import func, select

    from catalog.models import DatasetRecord
    from catalog.search.service import open_search_index

    index = open_search_index(store, settings)
    try:
        written = index.sync(wait=60.0)
        with store.reading() as session:
            records = session.scalar(select(func.count()).select_from(DatasetRecord)) or 0
        if index.backend.document_count() < records:
            written = index.reindex()
        return written
    finally:
        index.close()


def open_current_store(settings: Settings) -> Store:
    """The store, after checking its schema is current (raises DatabaseNotCurrent otherwise)."""
    store = open_store(settings.database_url)
    current = current_revision(store)
    if current != head_revision():
        store.close()
        database, expected = _redacted(settings.database_url), head_revision()
        raise DatabaseNotCurrent(
            Bilingual(
                f"Die Datenbank {database} ist nicht eingerichtet oder veraltet "
                f"(Schema {current or 'keines'}, erwartet {expected}); "
                "zuerst 'catalog init' ausführen.",
                f"the database {database} is not initialised or is outdated "
                f"(schema {current or 'none'}, expected {expected}); run 'catalog init' first.",
            )
        )
    return store


def ensure_schema_current(settings: Settings) -> None:
    open_current_store(settings).close()


def _redacted(database_url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(database_url).render_as_string(hide_password=True)
