"""A paged DCAT source is read to the end it announces, or the read counts as incomplete and
nothing is withdrawn (issue 16, item 1): a real HTTP server on 127.0.0.1 serves Bremen's real
catalog cut into Hydra pages, with the faults a portal really shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from catalog.models import JobStatus, RecordStatus
from catalog.store import Store
from dcat.hydra import catalog_page_graph
from dcat.namespaces import DCAT, RDF, new_graph
from dcat.serialise import serialise
from dcat.split import split_catalog_into_datasets
from tests.harvesters.conftest import record_counts, run_source, source_settings
from tests.harvesters.recorded import RecordedServer, Route
from tests.harvesters.test_dcat_source import PORTALS, _bremen_graph
from tests.messages import both

pytestmark = pytest.mark.skipif(not PORTALS.is_dir(), reason=f"needs the fixtures in {PORTALS}")
PATH = "/bremen/catalog.ttl"


def _serve_pages(
    server: RecordedServer,
    chunks: list[list[int]],
    *,
    total: int | None = None,
    per_page: int | None = None,
    legacy: bool = False,
) -> int:
    """Bremen's datasets on pages holding the given dataset numbers, each linking the next."""
    datasets = list(split_catalog_into_datasets(_bremen_graph()))
    catalog = URIRef(server.url(PATH))

    def address(number: int) -> str:
        return server.url(f"{PATH}?page={number}")

    for number, chunk in enumerate(chunks, start=1):
        page: Graph = new_graph()
        page.add((catalog, RDF.type, DCAT.Catalog))
        for index in chunk:
            page += datasets[index].graph
            page.add((catalog, DCAT.dataset, datasets[index].node))
        page += catalog_page_graph(
            catalog,
            address(number),
            first=address(1),
            next=address(number + 1) if number < len(chunks) else None,
            last=address(len(chunks)),
            total_items=total,
            items_per_page=per_page or 2,
            legacy=legacy,
        )
        route = Route(serialise(page, "ttl"), "text/turtle; charset=utf-8")
        server.routes[f"{PATH}?page={number}"] = route
        if number == 1:
            server.routes[PATH] = route
    return len({index for chunk in chunks for index in chunk})


def _harvest(store: Store, server: RecordedServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = source_settings(
        tmp_path, [{"name": "bremen", "type": "dcat", "url": server.url(PATH)}]
    )
    return run_source(store, settings, "bremen")


def test_an_empty_page_that_names_a_next_page_does_not_end_the_read(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    ten = [[0, 1], [2, 3], [4, 5], [], [6, 7, 8, 9]]
    _serve_pages(server, ten, total=10)
    first = _harvest(store, server, tmp_path)
    assert first.counts.new + first.counts.failed == 10
    again = _harvest(store, server, tmp_path)
    assert again.counts.withdrawn == 0
    assert record_counts(store)[RecordStatus.WITHDRAWN.value] == 0


@pytest.mark.parametrize(
    ("chunks", "announced", "reason"),
    [
        ([[0, 1], [2], [4, 5]], {"per_page": 2, "legacy": True}, "holds 1 of the 2 datasets"),
        ([[0, 1], [2, 3]], {"total": 10}, "announces 10 datasets (hydra:totalItems), 4 were"),
    ],
    ids=["short-page-before-the-last", "total-not-matched"],
)
def test_a_read_that_does_not_match_what_the_source_announced_withdraws_nothing(
    store: Store,
    server: RecordedServer,
    tmp_path: Path,
    chunks: list[list[int]],
    announced: dict,
    reason: str,
) -> None:
    _serve_pages(server, [[0, 1], [2, 3], [4, 5]], total=6, per_page=2, legacy=True)
    complete = _harvest(store, server, tmp_path)
    assert complete.counts.new + complete.counts.failed == 6
    assert complete.status != JobStatus.FAILED and both(complete) == ""
    server.routes.clear()
    _serve_pages(server, chunks, **announced)
    partial = _harvest(store, server, tmp_path)
    assert partial.counts.withdrawn == 0
    assert reason in both(partial)
    assert "nothing withdrawn" in both(partial)
    assert record_counts(store)[RecordStatus.WITHDRAWN.value] == 0
