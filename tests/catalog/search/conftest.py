"""A store with the test organisations and a search index listening to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalog.ingest import RecordPreparer
from catalog.organizations import sync_organizations
from catalog.search.service import SearchIndex, open_search_index
from catalog.settings import Settings
from catalog.store import Store


@pytest.fixture
def preparer(settings: Settings) -> RecordPreparer:
    return RecordPreparer(settings)


@pytest.fixture
def index(store: Store, settings: Settings) -> Iterator[SearchIndex]:
    sync_organizations(store, settings.organizations)
    opened = open_search_index(store, settings)
    yield opened
    opened.close()
