"""API tokens in the steward area: the secret shown once, only its hash kept, last use
noted, revoked with a POST; nobody sees or revokes another steward's tokens but site admins."""

from __future__ import annotations

from collections.abc import Iterator

import ckanapi
import pytest
from flask import Flask
from sqlalchemy import func, select

from catalog.accounts import create_token, token_digest, user_for_token
from catalog.models import ApiToken, DatasetRecord
from catalog.settings import Settings
from catalog.store import Store
from tests.servers import served
from tests.web.steward.steward_support import (
    client_for,
    page_text,
    post,
    snapshot,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below


def _token(store: Store, name: str) -> ApiToken:
    with store.reading() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    assert token is not None
    return token


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")

    created = post(anna, "/verwaltung/tokens", {"name": "Nachtskript"})

    text = page_text(created)
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    assert "nur dieses eine Mal angezeigt" in text
    secret = text.split('id="issued-secret"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("sk_") and len(secret) > 40
    token = _token(store, "Nachtskript")
    assert token.token_hash == token_digest(secret) and secret not in token.token_hash
    assert secret[:10] == token.prefix
    again = page_text(anna.get("/verwaltung/tokens"))
    assert secret not in again and "Nachtskript" in again and token.prefix in again
    user = user_for_token(store, secret)
    assert user is not None and user.username == "anna"


def test_the_list_shows_when_a_token_was_last_used(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    issued = create_token(store, "anna", "Skript")
    anna = client_for(steward_app, "anna")
    assert "<td>nie</td>" in page_text(anna.get("/verwaltung/tokens"))

    user_for_token(store, issued.secret)

    assert "<td>nie</td>" not in page_text(anna.get("/verwaltung/tokens"))
    assert _token(store, "Skript").last_used_at is not None


def test_a_revoked_token_no_longer_opens_the_api(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    issued = create_token(store, "anna", "Skript")
    anna = client_for(steward_app, "anna")

    response = post(anna, f"/verwaltung/tokens/{issued.id}/widerrufen")

    assert response.status_code == 303
    assert user_for_token(store, issued.secret) is None
    assert "widerrufen am" in page_text(anna.get("/verwaltung/tokens"))


def test_a_token_needs_a_purpose(steward_app: Flask, steward_store: tuple[Settings, Store]) -> None:
    _, store = steward_store
    before = snapshot(store)

    response = post(client_for(steward_app, "anna"), "/verwaltung/tokens", {"name": "  "})

    assert response.status_code == 422 and "wofür das Token ist" in page_text(response)
    assert snapshot(store) == before


def test_other_stewards_tokens_are_neither_shown_nor_revocable(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    issued = create_token(store, "anna", "Annas Skript")
    emil = client_for(steward_app, "emil")
    before = snapshot(store)

    listing = page_text(emil.get("/verwaltung/tokens"))
    revoked = post(emil, f"/verwaltung/tokens/{issued.id}/widerrufen")

    assert "Annas Skript" not in listing and "Noch kein Token." in listing
    assert revoked.status_code == 404
    assert snapshot(store) == before
    assert user_for_token(store, issued.secret) is not None


def test_site_admins_see_and_revoke_every_token(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    issued = create_token(store, "anna", "Annas Skript")
    sina = client_for(steward_app, "sina")

    listing = page_text(sina.get("/verwaltung/tokens"))
    revoked = post(sina, f"/verwaltung/tokens/{issued.id}/widerrufen")

    assert "Alle Tokens" in listing and "Annas Skript" in listing and "<td>anna</td>" in listing
    assert revoked.status_code == 303
    assert user_for_token(store, issued.secret) is None


@pytest.fixture
def portal(steward_app: Flask) -> Iterator[str]:
    with served(steward_app) as address:
        yield address


def test_a_token_revoked_in_the_ui_cannot_create_datasets_through_ckanapi(
    steward_app: Flask, steward_store: tuple[Settings, Store], portal: str
) -> None:
    _, store = steward_store
    issued = create_token(store, "anna", "Skript")
    api = ckanapi.RemoteCKAN(portal, apikey=issued.secret)
    api.action.package_create(**_package("baumkataster"))  # the token works until revoked
    assert _record_count(store) == 1

    assert post(client_for(steward_app, "anna"), f"/verwaltung/tokens/{issued.id}/widerrufen")
    with pytest.raises(ckanapi.NotAuthorized):
        api.action.package_create(**_package("baumkataster-2"))

    assert _record_count(store) == 1


def _package(name: str) -> dict[str, object]:
    return {
        "name": name,
        "title": "Baumkataster",
        "notes": "Alle Straßenbäume der Stadt mit Art, Pflanzjahr und Standort.",
        "owner_org": "umweltamt",
        "license_id": "dl-by-de/2.0",
        "resources": [{"url": "https://daten.example/baeume.csv", "format": "CSV"}],
    }


def _record_count(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(DatasetRecord)) or 0
