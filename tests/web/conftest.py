"""An app on a fresh SQLite catalog in a temporary data_dir (as Flask's tutorial does), and
the harvested demo catalog for the tests of what the public and other portals read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from catalog.cli import cli
from catalog.organizations import sync_organizations
from catalog.settings import Settings, load_settings
from catalog.setup import open_current_store
from catalog.store import Store
from tests.conftest import REPO
from web import create_app


@pytest.fixture
def app(settings: Settings, sqlite_store: Store) -> Flask:
    sync_organizations(sqlite_store, settings.organizations)
    app = create_app(settings, store=sqlite_store)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """The bundled config with its three demo sources harvested, as `make run` shows it."""
    env = {
        "CATALOG_CONFIG": str(REPO / "config.yaml"),
        "CATALOG_DATA_DIR": str(tmp_path_factory.mktemp("demo")),
    }
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    assert runner.invoke(cli, ["harvest", "--all"], env=env).exit_code == 1  # deliberate mistakes
    settings = load_settings(None, env=env)
    store = open_current_store(settings)
    yield settings, store
    store.close()
