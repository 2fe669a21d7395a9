"""Stewards' accounts: users with argon2 password hashes, roles per organisation, API tokens,
and the account's life cycle (password changes, disabling, ending every session).

A login session carries the user's session generation (Flask-Login's session id); raising
it ends every session of that user at once, which logout, a password change, disabling and
"sign out everywhere" do.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TypeGuard

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from catalog.models import ApiToken, Membership, Organization, Role, User, utcnow
from catalog.store import Store
from dcat.bilingual import Bilingual

_hasher = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "sk_"


class AccountError(ValueError):
    """An account request that cannot be carried out; `text` says why in German and English
    apart (the command line shows the catalog's language), str() in English."""

    def __init__(self, text: Bilingual) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class IssuedToken:
    """A freshly created token: `secret` exists only here and is never stored."""

    id: str
    name: str
    secret: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def login_password_matches(user: User | None, password: str) -> TypeGuard[User]:
    """True for an active user with this password.

    A missing or disabled user costs one argon2 verification too (against a hash of no one's
    password), so a failed login takes as long whether or not the user name exists.
    """
    if user is None or not user.is_active:
        password_matches(_hash_of_no_account(), password)
        return False
    return password_matches(user.password_hash, password)


@cache
def _hash_of_no_account() -> str:
    """A hash with the hasher's parameters, of a random password nobody can know."""
    return hash_password(secrets.token_urlsafe(32))


def check_login(store: Store, username: str, password: str) -> User | None:
    """The active user with this name and password, their last login noted; else None."""
    with store.transaction() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if not login_password_matches(user, password):
            return None
        user.last_login_at = utcnow()
        return user


def session_user(store: Store, user_id: str, generation: int) -> User | None:
    """The active user of a login session, or None when that session has been ended."""
    with store.reading() as session:
        user = session.get(User, user_id)
    if user is None or not user.is_active or user.session_generation != generation:
        return None
    return user


def add_user(
    store: Store,
    *,
    username: str,
    email: str,
    password: str | None,
    full_name: str = "",
    site_admin: bool = False,
    roles: Mapping[str, Role] | None = None,
) -> User:
    """Create a steward; `roles` maps organisation names to their role there.

    Without a password the account cannot log in until its password is set through a
    one-time link (catalog.password_resets).
    """
    if not _USERNAME.match(username):
        raise AccountError(
            Bilingual(
                f"ungültiger Benutzername {username!r}: 2 bis 100 Kleinbuchstaben, Ziffern, "
                "'.', '_' oder '-'",
                f"invalid username {username!r}: use 2-100 lower-case letters, digits, "
                "'.', '_' or '-'",
            )
        )
    if not _EMAIL.match(email):
        raise AccountError(
            Bilingual(f"ungültige E-Mail-Adresse {email!r}", f"invalid e-mail address {email!r}")
        )
    if password is not None:
        check_password_length(password)
    try:
        with store.transaction() as session:
            user = User(
                username=username,
                email=email,
                full_name=full_name,
                password_hash=hash_password(password or secrets.token_urlsafe(32)),
                is_site_admin=site_admin,
            )
            session.add(user)
            session.flush()
            for org_name, role in (roles or {}).items():
                org = _organization(session, org_name)
                session.add(Membership(user_id=user.id, organization_id=org.id, role=role))
            return user
    except IntegrityError:
        raise AccountError(
            Bilingual(
                f"der Benutzername {username!r} ist schon vergeben",
                f"the username {username!r} is already taken",
            )
        ) from None


def create_token(store: Store, username: str, name: str) -> IssuedToken:
    """Issue an API token for a user; only its hash is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(Bilingual(f"kein Benutzer {username!r}", f"no user {username!r}"))
        token = ApiToken(
            user_id=user.id, name=name, token_hash=token_digest(secret), prefix=secret[:10]
        )
        session.add(token)
        session.flush()
        return IssuedToken(id=token.id, name=name, secret=secret)


def user_for_token(store: Store, secret: str) -> User | None:
    """The active user a token belongs to, noting its last use; None if unknown or revoked."""
    with store.transaction() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(secret)))
        if token is None or token.revoked_at is not None or not token.user.is_active:
            return None
        token.last_used_at = utcnow()
        return token.user


def revoke_token(store: Store, token_id: str) -> None:
    with store.transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise AccountError(Bilingual(f"kein Token {token_id}", f"no token {token_id}"))
        if token.revoked_at is None:
            token.revoked_at = utcnow()


def token_digest(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; a slow one would slow every API call.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class AccountSummary:
    """One account as the operator's list shows it."""

    username: str
    email: str
    full_name: str
    site_admin: bool
    active: bool
    roles: tuple[tuple[str, Role], ...]  # (organisation name, role), by organisation
    created_at: datetime
    last_login_at: datetime | None


def list_accounts(store: Store) -> list[AccountSummary]:
    with store.reading() as session:
        users = session.scalars(
            select(User)
            .options(selectinload(User.memberships).selectinload(Membership.organization))
            .order_by(User.username)
        )
        return [
            AccountSummary(
                username=user.username,
                email=user.email,
                full_name=user.full_name,
                site_admin=user.is_site_admin,
                active=user.is_active,
                roles=tuple(sorted((m.organization.name, m.role) for m in user.memberships)),
                created_at=user.created_at,
                last_login_at=user.last_login_at,
            )
            for user in users
        ]


def check_password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            Bilingual(
                f"Passwort zu kurz: mindestens {MIN_PASSWORD_LENGTH} Zeichen",
                f"password too short: at least {MIN_PASSWORD_LENGTH} characters",
            )
        )


