"""The CKAN Action API read side, driven by the real clients: ckanapi's RemoteCKAN and the
`ckanapi dump datasets --all` command, against the app served on 127.0.0.1 with the demo data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
import requests
from sqlalchemy import select

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.settings import Settings
from catalog.store import Store
from tests.servers import served
from web import create_app


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    """The app on a real HTTP server, as a CKAN client meets it."""
    settings, store = demo
    with served(create_app(settings, store=store)) as address:
        yield address


def _public_records(store: Store) -> dict[str, DatasetRecord]:
    with store.reading() as session:
        records = session.scalars(
            select(DatasetRecord).where(
                DatasetRecord.status == RecordStatus.PUBLISHED,
                DatasetRecord.validation_state.in_(
                    [ValidationState.VALID, ValidationState.WARNINGS]
                ),
            )
        )
        return {record.name: record for record in records}


def test_remote_ckan_lists_and_shows_every_public_dataset(
    portal: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    public = _public_records(store)
    client = ckanapi.RemoteCKAN(portal)

    names = client.action.package_list()

    assert sorted(names) == sorted(public)
    for name in names:
        package = client.action.package_show(id=name)
        record = public[name]
        assert package["name"] == name and package["id"] == record.id
        assert package["title"] == record.title
        assert package["organization"]["id"] == record.organization_id
        extras = {extra["key"]: extra["value"] for extra in package["extras"]}
        assert extras["uri"] == record.uri
        assert all(resource["url"] for resource in package["resources"])
    assert client.action.package_show(id=next(iter(public.values())).id)["name"] in public


def test_paging_organisations_groups_licences_and_status(
    portal: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    public = _public_records(store)
    client = ckanapi.RemoteCKAN(portal)

    pages = [client.action.package_list(limit=20, offset=offset) for offset in (0, 20, 40, 60)]
    assert [name for page in pages for name in page] == sorted(public)
    organizations = client.action.organization_list(all_fields=True)
    assert {org["name"] for org in organizations} == {"umweltamt", "tiefbauamt", "statistikstelle"}
    assert sum(org["package_count"] for org in organizations) == len(public)
    shown = client.action.organization_show(id="tiefbauamt")
    assert shown["title"] == "Tiefbau- und Verkehrsamt"
    assert "envi" in client.action.group_list()
    licences = {licence["id"] for licence in client.action.license_list()}
    assert "http://dcat-ap.de/def/licenses/dl-by-de/2.0" in licences
    assert client.action.status_show()["ckan_version"].startswith("2.")
    recent = client.action.current_package_list_with_resources(limit=5)
    assert len(recent) == 5 and all("resources" in package for package in recent)


def test_ckan_errors_reach_the_client_as_ckan_errors(portal: str) -> None:
    client = ckanapi.RemoteCKAN(portal)
    with pytest.raises(ckanapi.NotFound):
        client.action.package_show(id="gibt-es-nicht")
    with pytest.raises(ckanapi.NotFound):
        client.action.organization_show(id="gibt-es-nicht")
    with pytest.raises(ckanapi.ValidationError):
        client.action.package_list(limit="viele")
    with pytest.raises(ckanapi.CKANAPIError):
        client.call_action("gibt_es_nicht")


def test_get_requests_and_extra_keys_work_as_in_ckan(
    portal: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    client = ckanapi.RemoteCKAN(portal, get_only=True)
    name = sorted(_public_records(store))[0]
    package = client.call_action("package_show", {"id": name, "include_tracking": True})
    assert package["name"] == name


def test_ckanapi_dump_datasets_all_dumps_every_public_dataset(
    portal: str, demo: tuple[Settings, Store], tmp_path: Path
) -> None:
    _, store = demo
    output = tmp_path / "dump.jsonl"
    scripts = Path(sys.executable).parent
    # ckanapi starts its worker processes as `ckanapi` from PATH.
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [str(scripts / "ckanapi"), "dump", "datasets", "--all", "-r", portal, "-O", str(output)],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    dumped = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted(package["name"] for package in dumped) == sorted(_public_records(store))


def test_an_unknown_token_reads_as_anonymous_as_in_ckan(
    portal: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    client = ckanapi.RemoteCKAN(portal, apikey="sk_gibt-es-nicht")
    assert sorted(client.action.package_list()) == sorted(_public_records(store))
    with pytest.raises(ckanapi.NotAuthorized):
        client.action.package_delete(id=sorted(_public_records(store))[0])


def test_error_objects_have_ckans_shape(portal: str) -> None:
    missing = requests.get(f"{portal}/api/3/action/package_show", timeout=30)
    assert missing.status_code == 409
    assert missing.json()["error"] == {
        "__type": "Validation Error",
        "id": ["Missing value"],
    }
    unknown = requests.get(f"{portal}/api/action/package_show?id=gibt-es-nicht", timeout=30)
    assert unknown.status_code == 404 and unknown.json()["error"]["__type"] == "Not Found Error"
    assert unknown.headers["Access-Control-Allow-Origin"] == "*"
    action = requests.post(f"{portal}/api/3/action/gibt_es_nicht", json={}, timeout=30)
    assert action.status_code == 400 and action.json()["success"] is False
