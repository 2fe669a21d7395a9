"""Who belongs to an organisation, as admin or editor: added, given another role and removed by
the organisation's admins. An organisation never loses its last admin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from catalog.models import Membership, Role, User
from catalog.store import Store


class MembershipError(ValueError):
    """A change of members that was not made; the subclass says why."""

    def __init__(self, username: str) -> None:
        super().__init__(username)
        self.username = username


class UnknownUser(MembershipError):
    """No active account has this user name (accounts are made with `catalog user add`)."""


class AlreadyMember(MembershipError):
    """The user is a member already; their role is changed instead."""


class NotAMember(MembershipError):
    """The user is not a member of the organisation."""


class LastAdmin(MembershipError):
    """The change would leave the organisation without an admin."""


@dataclass(frozen=True)
class MemberRow:
    username: str
    full_name: str
    email: str
    role: Role


def keeps_an_admin(roles: Sequence[Role], old: Role, new: Role | None) -> bool:
    """Whether the organisation still has an admin after one member's role goes from `old` to
    `new` (None: removed). An organisation without any admin may stay so."""
    admins = sum(1 for role in roles if role == Role.ADMIN)
    if old != Role.ADMIN or new == Role.ADMIN or admins == 0:
        return True
    return admins > 1


def list_members(store: Store, organization_id: str) -> list[MemberRow]:
    """The organisation's members by user name."""
    with store.reading() as session:
        rows = session.execute(
            select(User.username, User.full_name, User.email, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == organization_id)
            .order_by(User.username)
        ).all()
    return [MemberRow(*row) for row in rows]


def add_member(store: Store, organization_id: str, username: str, role: Role) -> None:
    """Make an existing, active user a member; UnknownUser or AlreadyMember otherwise."""
    with store.transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active:
            raise UnknownUser(username)
        if session.get(Membership, (user.id, organization_id)) is not None:
            raise AlreadyMember(username)
        session.add(Membership(user_id=user.id, organization_id=organization_id, role=role))


def change_role(store: Store, organization_id: str, username: str, role: Role) -> None:
    """Give a member another role; NotAMember, or LastAdmin when no admin would be left."""
    _change(store, organization_id, username, role)


def remove_member(store: Store, organization_id: str, username: str) -> None:
    """End a membership; NotAMember, or LastAdmin for the organisation's last admin."""
    _change(store, organization_id, username, None)


def _change(store: Store, organization_id: str, username: str, role: Role | None) -> None:
    with store.transaction() as session:
        memberships = list(
            session.scalars(
                select(Membership)
                .options(joinedload(Membership.user))
                .where(Membership.organization_id == organization_id)
            )
        )
        member = next((m for m in memberships if m.user.username == username), None)
        if member is None:
            raise NotAMember(username)
        if not keeps_an_admin([m.role for m in memberships], member.role, role):
            raise LastAdmin(username)
        if role is None:
            session.delete(member)
        else:
            member.role = role
