"""Accounts in the steward area: changing one's own password, site admins' account page
(disable, enable, reset link), and setting a password through a one-time link."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from catalog.accounts import check_login
from catalog.models import User
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.steward_support import (
    PASSWORD,
    client_for,
    csrf_token,
    log_in,
    page_text,
    post,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below

OWN_PASSWORD = "/verwaltung/konto/passwort"
NEW = "ein-ganz-neues-passwort"
LINK = re.compile(r'value="(http://catalog\.test/verwaltung/passwort/([^"]+))"')


def _change(client, current: str, new: str, repeat: str | None = None):  # type: ignore[no-untyped-def]
    return post(
        client,
        OWN_PASSWORD,
        {"current_password": current, "new_password": new, "new_password_repeat": repeat or new},
    )


def _hash(store: Store, username: str) -> str:
    with store.reading() as session:
        value = session.scalar(select(User.password_hash).where(User.username == username))
    assert value is not None
    return value


def test_a_steward_changes_their_password_and_stays_logged_in_here_only(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    here = client_for(steward_app, "emil")
    elsewhere = client_for(steward_app, "emil")

    response = _change(here, PASSWORD, NEW)

    assert response.status_code == 303
    assert "Ihr Passwort ist geändert" in page_text(here.get(OWN_PASSWORD))
    assert here.get("/verwaltung/").status_code == 200
    assert elsewhere.get("/verwaltung/").status_code == 302
    assert check_login(store, "emil", NEW) is not None
    assert check_login(store, "emil", PASSWORD) is None


def test_a_wrong_current_password_changes_nothing(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    emil = client_for(steward_app, "emil")
    before = _hash(store, "emil")

    response = _change(emil, "nicht-das-passwort", NEW)

    assert response.status_code == 422
    assert "Das jetzige Passwort stimmt nicht." in page_text(response)
    assert _hash(store, "emil") == before


def test_a_new_password_needs_ten_characters_typed_twice_alike(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    emil = client_for(steward_app, "emil")
    before = _hash(store, "emil")

    short = _change(emil, PASSWORD, "neun-zchn")
    different = _change(emil, PASSWORD, NEW, NEW + "x")

    assert short.status_code == different.status_code == 422
    assert "mindestens 10 Zeichen" in page_text(short)
    assert "Die beiden neuen Passwörter sind verschieden." in page_text(different)
    assert _hash(store, "emil") == before


def test_the_password_page_is_in_english_for_english_readers(steward_app: Flask) -> None:
    emil = client_for(steward_app, "emil")

    page = page_text(emil.get(OWN_PASSWORD + "?lang=en"))

    assert "Current password" in page and "Repeat the new password" in page


def test_only_site_admins_reach_the_accounts_page(steward_app: Flask) -> None:
    anonymous = steward_app.test_client().get("/verwaltung/benutzer")
    organisation_admin = client_for(steward_app, "anna")
    site_admin = client_for(steward_app, "sina")

    assert anonymous.status_code == 302
    assert organisation_admin.get("/verwaltung/benutzer").status_code == 403
    assert post(organisation_admin, "/verwaltung/benutzer/emil/deaktivieren").status_code == 403
    assert post(organisation_admin, "/verwaltung/benutzer/emil/passwort-link").status_code == 403
    page = page_text(site_admin.get("/verwaltung/benutzer"))
    assert all(name in page for name in ("anna", "emil", "otto", "sina", "nina"))
    assert check_login(steward_app.extensions["catalog.store"], "emil", PASSWORD) is not None


def test_a_site_admin_cannot_disable_themselves(steward_app: Flask) -> None:
    sina = client_for(steward_app, "sina")

    assert post(sina, "/verwaltung/benutzer/sina/deaktivieren").status_code == 409
    assert sina.get("/verwaltung/").status_code == 200


def test_a_reset_link_from_the_admin_sets_a_password_once(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    sina = client_for(steward_app, "sina")
    emil = client_for(steward_app, "emil")

    issued = post(sina, "/verwaltung/benutzer/emil/passwort-link")
    match = LINK.search(page_text(issued))
    assert match is not None, page_text(issued)
    path = "/verwaltung/passwort/" + match.group(2)
    visitor = steward_app.test_client()
    form = visitor.get(path)
    token = csrf_token(visitor, path)
    data = {"new_password": NEW, "new_password_repeat": NEW, "csrf_token": token}
    done = visitor.post(path, data=data)
    again = visitor.post(path, data=data)

    assert issued.headers["Cache-Control"] == "no-store"
    assert form.status_code == 200 and "emil" in page_text(form)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert done.status_code == 303 and done.headers["Location"].endswith("/verwaltung/anmelden")
    assert again.status_code == 404
    assert "Link gilt nicht mehr" in page_text(again)
    assert check_login(store, "emil", NEW) is not None
    assert emil.get("/verwaltung/").status_code == 302  # a new password ends old sessions
    assert log_in(steward_app.test_client(), "emil", NEW).status_code == 302


def test_an_unknown_reset_link_is_not_found(steward_app: Flask) -> None:
    response = steward_app.test_client().get("/verwaltung/passwort/erfunden")

    assert response.status_code == 404


def test_without_mail_the_forgotten_password_page_names_the_admins_and_sends_nothing(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    client = steward_app.test_client()
    login_page = page_text(client.get("/verwaltung/anmelden"))

    response = post(client, "/verwaltung/passwort-vergessen", {"name": "emil"})

    assert 'href="/verwaltung/passwort-vergessen"' in login_page
    assert response.status_code == 200
    assert "Administration des Katalogs" in page_text(response)
    assert "unterwegs" not in page_text(response)
