"""Members of an organisation: listed with roles, added by user name, role changed, removed;
the last admin stays."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.memberships import keeps_an_admin
from catalog.models import Membership, Organization, Role, User
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.steward_support import (
    client_for,
    page_text,
    post,
    snapshot,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below

MEMBERS = "/verwaltung/organisationen/umweltamt/mitglieder"


def _roles(store: Store, organization: str = "umweltamt") -> dict[str, Role]:
    with store.reading() as session:
        return dict(
            session.execute(
                select(User.username, Membership.role)
                .join(Membership, Membership.user_id == User.id)
                .join(Organization, Organization.id == Membership.organization_id)
                .where(Organization.name == organization)
            ).all()
        )


def test_the_members_page_lists_members_with_their_roles(steward_app: Flask) -> None:
    text = page_text(client_for(steward_app, "anna").get(MEMBERS))

    assert "anna@stadt.example" in text and "emil@stadt.example" in text
    assert "otto" not in text  # a member of another organisation
    assert '<option value="admin" selected>Administrator</option>' in text
    assert '<option value="editor" selected>Redakteur</option>' in text


def test_an_existing_user_is_added_with_a_role(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store

    response = post(
        client_for(steward_app, "anna"), MEMBERS, {"username": "Nina ", "role": "editor"}
    )

    assert response.status_code == 303
    assert _roles(store)["nina"] == Role.EDITOR


@pytest.mark.parametrize(
    ("username", "message"),
    [("niemand", "Es gibt keinen Benutzer „niemand“"), ("emil", "emil ist schon Mitglied")],
)
def test_unknown_users_and_members_are_not_added(
    steward_app: Flask, steward_store: tuple[Settings, Store], username: str, message: str
) -> None:
    _, store = steward_store
    before = snapshot(store)

    response = post(
        client_for(steward_app, "anna"), MEMBERS, {"username": username, "role": "admin"}
    )

    assert response.status_code == 422 and message in page_text(response)
    assert snapshot(store) == before


def test_a_role_is_changed_and_a_member_removed(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")

    promoted = post(anna, f"{MEMBERS}/emil/rolle", {"role": "admin"})
    assert promoted.status_code == 303 and _roles(store)["emil"] == Role.ADMIN
    demoted = post(anna, f"{MEMBERS}/anna/rolle", {"role": "editor"})  # emil is admin now
    assert demoted.status_code == 303 and _roles(store)["anna"] == Role.EDITOR
    removed = post(client_for(steward_app, "emil"), f"{MEMBERS}/anna/entfernen")

    assert removed.status_code == 303
    assert _roles(store) == {"emil": Role.ADMIN}


def test_the_last_admin_is_neither_removed_nor_demoted(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    before = snapshot(store)
    sina = client_for(steward_app, "sina")  # site admins too

    removed = post(sina, f"{MEMBERS}/anna/entfernen")
    demoted = post(sina, f"{MEMBERS}/anna/rolle", {"role": "editor"})

    for response in (removed, demoted):
        assert response.status_code == 409
        assert "der letzte Administrator dieser Organisation" in page_text(response)
    assert snapshot(store) == before


def test_unknown_members_and_roles_are_refused(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    before = snapshot(store)
    anna = client_for(steward_app, "anna")

    assert post(anna, f"{MEMBERS}/otto/entfernen").status_code == 404
    assert post(anna, f"{MEMBERS}/emil/rolle", {"role": "owner"}).status_code == 400
    assert post(anna, "/verwaltung/organisationen/gibt-es-nicht/mitglieder").status_code == 404
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("roles", "old", "new", "keeps"),
    [
        ([Role.ADMIN], Role.ADMIN, None, False),
        ([Role.ADMIN], Role.ADMIN, Role.EDITOR, False),
        ([Role.ADMIN, Role.ADMIN], Role.ADMIN, None, True),
        ([Role.ADMIN, Role.EDITOR], Role.EDITOR, None, True),
        ([Role.ADMIN], Role.ADMIN, Role.ADMIN, True),
        ([Role.EDITOR], Role.EDITOR, None, True),  # no admin to lose
    ],
)
def test_an_organisation_keeps_its_last_admin(
    roles: list[Role], old: Role, new: Role | None, keeps: bool
) -> None:
    assert keeps_an_admin(roles, old, new) is keeps
