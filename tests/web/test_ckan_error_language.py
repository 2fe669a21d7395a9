"""CKAN API errors read in one language: English, as CKAN clients expect, or German when the
request's Accept-Language asks for it first; a resource URL that is no address says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from catalog.accounts import add_user, create_token
from catalog.models import Role
from catalog.settings import Settings
from catalog.store import Store
from tests.servers import served
from web import create_app


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = demo
    with served(create_app(settings, store=store)) as address:
        yield address


@pytest.fixture(scope="module")
def token(demo: tuple[Settings, Store]) -> str:
    _, store = demo
    add_user(
        store,
        username="jana",
        email="jana@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.EDITOR},
    )
    return create_token(store, "jana", "skript").secret


def _create(portal: str, token: str, url: str, **headers: str) -> requests.Response:
    package = {
        "name": "ohne-adresse",
        "title": "Ohne Adresse",
        "notes": "Eine Ressource ohne gültige Adresse.",
        "owner_org": "umweltamt",
        "license_id": "dl-by-de/2.0",
        "resources": [{"url": url, "format": "CSV"}],
    }
    return requests.post(
        f"{portal}/api/3/action/package_create",
        json=package,
        headers={"Authorization": token, **headers},
        timeout=30,
    )


def test_a_resource_url_that_is_no_address_is_reported_as_such(portal: str, token: str) -> None:
    answer = _create(portal, token, "kein link")
    assert answer.status_code == 409
    [problem] = answer.json()["error"]["resources"]
    [message] = problem["url"]
    assert "'kein link' is not a valid address" in message and "https://" in message
    assert "Missing value" not in message and "Pflichtfeld" not in message


def test_errors_are_english_by_default_and_german_on_request(portal: str, token: str) -> None:
    english = requests.get(f"{portal}/api/3/action/package_show?id=gibt-es-nicht", timeout=30)
    assert english.json()["error"]["message"] == "Not found: dataset 'gibt-es-nicht'"
    german = requests.get(
        f"{portal}/api/3/action/package_show?id=gibt-es-nicht",
        headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"},
        timeout=30,
    )
    assert german.json()["error"]["message"] == "Nicht gefunden: Datensatz 'gibt-es-nicht'"
    answer = _create(portal, token, "kein link", **{"Accept-Language": "de"})
    [message] = answer.json()["error"]["resources"][0]["url"]
    assert "ist keine gültige Adresse" in message and "valid address" not in message


def test_search_query_errors_and_violations_carry_one_language(portal: str, token: str) -> None:
    broken = requests.get(f"{portal}/api/3/action/package_search?fq=tags:(a", timeout=30)
    message = broken.json()["error"]["message"]
    assert message.startswith("Search Query is invalid: ") and " / " not in message
    assert "Stelle" not in message
    invalid = requests.post(
        f"{portal}/api/3/action/package_create",
        json={
            "name": "ohne-beschreibung-en",
            "title": "Ohne Beschreibung",
            "owner_org": "umweltamt",
            "resources": [{"url": "https://a.example/x.csv"}],
        },
        headers={"Authorization": token},
        timeout=30,
    )
    assert invalid.status_code == 409
    messages = [
        m
        for key, found in invalid.json()["error"].items()
        if key != "__type"
        for m in found
        if isinstance(m, str)
    ]
    assert messages and all(" / " not in m for m in messages)
