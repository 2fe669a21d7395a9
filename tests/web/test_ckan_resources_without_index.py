"""The CKAN resource actions find a resource by its id in the database, not in the search
index: they work while a harvest holds the index's write lock and the index lags behind."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from whoosh import index as whoosh_index

from catalog.accounts import add_user, create_token
from catalog.models import Role
from catalog.organizations import sync_organizations
from catalog.settings import Settings
from catalog.store import Store
from web import SEARCH_KEY, create_app

OLD_URL = "https://daten.example/pegel.csv"
NEW_URL = "https://daten.example/pegel-2025.csv"


@pytest.fixture
def client(settings: Settings, store: Store) -> FlaskClient:
    sync_organizations(store, settings.organizations)
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    # A save leaves its change to the index's writer after this long instead of the usual seconds.
    app.extensions[SEARCH_KEY].lock_wait = 0.1
    return app.test_client()


@pytest.fixture
def token(store: Store) -> str:
    add_user(
        store,
        username="erika",
        email="erika@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.EDITOR},
    )
    return create_token(store, "erika", "skript").secret


@pytest.fixture
def index_held_by_another_thread(settings: Settings, client: FlaskClient) -> Iterator[None]:
    """The search index's write lock, taken as a harvest in the same process would hold it."""
    ready, release = threading.Event(), threading.Event()

    def hold(directory: Path) -> None:
        writer = whoosh_index.open_dir(str(directory), indexname="records").writer()
        ready.set()
        release.wait(30)
        writer.cancel()

    holder = threading.Thread(target=hold, args=(settings.data_dir / "search",))
    holder.start()
    try:
        assert ready.wait(30)
        yield
    finally:
        release.set()
        holder.join(30)


def _action(client: FlaskClient, action: str, token: str, **parameters: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/3/action/{action}", json=parameters, headers={"Authorization": token}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    result: dict[str, Any] = response.get_json()["result"]
    return result


def test_a_resource_is_shown_and_updated_while_the_index_is_locked_and_behind(
    client: FlaskClient, token: str, store: Store, index_held_by_another_thread: None
) -> None:
    index = client.application.extensions[SEARCH_KEY]
    package = _action(
        client,
        "package_create",
        token,
        name="pegelstaende",
        title="Pegelstände",
        notes="Wasserstände an den Messstellen der Stadt.",
        owner_org="umweltamt",
        private=True,
        resources=[{"id": "pegel-csv", "url": OLD_URL, "format": "CSV"}],
    )
    assert index.is_behind()  # the index has not seen the new package

    shown = _action(client, "resource_show", token, id="pegel-csv")
    assert shown["package_id"] == package["id"] and shown["url"] == OLD_URL

    updated = _action(client, "resource_update", token, id="pegel-csv", url=NEW_URL, format="CSV")
    assert updated["url"] == NEW_URL
    resources = _action(client, "package_show", token, id="pegelstaende")["resources"]
    assert [(r["id"], r["url"]) for r in resources] == [("pegel-csv", NEW_URL)]
    assert index.is_behind()  # and still has not: nothing above went through it
