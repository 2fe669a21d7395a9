"""Every login through the form costs one argon2 verification, whether or not the user name
exists, so the time a failed login takes does not tell which names are stewards'."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import select, update

from catalog import accounts
from catalog.models import User
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.steward_support import PASSWORD, log_in, steward_app, steward_store

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, noting each hash it verifies against."""

    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", counting)
    yield counting


def _stored_hashes(store: Store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(User.password_hash)))


def test_an_unknown_user_name_costs_one_argon2_verification_against_no_ones_hash(
    steward_app: Flask, steward_store: tuple[Settings, Store], hasher: CountingHasher
) -> None:
    _, store = steward_store

    response = log_in(steward_app.test_client(), "gibt-es-nicht", PASSWORD)

    assert response.status_code == 401
    assert len(hasher.verified) == 1
    (checked,) = hasher.verified
    assert checked.startswith("$argon2id$")
    assert checked not in _stored_hashes(store)


def test_a_disabled_steward_costs_one_argon2_verification_and_is_not_let_in(
    steward_app: Flask, steward_store: tuple[Settings, Store], hasher: CountingHasher
) -> None:
    _, store = steward_store
    with store.transaction() as session:
        session.execute(update(User).where(User.username == "nina").values(is_active=False))

    response = log_in(steward_app.test_client(), "nina", PASSWORD)

    assert response.status_code == 401
    assert len(hasher.verified) == 1
    assert hasher.verified[0] not in _stored_hashes(store)


def test_a_known_name_with_a_wrong_password_costs_one_verification_of_its_own_hash(
    steward_app: Flask, steward_store: tuple[Settings, Store], hasher: CountingHasher
) -> None:
    _, store = steward_store

    response = log_in(steward_app.test_client(), "anna", "falsches-passwort")

    assert response.status_code == 401
    assert len(hasher.verified) == 1
    assert hasher.verified[0] in _stored_hashes(store)


def test_the_right_password_still_logs_in_with_one_verification(
    steward_app: Flask, hasher: CountingHasher
) -> None:
    response = log_in(steward_app.test_client(), "anna", PASSWORD)

    assert response.status_code == 302
    assert len(hasher.verified) == 1
