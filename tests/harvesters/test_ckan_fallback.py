"""The `ckan` source on portals without package_search: real DKAN 7 answers (tests/data/real/
dkan-*) and a CKAN that lists with current_package_list_with_resources, on a real server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from catalog.jobs import job_errors
from catalog.models import DatasetRecord, JobStatus
from catalog.store import Store
from harvesters import ckan_portal
from harvesters.base import HarvestContext, RemoteRecord
from harvesters.ckan import CkanHarvester
from harvesters.http import HttpPolicy, session_for
from tests.conftest import REPO
from tests.harvesters.conftest import record_counts, run_source, source_settings
from tests.harvesters.recorded import RecordedServer, Route, dkan_handlers
from tests.harvesters.test_ckan_source import CKAN, real_packages
from tests.messages import both

REAL = REPO / "tests/data/real"
DKAN_DEMO = REAL / "dkan-demo"
HAUTS_DE_FRANCE = REAL / "dkan-hautsdefrance"
JSON = "application/json; charset=utf-8"

Handler = Callable[[str, bytes], Route]


def _asked(query: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(query).items()}


def ckan_without_search(packages: list[dict[str, Any]]) -> dict[str, Handler]:
    """A CKAN whose package_search is switched off: 400 "Action name not known" as CKAN
    answers an action it does not have; current_package_list_with_resources pages by
    limit and offset, newest change first."""

    def not_known(query: str, body: bytes) -> Route:
        error = {"message": "Bad request - Action name not known: package_search"}
        envelope = {"help": "http://ckan.test/api/3/action/help_show", "success": False}
        return Route(json.dumps({**envelope, "error": error}).encode(), JSON, 400)

    def current_list(query: str, body: bytes) -> Route:
        asked = _asked(query)
        offset, limit = int(asked.get("offset", 0)), int(asked.get("limit", len(packages)))
        newest = sorted(packages, key=lambda p: str(p["metadata_modified"]), reverse=True)
        page = newest[offset : offset + limit]
        return Route(json.dumps({"help": "", "success": True, "result": page}).encode(), JSON)

    return {
        "/api/3/action/package_search": not_known,
        "/api/3/action/current_package_list_with_resources": current_list,
    }


def dkan_package_ids(folder: Path) -> set[str]:
    ids = set()
    for recorded in (folder / "package_show").glob("*.json"):
        result = json.loads(recorded.read_bytes())["result"]
        ids.add((result[0] if isinstance(result, list) else result)["id"])
    return ids


def stored_keys(store: Store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(DatasetRecord.remote_id)))


def serve(server: RecordedServer, handlers: dict[str, Handler]) -> None:
    server.handlers.clear()
    server.handlers.update(handlers)


def settings_for(tmp_path: Path, server: RecordedServer, **options: Any):  # type: ignore[no-untyped-def]
    source = {"name": "portal", "type": "ckan", "url": server.base_url, "options": options}
    return source_settings(tmp_path, [source])


def gather_directly(server: RecordedServer, **options: Any) -> tuple[list[RemoteRecord], Any]:
    """One gather outside the runner, to see what the harvester notes."""
    policy = HttpPolicy(allow_private_networks=True, retries=0, read_timeout=2.0)
    context = HarvestContext(base_url="http://katalog.test", http=session_for(policy))
    context.options.update(options)
    harvester = CkanHarvester(server.base_url, None, context)
    return list(harvester.gather()), harvester


def test_dkan_portal_without_package_search_is_harvested_package_by_package(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    serve(server, dkan_handlers(DKAN_DEMO))

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    assert outcome.status != JobStatus.FAILED, both(outcome)
    assert outcome.counts.refused == 0, [both(error) for error in outcome.errors]
    assert stored_keys(sqlite_store) == dkan_package_ids(DKAN_DEMO)
    listed = json.loads((DKAN_DEMO / "package_list.json").read_bytes())["result"]
    shown = [path for path in server.requests if "package_show" in path]
    assert sorted(shown) == sorted(f"/api/3/action/package_show?id={name}" for name in listed)


def test_note_names_the_api_used_and_what_the_portal_answered_instead(
    server: RecordedServer,
) -> None:
    serve(server, dkan_handlers(DKAN_DEMO))

    records, harvester = gather_directly(server)

    assert len(records) == 4
    (note,) = harvester.notes
    assert "package_search (HTTP 404, HTML)" in note.de
    assert "current_package_list_with_resources (HTTP 404, HTML)" in note.de
    assert "package_list + package_show verwendet" in note.de
    assert harvester.complete
    assert "package_list + package_show used" in note.en


def test_dkan_package_show_answering_a_list_of_one_package_is_read(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    name = "antennes-regionales-de-la-region-hauts-de-france-au-01102019-0"
    serve(server, dkan_handlers(HAUTS_DE_FRANCE, names=[name]))

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    assert outcome.counts.refused == 0, [both(error) for error in outcome.errors]
    assert stored_keys(sqlite_store) == {"04be6288-696d-4331-850d-a144871a7e3a"}


@pytest.mark.skipif(not CKAN.is_dir(), reason=f"needs the fixtures in {CKAN}")
def test_ckan_without_package_search_is_read_by_current_package_list_in_pages(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ckan_portal, "LIST_PAGE", 4)
    packages = real_packages()
    serve(server, ckan_without_search(packages))

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    assert outcome.counts.seen == len(packages)
    assert stored_keys(sqlite_store) <= {p["id"] for p in packages}
    assert len(stored_keys(sqlite_store)) == outcome.counts.seen - outcome.counts.refused
    offsets = {
        _asked(path.partition("?")[2]).get("offset")
        for path in server.requests
        if "current_package_list_with_resources" in path and "limit=4" in path
    }
    assert offsets == {"0", "4", "8"}
    assert not any("package_show" in path for path in server.requests)
    _, harvester = gather_directly(server)
    assert "current_package_list_with_resources verwendet" in harvester.notes[0].de
    assert "Action name not known" in harvester.notes[0].de


@pytest.mark.skipif(not CKAN.is_dir(), reason=f"needs the fixtures in {CKAN}")
def test_organisation_is_matched_client_side_without_package_search(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    wanted = next(p["organization"]["name"] for p in packages if p.get("organization"))
    expected = [p for p in packages if (p.get("organization") or {}).get("name") == wanted]
    assert 0 < len(expected) < len(packages)
    serve(server, ckan_without_search(packages))

    outcome = run_source(
        sqlite_store, settings_for(tmp_path, server, organization=wanted), "portal"
    )

    assert outcome.counts.seen == len(expected)


def test_a_failing_package_show_fails_only_its_record_and_withdraws_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    serve(server, dkan_handlers(DKAN_DEMO))
    settings = settings_for(tmp_path, server)
    run_source(sqlite_store, settings, "portal")
    before = record_counts(sqlite_store)
    server.fail["/api/3/action/package_show?id=wisconsin-polling-places-test"] = "500"

    outcome = run_source(sqlite_store, settings, "portal")

    assert outcome.status == JobStatus.DONE_WITH_ERRORS
    assert outcome.counts.unchanged == 3
    assert outcome.counts.refused == 1
    assert outcome.counts.withdrawn == 0
    (error,) = job_errors(sqlite_store, outcome.job_id)
    assert "wisconsin-polling-places-test" in both(error) and "HTTP 500" in both(error)
    assert "package_show für 1 Datensätze gescheitert" in both(outcome)
    assert record_counts(sqlite_store) == before


def test_a_failing_package_list_fails_the_job_and_withdraws_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    serve(server, dkan_handlers(DKAN_DEMO))
    settings = settings_for(tmp_path, server)
    run_source(sqlite_store, settings, "portal")
    before = record_counts(sqlite_store)
    server.fail["/api/3/action/package_list"] = "500"

    outcome = run_source(sqlite_store, settings, "portal")

    assert outcome.status == JobStatus.FAILED
    assert "package_list" in both(outcome)
    assert outcome.counts.withdrawn == 0
    assert record_counts(sqlite_store) == before


def test_a_solr_filter_without_package_search_fails_the_job_instead_of_taking_everything(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    serve(server, dkan_handlers(DKAN_DEMO))

    outcome = run_source(sqlite_store, settings_for(tmp_path, server, fq="tags:election"), "portal")

    assert outcome.status == JobStatus.FAILED
    assert "fq" in both(outcome) and "package_search" in both(outcome)
    assert not any("package_show" in path for path in server.requests)
    assert stored_keys(sqlite_store) == set()
