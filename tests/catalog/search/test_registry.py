"""search.backend in the config picks the engine from catalog.search.registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.search.base import SearchBackend
from catalog.search.registry import BACKENDS
from catalog.search.service import SEARCH_DIRECTORY, open_search_index
from catalog.search.whoosh.backend import WhooshBackend
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store
from tests.conftest import minimal_config


class _SecondEngine(WhooshBackend):
    """A second registered engine (Whoosh again, under another name) that knows its name."""


@pytest.mark.parametrize("engine", ["whoosh"])  # the default must be Whoosh
def test_the_index_opens_on_the_backend_the_config_names(
    sqlite_store: Store, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def second(directory: Path) -> SearchBackend:
        return _SecondEngine(directory)

    monkeypatch.setitem(BACKENDS, "zweite", second)
    raw = minimal_config(storage={"data_dir": str(settings.data_dir)}, search={"backend": "zweite"})
    chosen = settings_from_mapping(raw, base_dir=tmp_path, env={})

    index = open_search_index(sqlite_store, chosen)
    try:
        assert type(index.backend) is _SecondEngine
        assert index.backend.directory == settings.data_dir / SEARCH_DIRECTORY
    finally:
        index.close()
    default = open_search_index(sqlite_store, settings)
    try:
        assert type(default.backend) is WhooshBackend
    finally:
        default.close()


def test_search_backend_tantivy_in_the_config_opens_tantivy(
    sqlite_store: Store, settings: Settings, tmp_path: Path
) -> None:
    from catalog.search.tantivy.backend import TantivyBackend

    raw = minimal_config(
        storage={"data_dir": str(settings.data_dir)}, search={"backend": "tantivy"}
    )
    index = open_search_index(sqlite_store, settings_from_mapping(raw, base_dir=tmp_path, env={}))
    try:
        assert type(index.backend) is TantivyBackend
    finally:
        index.close()
