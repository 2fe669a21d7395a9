"""The `dcat` source against a real HTTP server serving real portal catalogs (Bremen, Rostock,
udata), cut into Hydra pages: counts, re-harvests, changes, vanished records, paging loops and
sources that fail half-way."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from sqlalchemy import select

from catalog.jobs import job_errors
from catalog.models import DatasetRecord, JobStatus, RecordStatus
from catalog.store import Store
from dcat.namespaces import DCAT, DCT
from dcat.parsing import parse_rdf_file
from tests.conftest import SHARED
from tests.harvesters.conftest import record_counts, run_source, source_settings
from tests.harvesters.recorded import RecordedServer, Route, catalog_pages
from tests.messages import both

PORTALS = SHARED / "fixtures/dcat/portals"
UDATA = SHARED / "fixtures/dcat/udata"
BREMEN_DATASETS = 153
ROSTOCK_PAGE_DATASETS = 100

pytestmark = pytest.mark.skipif(not PORTALS.is_dir(), reason=f"needs the fixtures in {PORTALS}")


def _bremen_graph():  # type: ignore[no-untyped-def]
    return parse_rdf_file(PORTALS / "bremen-catalog.rdf", base="https://www.transparenz.bremen.de/")


def _serve_bremen(server: RecordedServer, graph=None, legacy: bool = False) -> None:  # type: ignore[no-untyped-def]
    server.routes.clear()
    server.routes.update(
        catalog_pages(
            graph if graph is not None else _bremen_graph(),
            base_url=server.base_url,
            path="/bremen/catalog.ttl",
            page_size=60,
            legacy=legacy,
        )
    )


def _settings(tmp_path: Path, server: RecordedServer, path: str = "/bremen/catalog.ttl"):  # type: ignore[no-untyped-def]
    return source_settings(tmp_path, [{"name": "bremen", "type": "dcat", "url": server.url(path)}])


def _published(store: Store) -> set[str]:
    with store.reading() as session:
        return set(
            session.scalars(
                select(DatasetRecord.uri).where(DatasetRecord.status == RecordStatus.PUBLISHED)
            )
        )


def test_paged_catalog_is_harvested_whole_and_the_rerun_rewrites_nothing(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    _serve_bremen(server)
    settings = _settings(tmp_path, server)

    first = run_source(store, settings, "bremen")

    assert first.status in (JobStatus.DONE, JobStatus.DONE_WITH_ERRORS), both(first)
    assert first.counts.seen == BREMEN_DATASETS
    assert first.counts.new + first.counts.failed == BREMEN_DATASETS
    assert len(_published(store)) == BREMEN_DATASETS
    assert {"/bremen/catalog.ttl", "/bremen/catalog.ttl?page=2", "/bremen/catalog.ttl?page=3"} <= (
        set(server.requests)
    )
    before = record_counts(store)

    second = run_source(store, settings, "bremen")

    assert second.counts.new == 0
    assert second.counts.updated == 0
    assert second.counts.unchanged == first.counts.new
    assert second.counts.withdrawn == 0
    assert record_counts(store) == before  # not one revision written


def test_a_changed_record_is_updated_with_a_new_revision_and_a_vanished_one_withdrawn(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    graph = _bremen_graph()
    _serve_bremen(server, graph)
    settings = _settings(tmp_path, server)
    run_source(sqlite_store, settings, "bremen")
    datasets = sorted(str(node) for node in graph.subjects(DCAT.distribution, None))
    changed, vanished = URIRef(datasets[0]), URIRef(datasets[1])
    graph.set((changed, DCT.title, Literal("Geänderter Titel aus Bremen", lang="de")))
    graph.remove((vanished, None, None))
    _serve_bremen(server, graph)
    revisions_before = record_counts(sqlite_store)["revisions"]

    outcome = run_source(sqlite_store, settings, "bremen")

    assert outcome.counts.updated == 1
    assert outcome.counts.withdrawn == 1
    assert outcome.counts.new == 0
    assert record_counts(sqlite_store)["revisions"] == revisions_before + 2
    with sqlite_store.reading() as session:
        record = session.scalar(select(DatasetRecord).where(DatasetRecord.uri == str(changed)))
        gone = session.scalar(select(DatasetRecord).where(DatasetRecord.uri == str(vanished)))
    assert record is not None and record.title == "Geänderter Titel aus Bremen"
    assert gone is not None and gone.status == RecordStatus.WITHDRAWN


def test_a_paging_loop_stops_and_withdraws_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    _serve_bremen(server)
    settings = _settings(tmp_path, server)
    first = run_source(sqlite_store, settings, "bremen")
    looping = server.routes["/bremen/catalog.ttl?page=2"].body.replace(
        b"catalog.ttl?page=3", b"catalog.ttl?page=1"
    )
    server.routes["/bremen/catalog.ttl?page=2"] = Route(looping)
    server.requests.clear()

    outcome = run_source(sqlite_store, settings, "bremen")

    # The loop ends the gather without an error of its own: the only errors are the records
    # of Bremen's catalog that fail validation, as on the first run.
    assert outcome.status == first.status
    errors = job_errors(sqlite_store, outcome.job_id)
    assert errors and {error.stage for error in errors} == {"validate"}
    assert "nothing withdrawn" in both(outcome)
    assert outcome.counts.withdrawn == 0
    assert "/bremen/catalog.ttl?page=3" not in server.requests
    assert len(server.requests) <= 3  # page 1, page 2, and page 1 again at most once
    assert len(_published(sqlite_store)) == BREMEN_DATASETS


@pytest.mark.parametrize("failure", ["500", "timeout", "garbage", "reset"])
def test_a_source_failing_on_page_3_fails_the_job_and_keeps_every_record(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path, failure: str
) -> None:
    _serve_bremen(server)
    settings = _settings(tmp_path, server)
    run_source(sqlite_store, settings, "bremen")
    before = record_counts(sqlite_store)
    server.sleep_seconds = 2.5
    server.fail["/bremen/catalog.ttl?page=3"] = failure

    outcome = run_source(sqlite_store, settings, "bremen")

    assert outcome.status == JobStatus.FAILED
    assert "page=3" in both(outcome)
    assert outcome.counts.withdrawn == 0
    assert record_counts(sqlite_store) == before
    assert len(_published(sqlite_store)) == BREMEN_DATASETS


def test_the_legacy_paged_collection_of_rostock_is_followed(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    page = (PORTALS / "rostock-catalog-page1.rdf").read_bytes()
    page = page.replace(
        b"https://www.opendata-hro.de/catalog.rdf?page=", server.url("/catalog.rdf?page=").encode()
    )
    empty_page = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:dcat="http://www.w3.org/ns/dcat#"><dcat:Catalog rdf:about="'
        + server.url("/catalog.rdf").encode()
        + b'"/></rdf:RDF>'
    )
    server.routes["/catalog.rdf"] = Route(page, "application/rdf+xml")
    server.routes["/catalog.rdf?page=2"] = Route(empty_page, "application/rdf+xml")
    settings = _settings(tmp_path, server, "/catalog.rdf")

    outcome = run_source(sqlite_store, settings, "bremen")

    assert outcome.status in (JobStatus.DONE, JobStatus.DONE_WITH_ERRORS), both(outcome)
    assert outcome.counts.seen == ROSTOCK_PAGE_DATASETS
    assert "/catalog.rdf?page=2" in server.requests
    assert len(_published(sqlite_store)) == ROSTOCK_PAGE_DATASETS


@pytest.mark.parametrize("form", ["paged-collection", "partial-collection"])
def test_udata_collections_in_both_hydra_forms_are_followed(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path, form: str
) -> None:
    for number in (1, 2):
        body = (UDATA / f"{form}-{number}.jsonld").read_bytes()
        body = body.replace(
            b"http://data.test.org/catalog.jsonld", server.url("/catalog.jsonld").encode()
        )
        server.routes[f"/catalog.jsonld?page={number}"] = Route(body, "application/ld+json")
    settings = _settings(tmp_path, server, "/catalog.jsonld?page=1")

    outcome = run_source(sqlite_store, settings, "bremen")

    assert outcome.counts.seen == 4
    assert _published(sqlite_store) == {f"http://data.test.org/datasets/{n}" for n in range(1, 5)}
