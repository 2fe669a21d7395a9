"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from catalog.migrate import current_revision, head_revision, upgrade_database
from catalog.models import Base
from catalog.store import Store


def test_migrated_database_matches_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless(store: Store) -> None:
    assert upgrade_database(store) == head_revision()
    assert current_revision(store) == head_revision()
