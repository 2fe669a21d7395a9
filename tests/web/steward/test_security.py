"""Security of the steward area: every write refused to those without the right and nothing
changed, CSRF on every form, login throttling, no open redirect, secure cookies behind https."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.accounts import create_token
from catalog.migrate import upgrade_database
from catalog.models import LoginAttempt, utcnow
from catalog.organizations import sync_organizations
from catalog.settings import Settings
from catalog.store import Store, open_store
from tests.web.steward.steward_support import (
    PASSWORD,
    add_people,
    add_web_source,
    client_for,
    csrf_token,
    log_in,
    page_text,
    post,
    snapshot,
    steward_app,
    steward_settings,
    steward_store,
)
from web import create_app

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below

MEMBERS = "/verwaltung/organisationen/umweltamt/mitglieder"
TOKEN = "{token}"  # replaced by the id of one of anna's tokens
SOURCE_FORM = {
    "name": "neue-quelle",
    "type": "dcat",
    "url": "https://daten.example/catalog.ttl",
    "organization": "umweltamt",
    "schedule": "daily",
    "enabled": "on",
}
# Every write route of the steward area outside the dataset forms, with a valid form.
WRITES: list[tuple[str, dict[str, Any]]] = [
    ("/verwaltung/quellen/neu", SOURCE_FORM),
    ("/verwaltung/quellen/umwelt-web/bearbeiten", {**SOURCE_FORM, "schedule": "manual"}),
    ("/verwaltung/quellen/umwelt-web/testen", {}),
    ("/verwaltung/quellen/umwelt-web/ernten", {}),
    ("/verwaltung/quellen/umwelt-config/ernten", {}),
    ("/verwaltung/quellen/umwelt-web/abschalten", {}),
    ("/verwaltung/quellen/umwelt-aus/einschalten", {}),
    (MEMBERS, {"username": "nina", "role": "admin"}),
    (f"{MEMBERS}/emil/rolle", {"role": "admin"}),
    (f"{MEMBERS}/emil/entfernen", {}),
    (f"/verwaltung/tokens/{TOKEN}/widerrufen", {}),
]
# Stewards may create tokens for themselves, so only anonymous callers are refused there.
ANONYMOUS_ONLY: list[tuple[str, dict[str, Any]]] = [("/verwaltung/tokens", {"name": "Skript"})]


@pytest.fixture
def token_id(steward_store: tuple[Settings, Store]) -> str:
    """Two web sources of the Umweltamt (one switched off) and a token of anna's."""
    _, store = steward_store
    add_web_source(store, "umwelt-web", "http://127.0.0.1:9/catalog.ttl")
    add_web_source(store, "umwelt-aus", "http://127.0.0.1:9/catalog.ttl", enabled=False)
    return create_token(store, "anna", "Annas Skript").id


def _refused(response: Any, actor: str | None) -> bool:
    if actor is None:
        return (
            response.status_code == 302 and "/verwaltung/anmelden" in response.headers["Location"]
        )
    return response.status_code in (403, 404)


@pytest.mark.parametrize(
    "actor", [None, "emil", "otto"], ids=["anonymous", "editor", "other-admin"]
)
@pytest.mark.parametrize(("path", "form"), WRITES, ids=[path for path, _ in WRITES])
def test_every_write_is_refused_without_the_right_and_changes_nothing(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    token_id: str,
    actor: str | None,
    path: str,
    form: dict[str, Any],
) -> None:
    _, store = steward_store
    client = client_for(steward_app, actor)
    before = snapshot(store)

    response = post(client, path.replace(TOKEN, token_id), form)

    assert _refused(response, actor), (response.status_code, page_text(response)[:500])
    assert snapshot(store) == before
    assert steward_app.extensions["catalog.background_harvests"].join(timeout=0)


@pytest.mark.parametrize(("path", "form"), ANONYMOUS_ONLY)
def test_anonymous_callers_get_no_token(
    steward_app: Flask, steward_store: tuple[Settings, Store], path: str, form: dict[str, Any]
) -> None:
    _, store = steward_store
    before = snapshot(store)

    response = post(client_for(steward_app, None), path, form)

    assert _refused(response, None)
    assert snapshot(store) == before


