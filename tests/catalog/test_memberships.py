"""Members of an organisation as the service keeps them: added once, roles changed, removed,
and never the last admin taken away."""

from __future__ import annotations

import pytest

from catalog.accounts import add_user
from catalog.memberships import (
    AlreadyMember,
    LastAdmin,
    NotAMember,
    UnknownUser,
    add_member,
    change_role,
    list_members,
    remove_member,
)
from catalog.models import Role
from catalog.organizations import get_organization_by_name, sync_organizations
from catalog.settings import OrganizationSettings
from catalog.store import Store

PASSWORD = "ein langes Passwort"


def _umweltamt(store: Store) -> str:
    sync_organizations(store, [OrganizationSettings(name="umweltamt", title="Umweltamt")])
    add_user(store, username="anna", email="anna@example.org", password=PASSWORD)
    add_user(store, username="ben", email="ben@example.org", password=PASSWORD)
    organization = get_organization_by_name(store, "umweltamt")
    assert organization is not None
    return organization.id


def _roles(store: Store, organization_id: str) -> dict[str, Role]:
    return {row.username: row.role for row in list_members(store, organization_id)}


def test_a_member_is_added_once_and_their_role_changed(store: Store) -> None:
    org_id = _umweltamt(store)
    add_member(store, org_id, "anna", Role.ADMIN)
    add_member(store, org_id, "ben", Role.EDITOR)
    with pytest.raises(AlreadyMember):
        add_member(store, org_id, "ben", Role.ADMIN)
    change_role(store, org_id, "ben", Role.ADMIN)
    assert _roles(store, org_id) == {"anna": Role.ADMIN, "ben": Role.ADMIN}


def test_only_existing_users_become_members(store: Store) -> None:
    org_id = _umweltamt(store)
    with pytest.raises(UnknownUser):
        add_member(store, org_id, "niemand", Role.EDITOR)
    with pytest.raises(NotAMember):
        remove_member(store, org_id, "anna")
    assert _roles(store, org_id) == {}


def test_the_last_admin_is_neither_removed_nor_demoted(store: Store) -> None:
    org_id = _umweltamt(store)
    add_member(store, org_id, "anna", Role.ADMIN)
    add_member(store, org_id, "ben", Role.EDITOR)
    with pytest.raises(LastAdmin):
        remove_member(store, org_id, "anna")
    with pytest.raises(LastAdmin):
        change_role(store, org_id, "anna", Role.EDITOR)
    remove_member(store, org_id, "ben")
    assert _roles(store, org_id) == {"anna": Role.ADMIN}