def sign_out_everywhere(store: Store, username: str) -> None:
    """End every login session of the user (in every browser), from the next request on."""
    with store.transaction() as session:
        _end_sessions(user_named(session, username))


def set_active(store: Store, username: str, active: bool) -> None:
    """Disable an account (its sessions and API tokens stop working) or enable it again."""
    with store.transaction() as session:
        user = user_named(session, username)
        user.is_active = active
        if not active:
            _end_sessions(user)


def set_password(store: Store, username: str, password: str) -> None:
    """Give the user a new password; every session of theirs ends."""
    check_password_length(password)
    with store.transaction() as session:
        store_password(user_named(session, username), password)


def change_own_password(store: Store, user_id: str, current: str, new: str) -> User | None:
    """A steward's own change, allowed with the current password: the user (with the new
    session generation, for the session that made the change), or None if `current` is wrong.
    """
    check_password_length(new)
    with store.transaction() as session:
        user = session.get(User, user_id)
        if not login_password_matches(user, current):
            return None
        store_password(user, new)
        return user


def change_roles(
    store: Store, username: str, roles: Mapping[str, Role], remove: Iterable[str] = ()
) -> None:
    """Give the user these roles (organisation name -> role) and leave the `remove`d ones."""
    with store.transaction() as session:
        user = user_named(session, username)
        for org_name, role in roles.items():
            org = _organization(session, org_name)
            membership = session.get(Membership, (user.id, org.id))
            if membership is None:
                session.add(Membership(user_id=user.id, organization_id=org.id, role=role))
            else:
                membership.role = role
        for org_name in remove:
            org = _organization(session, org_name)
            membership = session.get(Membership, (user.id, org.id))
            if membership is None:
                raise AccountError(
                    Bilingual(
                        f"{username!r} hat keine Rolle in {org_name!r}",
                        f"{username!r} has no role in {org_name!r}",
                    )
                )
            session.delete(membership)


def store_password(user: User, password: str) -> None:
    """Hash and keep a new password (length already checked), ending the user's sessions."""
    user.password_hash = hash_password(password)
    _end_sessions(user)


def _end_sessions(user: User) -> None:
    user.session_generation += 1


def user_named(session: Session, username: str) -> User:
    """The user with this name in an open session; AccountError if there is none."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise AccountError(Bilingual(f"kein Benutzer {username!r}", f"no user {username!r}"))
    return user


def _organization(session: Session, name: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        raise AccountError(
            Bilingual(f"unbekannte Organisation {name!r}", f"unknown organisation {name!r}")
        )
    return org


@dataclass(frozen=True)
class TokenRow:
    """A token as its list shows it: never the secret, only its first characters."""

    id: str
    name: str
    prefix: str
    owner: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def get_token(store: Store, token_id: str) -> ApiToken | None:
    with store.reading() as session:
        return session.get(ApiToken, token_id)


def list_tokens(store: Store, owner_id: str | None = None) -> list[TokenRow]:
    """Live tokens before revoked ones, newest first; only `owner_id`'s if given."""
    query = (
        select(ApiToken, User.username)
        .join(User, ApiToken.user_id == User.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    )
    if owner_id is not None:
        query = query.where(ApiToken.user_id == owner_id)
    with store.reading() as session:
        return [
            TokenRow(
                id=token.id,
                name=token.name,
                prefix=token.prefix,
                owner=username,
                created_at=token.created_at,
                last_used_at=token.last_used_at,
                revoked_at=token.revoked_at,
            )
            for token, username in session.execute(query).all()
        ]
