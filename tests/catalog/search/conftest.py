"""Every search test runs on each registered engine: a store with the test organisations and a
search index on that engine, listening to the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from catalog.ingest import RecordPreparer
from catalog.organizations import sync_organizations
from catalog.search.base import SearchBackend
from catalog.search.registry import BACKENDS, open_backend
from catalog.search.service import SearchIndex, open_search_index
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store
from tests.conftest import minimal_config

ENGINES = sorted(BACKENDS)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The name of the search backend (catalog.search.registry) a test runs on."""
    return str(request.param)


@pytest.fixture
def settings(tmp_path: Path, engine: str) -> Settings:
    return settings_from_mapping(
        minimal_config(
            storage={"data_dir": str(tmp_path / "instance")}, search={"backend": engine}
        ),
        base_dir=tmp_path,
        env={},
    )


@pytest.fixture
def open_engine(engine: str) -> Callable[[Path], SearchBackend]:
    """Opens a bare backend of this test's engine in a directory."""
    return lambda directory: open_backend(engine, directory)


@pytest.fixture
def preparer(settings: Settings) -> RecordPreparer:
    return RecordPreparer(settings)


@pytest.fixture
def index(store: Store, settings: Settings) -> Iterator[SearchIndex]:
    sync_organizations(store, settings.organizations)
    opened = open_search_index(store, settings)
    yield opened
    opened.close()
