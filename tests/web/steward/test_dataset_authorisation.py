"""Every write route of the dataset pages, tried anonymously, by stewards of another
organisation and on a harvested record: refused, and the database as it was. Form posts
without a CSRF token, or with a wrong one, get 400."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.editing import Editing
from catalog.models import RecordStatus
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.dataset_support import (
    CSV,
    DL_BY,
    dataset_app,
    dataset_store,
    db_state,
    harvested_record,
    record_from_turtle,
    rights_of,
)
from tests.web.steward.steward_support import client_for, csrf_token, page_text

__all__ = ["dataset_app", "dataset_store"]  # fixtures used by the tests below

TURTLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<{node}> a dcat:Dataset ; dct:title "Lärmkarte"@de ; dct:description "Straßenlärm."@de ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://umwelt.example/laerm> ] .
"""
FORM = {
    "title_de": "Lärmkarte 2025",
    "description_de": "Straßenlärm tags und nachts.",
    "licence": DL_BY,
    "whole_city": "y",
    "distributions-0-origin": "0",
    "distributions-0-access_url": "https://umwelt.example/laerm",
    "distributions-0-format": CSV,
}
RESTORE_REVISION = "/revisionen/1/wiederherstellen"


def _write_routes(name: str) -> list[tuple[str, dict[str, Any]]]:
    record = f"/verwaltung/datensaetze/{name}"
    return [
        ("/verwaltung/datensaetze/neu?organization=umweltamt", {**FORM, "step": "publish"}),
        (record + "/bearbeiten", {**FORM, "step": "publish"}),
        (record + "/bearbeiten", {**FORM, "step": "draft"}),
        (record + "/veroeffentlichen", {}),
        (record + "/entwurf", {}),
        (record + "/zurueckziehen", {}),
        (record + "/wiederherstellen", {}),
        (record + RESTORE_REVISION, {}),
    ]


@pytest.fixture
def laermkarte(dataset_store: tuple[Settings, Store]) -> str:
    """A steward's record of the Umweltamt with two revisions (published, then a draft)."""
    settings, store = dataset_store
    record = record_from_turtle(
        settings, store, TURTLE.format(node="urn:x:laerm"), "urn:x:laerm", name="laermkarte"
    )
    Editing(store, settings).set_status(rights_of(store, "emil"), record.id, RecordStatus.DRAFT)
    return record.name


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={**data, "csrf_token": csrf_token(client)})


def test_anonymous_posts_to_every_write_route_change_nothing_and_lead_to_the_login(
    dataset_app: Flask, dataset_store: tuple[Settings, Store], laermkarte: str
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, None)
    before = db_state(store)
    for path, data in _write_routes(laermkarte):
        response = _post(client, path, data)
        assert response.status_code == 302, path
        assert "/verwaltung/anmelden" in response.headers["Location"], path
    assert db_state(store) == before


def test_anonymous_visitors_of_the_pages_go_to_the_login_and_come_back(
    dataset_app: Flask, laermkarte: str
) -> None:
    client = client_for(dataset_app, None)
    for path in (
        "",
        "/neu",
        f"/{laermkarte}",
        f"/{laermkarte}/bearbeiten",
        f"/{laermkarte}/revisionen",
    ):
        response = client.get("/verwaltung/datensaetze" + path)
        assert response.status_code == 302, path
        assert "next=/verwaltung/datensaetze" in response.headers["Location"], path


@pytest.mark.parametrize("username", ["otto", "nina"])
def test_stewards_of_another_organisation_are_refused_with_the_reason_and_change_nothing(
    dataset_app: Flask, dataset_store: tuple[Settings, Store], laermkarte: str, username: str
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, username)
    before = db_state(store)
    for path, data in _write_routes(laermkarte):
        response = _post(client, path, data)
        assert response.status_code == 403, path
        assert f"{username} ist nicht Redakteur" in page_text(response), path
    for path in ("", "/bearbeiten", "/revisionen", "/revisionen/vergleich"):
        assert client.get(f"/verwaltung/datensaetze/{laermkarte}{path}").status_code == 403, path
    assert db_state(store) == before
    assert "Lärmkarte" not in page_text(client.get("/verwaltung/datensaetze"))


@pytest.mark.parametrize("username", ["emil", "sina"])
def test_a_harvested_record_has_no_form_and_no_status_change_even_for_its_stewards(
    dataset_app: Flask, dataset_store: tuple[Settings, Store], username: str
) -> None:
    settings, store = dataset_store
    harvested_record(settings, store, TURTLE.format(node="urn:x:h"), "urn:x:h")
    client = client_for(dataset_app, username)
    before = db_state(store)
    for path, data in _write_routes("geerntet")[1:]:
        response = _post(client, path, data)
        assert response.status_code == 403, path
        reason = html.unescape(page_text(response))
        assert "Quelle 'umwelt-config' (http://127.0.0.1:9/catalog.ttl)" in reason, path
    assert db_state(store) == before
    assert client.get("/verwaltung/datensaetze/geerntet/bearbeiten").status_code == 403
    page = page_text(client.get("/verwaltung/datensaetze/geerntet"))
    assert "Nur lesbar." in page and "umwelt-config" in page and "ändern Sie ihn dort" in page
    assert "/verwaltung/datensaetze/geerntet/bearbeiten" not in page
    assert "/verwaltung/datensaetze/geerntet/zurueckziehen" not in page


def test_a_form_post_without_or_with_a_wrong_csrf_token_gets_400_and_changes_nothing(
    dataset_app: Flask, dataset_store: tuple[Settings, Store], laermkarte: str
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    before = db_state(store)
    for path, data in _write_routes(laermkarte):
        assert client.post(path, data=data).status_code == 400, path
        wrong = {**data, "csrf_token": "IjAwMDAi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"}
        assert client.post(path, data=wrong).status_code == 400, path
    assert db_state(store) == before
    # The same steward with the right token is allowed: the refusals above were the token's.
    assert (
        _post(client, f"/verwaltung/datensaetze/{laermkarte}/veroeffentlichen", {}).status_code
        == 303
    )
