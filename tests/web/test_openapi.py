"""The API's description: one table for every action (web.ckan.actions), served as OpenAPI 3.1 at
/api/openapi.json and as a page for people at /api, whose examples run as they are written."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from catalog.settings import Settings
from catalog.store import Store
from tests.servers import served
from web import create_app
from web.ckan.actions import ACTION_SPECS, ACTIONS, READ, SEARCH
from web.ckan.openapi import ckanapi_example

RECORDED = Path(__file__).resolve().parents[1] / "data" / "web" / "openapi.json"


def test_every_action_is_described_and_every_description_is_an_action() -> None:
    described = [spec.name for spec in ACTION_SPECS]
    assert len(described) == len(set(described))
    assert set(described) == set(ACTIONS)


def test_the_openapi_document_has_both_methods_of_every_action_and_marks_token_actions(
    client: FlaskClient,
) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://catalog.test"}]
    paths = document["paths"]
    assert set(paths) == {f"/api/3/action/{name}" for name in ACTIONS} | {"/api/changes"}
    for spec in ACTION_SPECS:
        operations = paths[f"/api/3/action/{spec.name}"]
        assert set(operations) == {"get", "post"}
        for operation in operations.values():
            assert ("security" in operation) is spec.token, spec.name
            assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
        query = {p["name"] for p in operations["get"]["parameters"]}
        assert query == {p.name for p in spec.parameters}
    assert {"package_create", "package_patch", "package_delete"} <= {
        s.name for s in ACTION_SPECS if s.token
    }
    schemes = document["components"]["securitySchemes"]
    assert {s["name"] for s in schemes.values()} == {"Authorization", "X-CKAN-API-Key"}


def test_the_openapi_document_is_the_recorded_one(client: FlaskClient) -> None:
    """Recorded before each action's spec moved beside its function in the action table; a
    deliberate change to an action's description updates tests/data/web/openapi.json with it."""
    document = client.get("/api/openapi.json").get_json()
    assert document == json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_api_page_lists_every_action_with_examples_and_needs_no_javascript(
    client: FlaskClient,
) -> None:
    response = client.get("/api")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script" not in page.lower()
    assert 'class="site-header"' in page  # in the catalog's layout
    for name in ACTIONS:
        assert f'id="action-{name}"' in page
    # and the change feed's and the DCAT profiles' examples
    assert page.count("<code>curl ") == len(ACTIONS) + 2
    assert page.count("<code>ckanapi action") == len(ACTIONS)
    assert "/api/openapi.json" in page


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = demo
    with served(create_app(settings, store=store)) as address:
        yield address


def test_the_ckanapi_examples_of_the_read_actions_run_against_the_demo(portal: str) -> None:
    scripts = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    examples = [spec for spec in ACTION_SPECS if spec.group in (READ, SEARCH) and spec.example]
    assert len(examples) >= 6
    for spec in examples:
        command = shlex.split(ckanapi_example(spec, portal))
        done = subprocess.run(
            [str(scripts / "ckanapi"), *command[1:]],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
        assert done.returncode == 0, (spec.name, done.stderr)
        assert json.loads(done.stdout) not in (None, [], {}), spec.name