@pytest.mark.parametrize("actor", ["emil", "otto"])
@pytest.mark.parametrize(
    "path",
    [
        "/verwaltung/quellen/umwelt-web",
        "/verwaltung/quellen/umwelt-web/bearbeiten",
        "/verwaltung/quellen?organization=umweltamt",
        MEMBERS,
    ],
)
def test_source_and_member_pages_are_only_for_the_organisations_admins(
    steward_app: Flask, token_id: str, actor: str, path: str
) -> None:
    response = client_for(steward_app, actor).get(path)

    assert response.status_code == 403
    assert "ist nicht Administrator dieser Organisation" in page_text(response)


@pytest.mark.parametrize("token", [None, "falsch"], ids=["missing", "wrong"])
@pytest.mark.parametrize(
    ("path", "form"),
    [*WRITES, *ANONYMOUS_ONLY, ("/verwaltung/abmelden", {})],
    ids=[path for path, _ in [*WRITES, *ANONYMOUS_ONLY]] + ["logout"],
)
def test_a_form_post_without_the_right_csrf_token_gets_400(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    token_id: str,
    token: str | None,
    path: str,
    form: dict[str, Any],
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    before = snapshot(store)
    data = dict(form) if token is None else {**form, "csrf_token": token}

    response = anna.post(path.replace(TOKEN, token_id), data=data)

    assert response.status_code == 400
    assert snapshot(store) == before
    assert anna.get("/verwaltung/").status_code == 200  # still logged in


def _failed_logins(store: Store, username: str, count: int, seconds_ago: float) -> None:
    at = utcnow() - timedelta(seconds=seconds_ago)
    with store.transaction() as session:
        session.add_all(
            LoginAttempt(username=username, remote_addr="127.0.0.1", at=at, succeeded=False)
            for _ in range(count)
        )


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/verwaltung/").status_code == 200


def test_repeated_failed_logins_make_even_the_right_password_wait(steward_app: Flask) -> None:
    client = steward_app.test_client()
    for _ in range(5):
        assert log_in(client, "anna", "falsches-passwort").status_code == 401

    refused = log_in(client, "anna", PASSWORD)

    assert refused.status_code == 429
    assert "Bitte warten Sie" in page_text(refused)
    assert not _logged_in(client)


def test_the_right_password_is_accepted_once_the_wait_is_over(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    _failed_logins(store, "anna", 5, seconds_ago=5)  # the first wait is 30 s
    _failed_logins(store, "emil", 5, seconds_ago=40)
    anna, emil = steward_app.test_client(), steward_app.test_client()

    assert log_in(anna, "anna").status_code == 429
    assert log_in(emil, "emil").status_code == 302

    assert not _logged_in(anna) and _logged_in(emil)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "/verwaltung/\r\nLocation: https://evil.example",
    ],
)
def test_login_never_sends_the_steward_to_another_site(steward_app: Flask, target: str) -> None:
    client = steward_app.test_client()
    response = client.post(
        "/verwaltung/anmelden",
        data={
            "username": "anna",
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_token(client),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/verwaltung/"


def test_login_goes_back_to_the_steward_page_asked_for(steward_app: Flask) -> None:
    client = steward_app.test_client()
    asked = client.get("/verwaltung/quellen?organization=umweltamt")
    assert asked.status_code == 302
    login_page = client.get(asked.headers["Location"])
    assert 'value="/verwaltung/quellen?organization=umweltamt"' in page_text(login_page)

    response = client.post(
        "/verwaltung/anmelden",
        data={
            "username": "anna",
            "password": PASSWORD,
            "next": "/verwaltung/quellen?organization=umweltamt",
            "csrf_token": csrf_token(client),
        },
    )

    assert response.headers["Location"] == "/verwaltung/quellen?organization=umweltamt"


@pytest.mark.parametrize(
    ("base_url", "secure"),
    [("https://daten.stadt.example", True), ("http://localhost:5000", False)],
)
def test_session_cookies_are_secure_behind_https(
    tmp_path: Path, base_url: str, secure: bool
) -> None:
    defaults = steward_settings(tmp_path)
    settings = steward_settings(
        tmp_path, catalog={**defaults.catalog.model_dump(mode="json"), "base_url": base_url}
    )
    store = open_store(settings.database_url)
    upgrade_database(store)
    try:
        sync_organizations(store, settings.organizations)
        add_people(store)
        app = create_app(settings, store=store)
        response = log_in(app.test_client(), "anna")
        app.extensions["catalog.search"].close()
    finally:
        store.close()

    assert response.status_code == 302
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if "stadtkatalog_session=" in c]
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite"} <= flags
    assert "samesite=lax" in cookie.lower()
    assert ("secure" in flags) is secure
