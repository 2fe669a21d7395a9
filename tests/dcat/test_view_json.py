"""The stored form of a DatasetView gives back exactly the view dataset_view made."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcat import view_json
from dcat.parsing import parse_rdf_file
from dcat.split import split_catalog_into_datasets
from dcat.view import DatasetView, dataset_view
from dcat.view_json import view_from_json, view_to_json, view_version
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
RDF_FILES = sorted(
    [
        *ROOT.glob("tests/data/real/*/*.ttl"),
        *ROOT.glob("tests/data/real/*/*.rdf"),
        *ROOT.glob("tests/data/real/*-dcat/*.xml"),
        *ROOT.glob("catalog/demo/tiefbauamt/*.ttl"),
        *(SHARED / "dcat-ap-de" / "examples").glob("v2.0*/*.ttl"),
    ]
)


def _views(path: Path, lang: str) -> list[DatasetView]:
    graph = parse_rdf_file(path)
    return [dataset_view(d.graph, d.node, lang=lang) for d in split_catalog_into_datasets(graph)]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("path", RDF_FILES, ids=lambda p: p.parent.name + "/" + p.name)
def test_stored_view_equals_the_view_made_from_the_graph(path: Path, lang: str) -> None:
    for view in _views(path, lang):
        assert view_from_json(view_to_json(view)) == view


def test_the_real_corpus_and_demo_give_views_to_compare() -> None:
    assert sum(len(_views(path, "de")) for path in RDF_FILES) > 150


def test_a_new_layout_gives_a_new_view_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = view_version()
    view_version.cache_clear()
    monkeypatch.setattr(view_json, "VIEW_JSON_FORMAT", view_json.VIEW_JSON_FORMAT + 1)
    try:
        assert view_version() != before
    finally:
        view_version.cache_clear()
    monkeypatch.undo()
    assert view_version() == before
