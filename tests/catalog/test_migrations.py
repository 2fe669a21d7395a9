"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from catalog.migrate import (
    DatabaseUnreachable,
    current_revision,
    head_revision,
    reachable_revision,
    upgrade_database,
)
from catalog.models import Base
from catalog.store import Store, open_store


def test_migrated_database_matches_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless(store: Store) -> None:
    assert upgrade_database(store) == head_revision()
    assert current_revision(store) == head_revision()


def test_a_database_that_does_not_answer_is_reported_as_unreachable() -> None:
    # Port 1 on the loopback: nothing listens, so the connection is refused at once.
    silent = open_store(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
    )
    try:
        with pytest.raises(DatabaseUnreachable):
            reachable_revision(silent)
    finally:
        silent.close()
