"""The German search test set: the demo catalog and the German real catalogs in one index,
and the queries of tests/data/search/german_queries.yaml judged against it.

Shared by tests/catalog/search/test_german_compounds.py and benchmarks/search_quality.py,
so that the numbers in benchmarks/RESULTS.md and the test's floors come from the same run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from catalog.migrate import upgrade_database
from catalog.models import DatasetRecord
from catalog.search.base import IndexDocument, SearchBackend, SearchQuery
from catalog.search.documents import Names, index_document
from catalog.search.registry import open_backend
from catalog.store import Store, open_store
from tests.conftest import REPO, build_demo
from tests.harvesters.real_corpus import corpus_settings, harvest, load_corpus, serve
from tests.harvesters.recorded import RecordedServer

QUERIES = REPO / "tests" / "data" / "search" / "german_queries.yaml"
# The German catalogs of tests/data/real (the Italian, Swiss and French ones have no German).
GERMAN_CATALOGS = (
    "de-state-brandenburg-datenadler-dcat",
    "de-city-potsdam-ods-dcat",
    "de-city-muenster-dkan-sheet",
    "de-nrw-musterdatenkatalog-sheet",
    "de-govdata-ckanext-dcatde-dcat",
    "de-state-schleswig-holstein-ckan-dcat",
    "de-state-schleswig-holstein-ckan-api",
)
# Every query is judged on the first ten hits (precision@10) and on the whole result list
# (recall): a citizen reads the first page, and a dataset not found at all is lost.
TOP = 10


@dataclass(frozen=True)
class Judged:
    query: str
    expected: frozenset[str]
    found: tuple[str, ...]  # every hit, best first

    @property
    def recall(self) -> float:
        return len(self.expected & set(self.found)) / len(self.expected)

    @property
    def precision_at_top(self) -> float:
        top = self.found[:TOP]
        return len(self.expected & set(top)) / len(top) if top else 0.0


def load_queries() -> dict[str, frozenset[str]]:
    """Query text -> the dataset names a person searching it would expect."""
    entries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]
    return {entry["q"]: frozenset(entry["expected"]) for entry in entries}


def corpus_documents(folder: Path) -> list[IndexDocument]:
    """Index documents of the harvested demo catalog and German real catalogs (every record
    that the harvest stored, public or not: the set judges the search, not the validator)."""
    _, store = build_demo(folder / "demo")
    try:
        documents = list(_documents(store))
    finally:
        store.close()
    server = RecordedServer().start()
    try:
        sources = [
            source
            for catalog in load_corpus()
            if catalog.slug in GERMAN_CATALOGS
            for source in serve(server, catalog)
        ]
        real_settings = corpus_settings(folder / "real", sources, with_steward_settings=True)
        real_store = open_store(real_settings.database_url)
        try:
            upgrade_database(real_store)
            harvest(real_store, real_settings)
            documents.extend(_documents(real_store))
        finally:
            real_store.close()
    finally:
        server.stop()
    return documents


def _documents(store: Store) -> Iterator[IndexDocument]:
    names = Names.load(store)
    with store.reading() as session:
        records = list(session.scalars(select(DatasetRecord)))
    for record in records:
        yield index_document(record, names)


def build_index(
    directory: Path, documents: list[IndexDocument], engine: str = "whoosh"
) -> SearchBackend:
    backend = open_backend(engine, directory)
    backend.rebuild(documents)
    return backend


def judge(backend: SearchBackend, queries: dict[str, frozenset[str]]) -> list[Judged]:
    judged = []
    for text, expected in queries.items():
        result = backend.search(
            SearchQuery(text=text, limit=10_000, include_non_public=True, facets=()),
            publish_invalid=True,
        )
        judged.append(Judged(text, expected, tuple(hit.name for hit in result.hits)))
    return judged


def mean_recall(judged: list[Judged]) -> float:
    return sum(item.recall for item in judged) / len(judged)


def mean_precision(judged: list[Judged]) -> float:
    return sum(item.precision_at_top for item in judged) / len(judged)


def dump_titles(path: Path) -> None:
    """Name and title of every corpus document, one a line (for writing the query set)."""
    with tempfile.TemporaryDirectory() as folder:
        documents = corpus_documents(Path(folder))
    lines = sorted(f"{d.name}\t{d.title}\t{' | '.join(d.keywords)}" for d in documents)
    path.write_text("\n".join(lines), encoding="utf-8")
