"""A web app's threads stop when the app, or the store it runs on, is closed: nothing of it
reaches for a database that may be gone afterwards (a test's dropped schema, a stopped
server). On SQLite, and on PostgreSQL where CATALOG_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from catalog.models import SearchTermCount
from catalog.organizations import sync_organizations
from catalog.settings import Settings
from catalog.store import Store
from web import close_app, create_app

APP_THREADS = ("search-index-follower", "usage-figures", "webhook-deliveries")


def busy_app(settings: Settings, store: Store) -> tuple[Flask, list[threading.Thread]]:
    """An app whose follower, usage writer and webhook deliverer all run; and those threads."""
    before = set(threading.enumerate())
    webhooks = settings.webhooks.model_copy(update={"deliver_every_seconds": 3600})
    sync_organizations(store, settings.organizations)
    app = create_app(settings.model_copy(update={"webhooks": webhooks}), store=store)
    app.config["TESTING"] = True
    assert app.test_client().get("/suche?q=baeume").status_code == 200
    started = [t for t in threading.enumerate() if t not in before and t.name in APP_THREADS]
    assert sorted(t.name for t in started) == sorted(APP_THREADS)
    return app, started


def running(threads: list[threading.Thread]) -> list[str]:
    return [thread.name for thread in threads if thread.is_alive()]


def searches_written(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.coalesce(func.sum(SearchTermCount.searches), 0))) or 0


def test_closing_the_store_stops_the_apps_threads_after_writing_what_they_kept(
    store: Store, settings: Settings
) -> None:
    app, threads = busy_app(settings, store)

    store.close()

    assert running(threads) == []
    assert searches_written(store) == 1, "the usage writer wrote its count before stopping"
    assert app.extensions["catalog.search"].closed
    before = set(threading.enumerate())
    app.test_client().get("/")
    assert [t.name for t in set(threading.enumerate()) - before if t.name in APP_THREADS] == [], (
        "a request to a closed app starts no thread again"
    )


def test_closing_the_app_stops_its_threads_and_closing_again_is_harmless(
    store: Store, settings: Settings
) -> None:
    app, threads = busy_app(settings, store)

    close_app(app)
    close_app(app)

    assert running(threads) == []
    assert searches_written(store) == 1
