"""Organisations and sources follow the config; accounts and tokens keep secrets hashed."""

from __future__ import annotations

import pytest

from catalog.accounts import AccountError, add_user, create_token, revoke_token, user_for_token
from catalog.models import Role
from catalog.organizations import list_organizations, list_sources, sync_organizations, sync_sources
from catalog.settings import OrganizationSettings, SourceSettings
from catalog.store import Store

ORGS = [
    OrganizationSettings(name="umweltamt", title="Umweltamt"),
    OrganizationSettings(name="statistik", title="Statistikstelle"),
]


def _source(name: str, **changes) -> SourceSettings:
    return SourceSettings(
        name=name,
        type="dcat",
        url="https://daten.example/catalog.ttl",
        organization="umweltamt",
        **changes,
    )


def test_organisations_are_created_then_updated_never_duplicated(store: Store) -> None:
    assert sync_organizations(store, ORGS) == 2
    renamed = [ORGS[0].model_copy(update={"title": "Amt für Umwelt"}), ORGS[1]]
    assert sync_organizations(store, renamed) == 0
    assert [o.title for o in list_organizations(store)] == ["Amt für Umwelt", "Statistikstelle"]


def test_a_source_dropped_from_the_config_is_disabled_not_deleted(store: Store) -> None:
    sync_organizations(store, ORGS)
    sync_sources(store, [_source("luft"), _source("wasser", schedule="weekly")])
    sync_sources(store, [_source("luft")])
    sources = {s.name: s for s in list_sources(store)}
    assert sources["luft"].enabled is True
    assert sources["wasser"].enabled is False
    assert sources["wasser"].schedule == "weekly"


def test_passwords_are_checked_and_usernames_unique(store: Store) -> None:
    sync_organizations(store, ORGS)
    with pytest.raises(AccountError, match="too short"):
        add_user(store, username="anna", email="anna@stadt.example", password="kurz")
    add_user(
        store,
        username="anna",
        email="anna@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.ADMIN},
    )
    with pytest.raises(AccountError, match="already taken"):
        add_user(store, username="anna", email="anna2@stadt.example", password="lang-genug-1")


def test_a_revoked_token_no_longer_identifies_its_user(store: Store) -> None:
    add_user(store, username="bob", email="bob@stadt.example", password="lang-genug-1")
    issued = create_token(store, "bob", "skript")
    assert user_for_token(store, issued.secret).username == "bob"
    revoke_token(store, issued.id)
    assert user_for_token(store, issued.secret) is None
