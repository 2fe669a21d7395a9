"""On the harvested demo catalog: facet counts equal what the database says, and the
`catalog reindex` and `catalog init` commands rebuild a lost index."""

from __future__ import annotations

import shutil
from collections import Counter

from click.testing import CliRunner
from sqlalchemy import func, select

from catalog.models import DatasetRecord
from catalog.publication import public_records
from catalog.search.base import SearchQuery
from catalog.search.documents import Names, index_document
from catalog.search.service import open_search_index
from catalog.settings import Settings
from catalog.store import Store
from cli.commands import cli
from tests.conftest import REPO


def _expected_facets(store: Store, settings: Settings) -> dict[str, Counter[str]]:
    names = Names.load(store)
    expected: dict[str, Counter[str]] = {
        "organization": Counter(),
        "theme": Counter(),
        "format": Counter(),
        "license": Counter(),
        "keyword": Counter(),
    }
    for record in public_records(store, settings):
        document = index_document(record, names)
        expected["organization"].update([document.organization] if document.organization else [])
        expected["theme"].update(document.themes)
        expected["format"].update(document.formats)
        expected["license"].update(document.licenses)
        expected["keyword"].update(document.keywords)
    return expected


def test_facet_counts_equal_the_database(demo: tuple[Settings, Store]) -> None:
    settings, store = demo
    index = open_search_index(store, settings)
    try:
        result = index.search(SearchQuery(facet_limit=1000, limit=0))
    finally:
        index.close()
    expected = _expected_facets(store, settings)
    assert result.total == sum(1 for _ in public_records(store, settings)) > 0
    for facet, counts in expected.items():
        assert {f.value: f.count for f in result.facets[facet]} == dict(counts), facet


def test_organisation_counts_equal_a_count_in_sql(demo: tuple[Settings, Store]) -> None:
    settings, store = demo
    public = Counter(record.organization_id for record in public_records(store, settings))
    index = open_search_index(store, settings)
    try:
        facet = index.search(SearchQuery(limit=0)).facets["organization"]
    finally:
        index.close()
    with store.reading() as session:
        stored = session.scalar(select(func.count()).select_from(DatasetRecord)) or 0
    assert stored > sum(public.values())  # the demo has records the public must not count
    ids = {org.name: org.id for org in Names.load(store).organizations.values()}
    assert {ids[f.value]: f.count for f in facet} == dict(public)


def test_reindex_and_init_rebuild_a_deleted_index(demo: tuple[Settings, Store]) -> None:
    settings, store = demo
    env = {"CATALOG_CONFIG": str(REPO / "config.yaml"), "CATALOG_DATA_DIR": str(settings.data_dir)}
    expected = sum(1 for _ in public_records(store, settings))

    def public_count() -> int:
        index = open_search_index(store, settings)
        try:
            return index.search(SearchQuery(limit=0)).total
        finally:
            index.close()

    shutil.rmtree(settings.data_dir / "search")
    assert public_count() == 0
    result = CliRunner().invoke(cli, ["reindex"], env=env)
    assert result.exit_code == 0, result.output
    assert "Suchindex neu aufgebaut:" in result.output  # catalog.language: de
    assert public_count() == expected

    shutil.rmtree(settings.data_dir / "search")
    assert CliRunner().invoke(cli, ["init"], env=env).exit_code == 0
    assert public_count() == expected
