"""The csw source: real ISO 19139 records (Berlin FIS-Broker, GeoNetwork) served by a CSW on
127.0.0.1, harvested page by page into a real SQLite catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal
from rdflib.compare import isomorphic
from sqlalchemy import select

from catalog.jobs import job_errors
from catalog.migrate import upgrade_database
from catalog.models import DatasetRecord, JobStatus, RecordStatus, ValidationState
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.store import Store, open_store
from dcat.iso19139 import CRS84
from dcat.namespaces import DCAT, DCT, GSP
from dcat.parsing import parse_rdf
from harvesters.background import probe_source
from harvesters.csw import CswHarvester, CswOptions, get_records_url
from tests.dcat.official_judge import judge
from tests.harvesters.conftest import run_source, source_settings
from tests.harvesters.csw_pages import (
    CSW_FIXTURES,
    paged_handler,
    recorded_pages_handler,
    records_in,
)
from tests.harvesters.recorded import RecordedServer, Route
from tests.messages import both
from tests.servers import served_catalog

BERLIN = CSW_FIXTURES / "berlin-fisbroker"
GEONETWORK = CSW_FIXTURES / "geonetwork"
# The Berlin variants of one WFS record (each missing one fact), given ids of their own.
VARIANTS = (
    "wfs-open-data",
    "wfs-closed-data",
    "wfs-no-email",
    "wfs-no-license",
    "wfs-no-org-name",
    "wfs-no-preview_1",
    "wfs-no-release-date",
    "wfs-no-responsible-party",
)


def berlin_records() -> list[bytes]:
    records = [records_in(BERLIN / f"{name}.xml", identifier=name)[0] for name in VARIANTS]
    records += records_in(BERLIN / "dataset-open-data.xml")
    records += records_in(BERLIN / "csw_getrecords_01.xml")
    return records


def _settings(tmp_path: Path, url: str | None = None, path: str | None = None, **options: Any):  # type: ignore[no-untyped-def]
    source: dict[str, Any] = {"name": "geodaten", "type": "csw", "options": options}
    source.update({"url": url} if url else {"path": path})
    return source_settings(tmp_path, [source])


def _records(store: Store) -> dict[str, DatasetRecord]:
    with store.reading() as session:
        return {r.remote_id: r for r in session.scalars(select(DatasetRecord)) if r.remote_id}


def _messages(store: Store, job_id: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in job_errors(store, job_id):
        found.setdefault(error.record_key.split(" ", 1)[0], []).append(both(error))
    return found


@pytest.fixture
def berlin(server: RecordedServer, sqlite_store: Store, tmp_path: Path) -> tuple[Store, Any, int]:
    server.handlers["/csw"] = paged_handler(berlin_records())
    settings = _settings(tmp_path, server.url("/csw"), page_size=4)
    outcome = run_source(sqlite_store, settings, "geodaten")
    return sqlite_store, outcome, len(berlin_records())


def test_each_berlin_record_is_published_held_back_or_refused_with_its_reason(
    berlin: tuple[Store, Any, int],
) -> None:
    store, outcome, total = berlin
    assert outcome.status == JobStatus.DONE_WITH_ERRORS, both(outcome)
    records = _records(store)
    messages = _messages(store, outcome.job_id)
    published = {
        key
        for key, record in records.items()
        if record.status == RecordStatus.PUBLISHED
        and record.validation_state != ValidationState.INVALID
    }
    assert published == {
        "wfs-open-data",
        "wfs-closed-data",  # a licence, though no "opendata" keyword: the keyword filters
        "wfs-no-email",
        "wfs-no-license",  # the JSON is missing; the licence text names dl-de/by-2-0
        "wfs-no-org-name",
        "wfs-no-preview_1",
        "wfs-no-release-date",
        # No responsible party: normalisation names the source's organisation as publisher.
        "wfs-no-responsible-party",
        "51022e98-12ab-47dd-897e-5d24136679d1",
        "f2a8a483-74b9-3c7d-9b40-113c60a55c9e",
        "8a7ea996-7955-4fbb-8980-7be09be6f193",
    }
    assert any("gmd:CI_ResponsibleParty" in m for m in messages["wfs-no-responsible-party"])
    # "Nutzungsbedingungen noch nicht abschließend formuliert": no open licence, not stored.
    assert "aac23975-94e4-3707-96fa-e447e43d6013" not in records
    (closed,) = messages["aac23975-94e4-3707-96fa-e447e43d6013"]
    assert "no open licence" in closed and "gmd:resourceConstraints" in closed
    assert outcome.counts.held_back == 1
    assert outcome.counts.refused == 0
    assert outcome.counts.new == total - 1 == len(published)
    # Warnings name the ISO element the steward should fix.
    assert any("gmd:electronicMailAddress" in m for m in messages["wfs-no-email"])
    assert any("gmd:date (publication)" in m for m in messages["wfs-no-release-date"])


def test_geodata_records_pass_the_official_shapes_and_carry_a_crs84_bbox(
    berlin: tuple[Store, Any, int],
) -> None:
    store, _outcome, _ = berlin
    graphs = {
        key: parse_rdf(record.graph, content_type="application/n-triples")
        for key, record in _records(store).items()
        if record.validation_state != ValidationState.INVALID
    }
    assert len(graphs) == 11
    assert judge(list(graphs.values())) == []
    for key, graph in graphs.items():
        boxes = [
            box
            for place in graph.objects(None, DCT.spatial)
            for box in graph.objects(place, DCAT.bbox)
        ]
        assert len(boxes) == 1, key
        (box,) = boxes
        assert isinstance(box, Literal) and box.datatype == GSP.wktLiteral
        assert str(box).startswith(f"<{CRS84}> POLYGON((")
        numbers = [
            float(n) for n in str(box).split("POLYGON", 1)[1].strip("()").replace(",", " ").split()
        ]
        longitudes, latitudes = numbers[0::2], numbers[1::2]
        assert all(12.9 < x < 13.9 for x in longitudes), key  # Berlin: lon first
        assert all(52.2 < y < 52.8 for y in latitudes), key


def test_service_record_becomes_a_data_service_serving_its_dataset(
    berlin: tuple[Store, Any, int],
) -> None:
    store, _outcome, _ = berlin
    record = _records(store)["wfs-open-data"]
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    (service,) = graph.subjects(DCAT.servesDataset, None)
    assert (service, DCT.conformsTo, None) in graph
    assert str(graph.value(service, DCAT.endpointURL)).endswith("/s01_11_07naehr2015")
    dataset = graph.value(service, DCAT.servesDataset)
    assert str(dataset) == record.uri
    assert (None, DCAT.accessService, service) in graph
    related = {str(o) for o in graph.objects(dataset, DCT.relation)}
    assert (
        "https://registry.gdi-de.org/id/de.be.csw/bb492d1f-c806-349a-a998-bc491ad22e07" in related
    )


def test_geonetwork_pages_are_followed_along_next_record(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    pages = {n: (GEONETWORK / f"geonetwork-iso19139-page-{n}.xml").read_bytes() for n in (1, 3, 5)}
    server.handlers["/csw"] = recorded_pages_handler(pages)
    settings = _settings(tmp_path, server.url("/csw"), page_size=2, open_licence_required=False)
    outcome = run_source(sqlite_store, settings, "geodaten")
    assert outcome.status == JobStatus.DONE, both(outcome)
    starts = [r.split("startPosition=")[1].split("&")[0] for r in server.requests]
    assert starts == ["1", "3", "5"]
    assert len(_records(sqlite_store)) == 6
    messages = [m for ms in _messages(sqlite_store, outcome.job_id).values() for m in ms]
    assert any("westBoundLongitude" in m for m in messages)  # the exchanged bounds


def test_geonetwork_records_without_an_open_licence_are_held_back(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    pages = {n: (GEONETWORK / f"geonetwork-iso19139-page-{n}.xml").read_bytes() for n in (1, 3, 5)}
    server.handlers["/csw"] = recorded_pages_handler(pages)
    outcome = run_source(
        sqlite_store, _settings(tmp_path, server.url("/csw"), page_size=2), "geodaten"
    )
    assert outcome.status == JobStatus.DONE_WITH_ERRORS
    assert outcome.counts.held_back == 6 and outcome.counts.new == 0
    assert _records(sqlite_store) == {}


def test_vanished_record_is_withdrawn_only_after_a_complete_gather(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    records = berlin_records()
    server.handlers["/csw"] = paged_handler(records)
    settings = _settings(tmp_path, server.url("/csw"), page_size=4)
    run_source(sqlite_store, settings, "geodaten")
    gone = "wfs-no-email"
    remaining = [r for r in records if f">{gone}<".encode() not in r]
    assert len(remaining) == len(records) - 1

    # An incomplete read: the source announces one record more than it delivers.
    def short_handler(query: str, body: bytes):  # type: ignore[no-untyped-def]
        route = paged_handler(remaining)(query, body)
        route.body = route.body.replace(
            f'numberOfRecordsMatched="{len(remaining)}"'.encode(),
            f'numberOfRecordsMatched="{len(records)}"'.encode(),
        )
        return route

    server.handlers["/csw"] = short_handler
    incomplete = run_source(sqlite_store, settings, "geodaten")
    assert "nothing withdrawn" in both(incomplete)
    assert _records(sqlite_store)[gone].status == RecordStatus.PUBLISHED

    server.handlers["/csw"] = paged_handler(remaining)
    complete = run_source(sqlite_store, settings, "geodaten")
    assert both(complete) == "" and complete.counts.withdrawn == 1
    assert _records(sqlite_store)[gone].status == RecordStatus.WITHDRAWN


def test_page_limit_makes_the_gather_incomplete(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    server.handlers["/csw"] = paged_handler(berlin_records())
    config = {
        "name": "geodaten",
        "type": "csw",
        "url": server.url("/csw"),
        "options": {"page_size": 2},
    }
    settings = source_settings(tmp_path, [config], max_pages=2)
    outcome = run_source(sqlite_store, settings, "geodaten")
    assert "page limit" in both(outcome) and "nothing withdrawn" in both(outcome)


def test_csw_exception_report_fails_the_job(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    server.routes["/csw"] = Route((BERLIN / "missing_id.xml").read_bytes(), "application/xml")
    outcome = run_source(sqlite_store, _settings(tmp_path, server.url("/csw")), "geodaten")
    assert outcome.status == JobStatus.FAILED
    assert "missing parameter Id" in both(outcome)


def test_a_folder_of_records_with_a_keyword_constraint(sqlite_store: Store, tmp_path: Path) -> None:
    settings = _settings(tmp_path, path=str(BERLIN), constraint="opendata")
    outcome = run_source(sqlite_store, settings, "geodaten")
    records = _records(sqlite_store)
    # The closed-data variant lacks the keyword; the other files share its identifier, so the
    # runner reports the repeats and keeps the first.
    assert "51022e98-12ab-47dd-897e-5d24136679d1" in records
    assert "aac23975-94e4-3707-96fa-e447e43d6013" not in records
    assert outcome.counts.new >= 4


def test_keyword_constraint_becomes_an_ogc_filter_and_cql_stays_cql() -> None:
    keyword = get_records_url("https://geo.example/csw", 1, 100, "opendata")
    assert "constraintLanguage=FILTER" in keyword and "apiso%3ASubject" in keyword
    assert "outputSchema=http%3A%2F%2Fwww.isotc211.org%2F2005%2Fgmd" in keyword
    cql = get_records_url("https://geo.example/csw", 101, 100, "AnyText LIKE '%Boden%'")
    assert "constraintLanguage=CQL_TEXT" in cql and "startPosition=101" in cql


def test_options_refuse_unknown_keys() -> None:
    with pytest.raises(ValueError):
        CswOptions(page_size=100, keyword="opendata")  # type: ignore[call-arg]
    assert CswHarvester.type_name == "csw"


def test_round_trip_our_dcat_endpoint_serves_geodata_our_dcat_harvester_reads_it_back(
    berlin: tuple[Store, Any, int], server: RecordedServer, tmp_path: Path
) -> None:
    store, _outcome, _ = berlin
    settings = _settings(tmp_path, server.url("/csw"))
    originals = {
        record.uri: parse_rdf(record.graph, content_type="application/n-triples")
        for record in _records(store).values()
        if record.validation_state != ValidationState.INVALID
    }
    # One page: the served catalog's hydra:next links would carry its configured base_url.
    with served_catalog(settings, store) as address:
        copy_settings = source_settings(
            tmp_path / "copy",
            [{"name": "stadt", "type": "dcat", "url": f"{address}/catalog.ttl?page_size=100"}],
        )
        copy_store = open_store(copy_settings.database_url)
        try:
            upgrade_database(copy_store)
            outcome = run_source(copy_store, copy_settings, "stadt")
            with copy_store.reading() as session:
                copies = {
                    r.uri: parse_rdf(r.graph, content_type="application/n-triples")
                    for r in session.scalars(select(DatasetRecord))
                }
        finally:
            copy_store.close()
    assert outcome.status == JobStatus.DONE, both(outcome)
    assert set(copies) == set(originals)
    differing = [uri for uri, graph in originals.items() if not isomorphic(graph, copies[uri])]
    assert not differing
    # ckanext-dcat-style consumers see spatial and licence in what the endpoint serves.
    sample = copies[_records(store)["wfs-open-data"].uri]
    assert (None, DCAT.bbox, None) in sample and (None, DCT.license, None) in sample


def test_connection_test_reads_the_first_record(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    server.handlers["/csw"] = paged_handler(berlin_records())
    settings = _settings(tmp_path, server.url("/csw"), page_size=4)
    sync_organizations(sqlite_store, settings.organizations)
    sync_sources(sqlite_store, settings.sources)
    source = get_source_by_name(sqlite_store, "geodaten")
    assert source is not None
    result = probe_source(sqlite_store, settings, source)
    assert result.outcome == "ok", result.detail
    assert result.record_key.startswith("wfs-open-data")
    assert result.record_title == "Nährstoffversorgung des Oberbodens 2015 (Umweltatlas)"
    assert len(server.requests) == 1  # one GetRecords page, nothing more
