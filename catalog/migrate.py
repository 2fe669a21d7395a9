"""Creating and upgrading the database schema with the Alembic migrations in this package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from catalog.store import Store

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseUnreachable(RuntimeError):
    """The database did not answer; the message is what the driver said."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_database(store: Store) -> str:
    """Bring the schema to the newest migration; returns that revision id."""
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def reachable_revision(store: Store) -> str | None:
    """current_revision, for health checks: DatabaseUnreachable if the database does not answer."""
    try:
        return current_revision(store)
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(str(exc)) from exc
