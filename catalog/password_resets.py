"""One-time links to set a password: made by an operator or admin, or sent by e-mail.

Only the SHA-256 of a link's secret is stored (like API tokens: 256 random bits need no slow
hash). A link works once and for a limited time; setting the password through it ends the
user's other links and every session of theirs.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from catalog.accounts import check_password_length, store_password, token_digest, user_named
from catalog.models import PasswordReset, User, utcnow
from catalog.store import Store

# An operator hands the link on by hand (a new colleague may start after a weekend) ...
HANDED_LINK_LIFETIME = timedelta(days=3)
# ... a mailed link is used at once, and a mailbox is a place where old mail lies around.
MAILED_LINK_LIFETIME = timedelta(hours=1)


def issue_reset(store: Store, username: str, lifetime: timedelta = HANDED_LINK_LIFETIME) -> str:
    """A new link secret for the user; the caller turns it into an address."""
    secret = secrets.token_urlsafe(32)
    with store.transaction() as session:
        user = user_named(session, username)
        session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=token_digest(secret),
                expires_at=utcnow() + lifetime,
            )
        )
    return secret


def users_to_remind(store: Store, name_or_email: str) -> list[tuple[str, str]]:
    """(user name, e-mail address) of the active accounts with this name or e-mail address."""
    wanted = name_or_email.strip()
    if not wanted:
        return []
    with store.reading() as session:
        rows = session.execute(
            select(User.username, User.email).where(
                User.is_active,
                or_(User.username == wanted.lower(), User.email == wanted),
            )
        ).all()
    return [(username, email) for username, email in rows]


def reset_username(store: Store, secret: str, now: datetime | None = None) -> str | None:
    """The user a link is for while it still works; None for a used, expired or unknown one."""
    with store.reading() as session:
        reset = _open_reset(session, secret, now or utcnow())
        return reset.user.username if reset is not None else None


def use_reset(store: Store, secret: str, password: str) -> str | None:
    """Set the password through the link: the user name, or None if the link does not work."""
    check_password_length(password)
    now = utcnow()
    with store.transaction() as session:
        reset = _open_reset(session, secret, now)
        if reset is None:
            return None
        store_password(reset.user, password)
        session.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        return reset.user.username


def _open_reset(session: Session, secret: str, now: datetime) -> PasswordReset | None:
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_digest(secret))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    if not reset.user.is_active:  # a disabled account stays closed
        return None
    return reset
