"""An app on a fresh SQLite catalog in a temporary data_dir (as Flask's tutorial does)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.organizations import sync_organizations
from catalog.settings import Settings
from catalog.store import Store
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
def demo_app(demo: tuple[Settings, Store]) -> Flask:
    """The app on the harvested demo catalog (tests/conftest.py's `demo`), once per module."""
    settings, store = demo
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()
