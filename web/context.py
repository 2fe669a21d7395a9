"""Access to the catalog's settings and store from inside a request."""

from __future__ import annotations

from flask import current_app

from catalog.search.service import SearchIndex
from catalog.settings import Settings
from catalog.store import Store


def current_store() -> Store:
    store: Store = current_app.extensions["catalog.store"]
    return store


def current_settings() -> Settings:
    settings: Settings = current_app.extensions["catalog.settings"]
    return settings


def current_search() -> SearchIndex:
    search: SearchIndex = current_app.extensions["catalog.search"]
    return search
