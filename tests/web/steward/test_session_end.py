"""A session ends on the server: a cookie copied before logout, a password change, disabling
or "sign out everywhere" is refused afterwards, also for creating an API token; other
stewards' sessions go on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from catalog.accounts import set_active, set_password, sign_out_everywhere
from catalog.models import ApiToken, User
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.steward_support import (
    PASSWORD,
    client_for,
    csrf_token,
    log_in,
    post,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below

COOKIE = "stadtkatalog_session"


def _copied_session(app: Flask, client: FlaskClient) -> tuple[FlaskClient, str]:
    """Another browser holding a copy of the client's session cookie, and its CSRF token."""
    token = csrf_token(client, "/verwaltung/tokens")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief, token


def _token_count(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(ApiToken)) or 0


def _is_sent_to_login(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and "/verwaltung/anmelden" in response.headers["Location"]


def _assert_copy_refused(thief: FlaskClient, token: str, store: Store) -> None:
    before = _token_count(store)
    page = thief.get("/verwaltung/")
    created = thief.post("/verwaltung/tokens", data={"name": "gestohlen", "csrf_token": token})
    assert _is_sent_to_login(page), page.status_code
    assert _is_sent_to_login(created) or created.status_code in (401, 403), created.status_code
    assert _token_count(store) == before


def test_the_copy_of_the_cookie_works_before_logout(steward_app: Flask) -> None:
    anna = client_for(steward_app, "anna")
    thief, token = _copied_session(steward_app, anna)

    response = thief.post("/verwaltung/tokens", data={"name": "Probe", "csrf_token": token})

    assert response.status_code == 200  # so the refusals below are the server's doing


def test_a_cookie_copied_before_logout_is_refused_after_it(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    thief, token = _copied_session(steward_app, anna)

    logout = post(anna, "/verwaltung/abmelden")

    assert logout.status_code == 302
    _assert_copy_refused(thief, token, store)


@pytest.mark.parametrize(
    "end_sessions",
    [
        pytest.param(lambda store: set_password(store, "anna", "ganz-neues-passwort"), id="pw"),
        pytest.param(lambda store: set_active(store, "anna", False), id="disabled"),
        pytest.param(lambda store: sign_out_everywhere(store, "anna"), id="everywhere"),
    ],
)
def test_a_copied_cookie_is_refused_after_the_account_changes(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    end_sessions: Callable[[Store], None],
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    thief, token = _copied_session(steward_app, anna)

    end_sessions(store)

    _assert_copy_refused(thief, token, store)
    assert _is_sent_to_login(anna.get("/verwaltung/"))


def test_logging_out_ends_only_that_users_sessions(steward_app: Flask) -> None:
    anna = client_for(steward_app, "anna")
    emil = client_for(steward_app, "emil")

    post(anna, "/verwaltung/abmelden")

    assert emil.get("/verwaltung/").status_code == 200


def test_an_admins_sign_out_everywhere_ends_the_users_sessions_and_no_one_elses(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    sina = client_for(steward_app, "sina")
    anna = client_for(steward_app, "anna")
    emil = client_for(steward_app, "emil")
    thief, token = _copied_session(steward_app, anna)

    response = post(sina, "/verwaltung/benutzer/anna/abmelden")

    assert response.status_code == 303
    _assert_copy_refused(thief, token, store)
    assert emil.get("/verwaltung/").status_code == 200
    assert sina.get("/verwaltung/").status_code == 200


def test_an_admin_disabling_a_user_ends_their_sessions_and_login(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    sina = client_for(steward_app, "sina")
    anna = client_for(steward_app, "anna")
    thief, token = _copied_session(steward_app, anna)

    response = post(sina, "/verwaltung/benutzer/anna/deaktivieren")

    assert response.status_code == 303
    _assert_copy_refused(thief, token, store)
    assert log_in(steward_app.test_client(), "anna", PASSWORD).status_code == 401
    post(sina, "/verwaltung/benutzer/anna/aktivieren")
    assert log_in(steward_app.test_client(), "anna", PASSWORD).status_code == 302


def test_a_session_cookie_from_before_session_generations_is_refused(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    with anna.session_transaction() as session:
        session["_user_id"] = _user_id(store, "anna")  # as sessions had it before: the id alone

    assert _is_sent_to_login(anna.get("/verwaltung/"))


def _user_id(store: Store, username: str) -> str:
    with store.reading() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
    assert user_id is not None
    return user_id
