"""One-time password links: they expire, work once, end the user's other links, and stay
closed for a disabled account."""

from __future__ import annotations

from datetime import timedelta

import pytest

from catalog.accounts import add_user, check_login, set_active
from catalog.models import utcnow
from catalog.password_resets import (
    HANDED_LINK_LIFETIME,
    issue_reset,
    reset_username,
    use_reset,
    users_to_remind,
)
from catalog.store import Store


@pytest.fixture
def anna(store: Store) -> str:
    add_user(store, username="anna", email="anna@stadt.example", password=None)
    return "anna"


def test_a_link_expires_after_its_lifetime(store: Store, anna: str) -> None:
    secret = issue_reset(store, anna)

    assert reset_username(store, secret, now=utcnow() + HANDED_LINK_LIFETIME / 2) == anna
    assert reset_username(store, secret, now=utcnow() + HANDED_LINK_LIFETIME) is None


def test_a_short_lived_link_is_refused_once_expired(store: Store, anna: str) -> None:
    secret = issue_reset(store, anna, timedelta(seconds=-1))

    assert reset_username(store, secret) is None
    assert use_reset(store, secret, "lang-genug-1") is None
    assert check_login(store, anna, "lang-genug-1") is None


def test_using_one_link_ends_the_users_other_links(store: Store, anna: str) -> None:
    first, second = issue_reset(store, anna), issue_reset(store, anna)

    assert use_reset(store, first, "lang-genug-1") == anna

    assert reset_username(store, second) is None


def test_a_disabled_account_cannot_use_its_link(store: Store, anna: str) -> None:
    secret = issue_reset(store, anna)
    set_active(store, anna, False)

    assert use_reset(store, secret, "lang-genug-1") is None


def test_reminders_find_active_accounts_by_name_or_address_only(store: Store, anna: str) -> None:
    assert users_to_remind(store, "ANNA ") == [("anna", "anna@stadt.example")]
    assert users_to_remind(store, "anna@stadt.example") == [("anna", "anna@stadt.example")]
    assert users_to_remind(store, "") == []
    set_active(store, anna, False)
    assert users_to_remind(store, "anna") == []
