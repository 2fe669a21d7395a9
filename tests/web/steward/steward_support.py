"""Stewards for the steward-area tests: an app on a fresh catalog with three organisations,
people in every role, and a client that logs in and sends the CSRF token as a browser does."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.test import TestResponse

from catalog.accounts import hash_password
from catalog.migrate import upgrade_database
from catalog.models import (
    ApiToken,
    HarvestJob,
    HarvestSource,
    Membership,
    Organization,
    Role,
    User,
)
from catalog.organizations import sync_organizations, sync_sources
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store, open_store
from tests.conftest import minimal_config
from web import close_app, create_app

PASSWORD = "lang-genug-1"
# Who is who: admins and an editor of the Umweltamt, the admin of another organisation,
# a site admin, and someone without any role.
PEOPLE: dict[str, dict[str, Any]] = {
    "anna": {"roles": {"umweltamt": Role.ADMIN}},
    "emil": {"roles": {"umweltamt": Role.EDITOR}},
    "otto": {"roles": {"statistik": Role.ADMIN}},
    "sina": {"site_admin": True},
    "nina": {},
}
_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


def steward_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings with a config source of the Umweltamt and harvest rules for 127.0.0.1."""
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        harvest={
            "allow_private_networks": True,
            "retries": 0,
            "connect_timeout": 2.0,
            "read_timeout": 10.0,
        },
        sources=[
            {
                "name": "umwelt-config",
                "type": "dcat",
                "url": "http://127.0.0.1:9/catalog.ttl",
                "organization": "umweltamt",
            }
        ],
    )
    config.update(overrides)
    return settings_from_mapping(config, base_dir=tmp_path, env={})


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def add_people(store: Store) -> None:
    """PEOPLE as `catalog user add` would create them (argon2 hashed once, not per test)."""
    with store.transaction() as session:
        org_ids = dict(session.execute(select(Organization.name, Organization.id)).all())
        for username, extra in PEOPLE.items():
            user = User(
                username=username,
                email=f"{username}@stadt.example",
                password_hash=_password_hash(),
                is_site_admin=extra.get("site_admin", False),
            )
            session.add(user)
            session.flush()
            for org, role in extra.get("roles", {}).items():
                session.add(Membership(user_id=user.id, organization_id=org_ids[org], role=role))


def open_steward_catalog(settings: Settings, url: str, **options: Any) -> Store:
    """A migrated catalog with the configured organisations, sources and PEOPLE."""
    store = open_store(url, **options)
    upgrade_database(store)
    sync_organizations(store, settings.organizations)
    sync_sources(store, settings.sources)
    add_people(store)
    return store


@contextmanager
def steward_app_for(settings: Settings, store: Store) -> Iterator[Flask]:
    """The app on the catalog; afterwards its background harvests end and the app closes."""
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    yield app
    app.extensions["catalog.background_harvests"].join(timeout=30)
    close_app(app)


@pytest.fixture
def steward_store(tmp_path: Path) -> Iterator[tuple[Settings, Store]]:
    settings = steward_settings(tmp_path)
    store = open_steward_catalog(settings, settings.database_url)
    yield settings, store
    store.close()


@pytest.fixture
def steward_app(steward_store: tuple[Settings, Store]) -> Iterator[Flask]:
    with steward_app_for(*steward_store) as app:
        yield app


def csrf_token(client: FlaskClient, path: str = "/verwaltung/anmelden") -> str:
    """The CSRF token of the client's session, read from a form as a browser gets it."""
    page = client.get(path)
    match = _CSRF_INPUT.search(page.get_data(as_text=True))
    assert match is not None, f"no CSRF token on {path} ({page.status_code})"
    value = _VALUE.search(match.group(0))
    assert value is not None
    return value.group(1)


def log_in(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    token = csrf_token(client)
    return client.post(
        "/verwaltung/anmelden",
        data={"username": username, "password": password, "csrf_token": token},
    )


def client_for(app: Flask, username: str | None) -> FlaskClient:
    """A client logged in as `username`, or an anonymous one (None)."""
    client = app.test_client()
    if username is not None:
        response = log_in(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None) -> TestResponse:
    """A form post with the session's CSRF token, as the page's form sends it."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client)})


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the steward pages can change: sources, jobs, memberships, tokens."""
    with store.reading() as session:
        return {
            "sources": sorted(
                (s.name, s.type, s.url, s.schedule, s.enabled, repr(s.options), s.managed_by)
                for s in session.scalars(select(HarvestSource))
            ),
            "jobs": sorted(
                (j.id, j.source_id, j.status) for j in session.scalars(select(HarvestJob))
            ),
            "members": sorted(
                (m.user_id, m.organization_id, m.role) for m in session.scalars(select(Membership))
            ),
            "tokens": sorted(
                (t.id, t.name, t.revoked_at is None) for t in session.scalars(select(ApiToken))
            ),
        }


def page_text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def add_web_source(store: Store, name: str, url: str, *, enabled: bool = True) -> None:
    """A source of the Umweltamt as a steward would have created it."""
    with store.transaction() as session:
        org_id = session.scalar(select(Organization.id).where(Organization.name == "umweltamt"))
        assert org_id is not None
        session.add(
            HarvestSource(
                name=name,
                type="dcat",
                url=url,
                organization_id=org_id,
                schedule="daily",
                enabled=enabled,
                options={},
                managed_by="web",
            )
        )


def source_row(store: Store, name: str) -> HarvestSource:
    with store.reading() as session:
        source = session.scalar(
            select(HarvestSource)
            .options(joinedload(HarvestSource.organization))
            .where(HarvestSource.name == name)
        )
    assert source is not None, name
    return source
