"""The `ckan` source through ckanapi against a real HTTP server answering package_search and
package_show with real package dicts from the ckan/ fixtures, and from dump files."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from catalog.jobs import job_errors
from catalog.models import JobStatus
from catalog.store import Store
from tests.conftest import REPO, SHARED
from tests.harvesters.conftest import record_counts, run_source, source_settings
from tests.harvesters.recorded import RecordedServer, ckan_action_handlers
from tests.messages import both

CKAN = SHARED / "fixtures/ckan"
PACKAGE_FILES = [
    "ckanext-dcat-examples/ckan_dataset.json",
    "ckanext-dcat-examples/ckan_dataset_multilingual.json",
    "ckanext-dcat-examples/ckan_full_dataset_dcat_ap.json",
    "ckanext-dcat-examples/ckan_full_dataset_dcat_ap_legacy.json",
    "ckanext-dcat-examples/ckan_full_dataset_dcat_ap_vocabularies.json",
    "ckanext-dcat-examples/full_ckan_dataset_legacy.json",
    "opendata-swiss/dataset.json",
    "transportdata-be/cambio-belgium-public.json",
    "udata/dkan-french-w-license.json",
]
DEMO_DUMP = REPO / "catalog/demo/umweltamt-ckan.jsonl"

pytestmark = pytest.mark.skipif(not CKAN.is_dir(), reason=f"needs the fixtures in {CKAN}")


def real_packages() -> list[dict[str, Any]]:
    """The fixture packages as a portal would list them: each with an id and a change time."""
    packages = []
    names: set[str] = set()
    for number, name in enumerate(PACKAGE_FILES):
        data = json.loads((CKAN / name).read_text(encoding="utf-8"))
        result = data.get("result", data) if isinstance(data, dict) else data
        package = result[0] if isinstance(result, list) else result  # a search result list
        package.setdefault("name", Path(name).stem.replace("_", "-"))
        if package["name"] in names:  # ckanext-dcat's variants of one example share name and id
            package["name"] = Path(name).stem.replace("_", "-")
            package["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, package["name"]))
        names.add(package["name"])
        package.setdefault("id", str(uuid.uuid5(uuid.NAMESPACE_URL, package["name"])))
        package.setdefault("metadata_modified", f"2024-01-{number + 1:02d}T08:00:00.000000")
        packages.append(package)
    return packages


def _serve(server: RecordedServer, packages: list[dict[str, Any]]) -> None:
    server.handlers.clear()
    server.handlers.update(ckan_action_handlers(packages))


def _settings(tmp_path: Path, server: RecordedServer, **options: Any):  # type: ignore[no-untyped-def]
    source = {"name": "portal", "type": "ckan", "url": server.base_url, "options": options}
    return source_settings(tmp_path, [source])


def test_portal_is_harvested_and_the_changed_only_rerun_rewrites_nothing(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    _serve(server, packages)
    settings = _settings(tmp_path, server)

    first = run_source(store, settings, "portal")

    assert first.counts.seen == len(PACKAGE_FILES)
    assert first.counts.new + first.counts.failed == len(PACKAGE_FILES)
    assert first.counts.new >= 6
    assert len(job_errors(store, first.job_id)) == first.counts.failed
    before = record_counts(store)

    second = run_source(store, settings, "portal")

    assert second.counts.new == 0 and second.counts.updated == 0
    assert second.counts.unchanged == first.counts.new
    assert record_counts(store) == before
    searches = [path for path in server.requests if "package_search" in path]
    assert any("metadata_modified" in path for path in searches)  # changed-only asked for


def test_changed_and_vanished_packages(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    _serve(server, packages)
    settings = _settings(tmp_path, server)
    run_source(sqlite_store, settings, "portal")
    changed = next(p for p in packages if "cambio" in p["name"])
    changed["title"] = "Geänderter Titel"
    changed["metadata_modified"] = "2099-01-01T00:00:00.000000"
    vanished = packages.pop(0)

    outcome = run_source(sqlite_store, settings, "portal")

    assert outcome.counts.updated == 1
    assert outcome.counts.withdrawn == 1, both(outcome)
    assert vanished["id"] not in {p["id"] for p in packages}


def test_a_mass_vanishing_withdraws_nothing_without_force(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    _serve(server, packages)
    settings = _settings(tmp_path, server)
    run_source(sqlite_store, settings, "portal")
    stored = record_counts(sqlite_store)["published"]
    _serve(server, packages[:1])

    careful = run_source(sqlite_store, settings, "portal")
    assert careful.counts.withdrawn == 0
    assert "--force" in both(careful)
    assert record_counts(sqlite_store)["published"] == stored

    forced = run_source(sqlite_store, settings, "portal", force=True)
    remaining = record_counts(sqlite_store)["published"]
    assert remaining <= 1
    assert forced.counts.withdrawn == stored - remaining


def test_organisation_filter_narrows_the_source(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    with_org = [p for p in packages if (p.get("organization") or {}).get("name")]
    assert with_org, "the fixtures contain packages with an organisation"
    wanted = with_org[0]["organization"]["name"]
    _serve(server, packages)

    outcome = run_source(sqlite_store, _settings(tmp_path, server, organization=wanted), "portal")

    expected = [p for p in packages if (p.get("organization") or {}).get("name") == wanted]
    assert outcome.counts.seen == len(expected)


def test_portal_failing_fails_the_job_and_keeps_records(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    _serve(server, packages)
    settings = _settings(tmp_path, server)
    run_source(sqlite_store, settings, "portal")
    before = record_counts(sqlite_store)
    server.fail["/api/3/action/package_search"] = "500"
    server.fail["/api/action/package_search"] = "500"

    outcome = run_source(sqlite_store, settings, "portal")

    assert outcome.status == JobStatus.FAILED
    assert outcome.counts.withdrawn == 0
    assert record_counts(sqlite_store) == before


def test_dump_file_records_fail_alone(sqlite_store: Store, tmp_path: Path) -> None:
    lines = DEMO_DUMP.read_text(encoding="utf-8").splitlines()
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join([lines[0], "{kein json", lines[1], "[1, 2]"]) + "\n", "utf-8")
    settings = source_settings(tmp_path, [{"name": "dump", "type": "ckan", "path": str(dump)}])

    outcome = run_source(sqlite_store, settings, "dump")

    assert outcome.status == JobStatus.DONE_WITH_ERRORS
    assert outcome.counts.seen == 4
    messages = [both(error) for error in job_errors(sqlite_store, outcome.job_id)]
    assert any("Zeile 2" in message and "JSON" in message for message in messages)
    assert any("Zeile 4" in message for message in messages)
