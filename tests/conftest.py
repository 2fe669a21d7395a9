"""Shared fixtures: settings with a temporary data_dir, a store on SQLite or PostgreSQL, the app."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from catalog.accounts import add_user
from catalog.migrate import upgrade_database
from catalog.models import Role
from catalog.settings import Settings, load_settings, settings_from_mapping
from catalog.setup import open_current_store
from catalog.store import Store, open_store
from cli.commands import cli
from harvesters.registry import declare_source_types

# As the CLI and the web app do before loading config.yaml (harvesters.registry).
declare_source_types()

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

POSTGRES_URL_VARIABLE = "CATALOG_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VARIABLE = "CATALOG_REQUIRE_POSTGRES"


def minimal_config(**overrides: Any) -> dict[str, Any]:
    """The smallest valid config mapping, with top-level sections replaced by overrides."""
    config: dict[str, Any] = {
        "catalog": {
            "title": "Offene Daten Teststadt",
            "base_url": "http://catalog.test",
            "publisher": {"name": "Stadt Teststadt", "uri": "https://teststadt.example/"},
        },
        "organizations": [
            {"name": "umweltamt", "title": "Umweltamt"},
            {"name": "statistik", "title": "Statistikstelle"},
        ],
    }
    config.update(overrides)
    return config


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_from_mapping(
        minimal_config(storage={"data_dir": str(tmp_path / "instance")}), base_dir=tmp_path, env={}
    )


def _postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    reason = f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
    if os.environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_POSTGRES_VARIABLE}=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A clean, empty database per test: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalog.db'}", {}
        return
    url = _postgres_url_or_skip()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(database_url: tuple[str, dict[str, Any]]) -> Iterator[Store]:
    url, options = database_url
    opened = open_store(url, **options)
    upgrade_database(opened)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings.database_url)
    upgrade_database(opened)
    yield opened
    opened.close()


def build_demo(data_dir: Path) -> tuple[Settings, Store]:
    """The bundled config with its three demo sources harvested into data_dir, as `make run`
    shows it."""
    env = {"CATALOG_CONFIG": str(REPO / "config.yaml"), "CATALOG_DATA_DIR": str(data_dir)}
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    assert runner.invoke(cli, ["harvest", "--all"], env=env).exit_code == 1  # deliberate mistakes
    settings = load_settings(None, env=env)
    return settings, open_current_store(settings)


def build_demo_with_steward(
    data_dir: Path, username: str, password: str, roles: dict[str, Role]
) -> tuple[Settings, Store]:
    """The demo catalog (build_demo) with one steward, for tests that log in and change it."""
    settings, store = build_demo(data_dir)
    add_user(
        store,
        username=username,
        email=f"{username}@musterstadt.example",
        password=password,
        full_name=username.title(),
        roles=roles,
    )
    return settings, store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """The demo catalog (build_demo), harvested once per test module that asks for it."""
    settings, store = build_demo(tmp_path_factory.mktemp("demo"))
    yield settings, store
    store.close()


@pytest.fixture
def redis_broker() -> Iterator[str]:
    """A Redis database of this test's own, as the task queue's broker (tests/workers.py)."""
    from tests.workers import fresh_redis_database, redis_url_or_skip

    with fresh_redis_database(redis_url_or_skip()) as url:
        yield url


@pytest.fixture
def amqp_broker() -> str:
    """RabbitMQ as the task queue's broker, its harvest queue empty (tests/workers.py)."""
    from tests.workers import amqp_url_or_skip, purge_harvest_queue

    url = amqp_url_or_skip()
    purge_harvest_queue(url)
    return url
