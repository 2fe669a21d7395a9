"""Members of an organisation in the steward area: who is admin or editor, added and removed
by the organisation's admins and site admins. An organisation never loses its last admin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from catalog.models import Membership, Organization, Role, User
from catalog.permissions import may_manage_organization
from web.context import current_store
from web.steward.auth import current_rights, forbidden, login_required

blueprint = Blueprint("steward_members", __name__, url_prefix="/verwaltung")
ROLES = (Role.EDITOR, Role.ADMIN)


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


@blueprint.get("/organisationen/<name>/mitglieder")
@login_required
def index(name: str) -> str:
    return _page(_managed_organization(name))


@blueprint.post("/organisationen/<name>/mitglieder")
@login_required
def add(name: str) -> Response | tuple[str, int]:
    organization = _managed_organization(name)
    username = request.form.get("username", "").strip().lower()
    role = _role(request.form.get("role"))
    error = _add_member(organization, username, role)
    if error:
        return _page(organization, error=error, username=username), 422
    flash(gettext("%(name)s ist jetzt Mitglied.", name=username), "success")
    return redirect(url_for(".index", name=organization.name), 303)


@blueprint.post("/organisationen/<name>/mitglieder/<username>/rolle")
@login_required
def change_role(name: str, username: str) -> Response | tuple[str, int]:
    organization = _managed_organization(name)
    return _change(organization, username, _role(request.form.get("role")))


@blueprint.post("/organisationen/<name>/mitglieder/<username>/entfernen")
@login_required
def remove(name: str, username: str) -> Response | tuple[str, int]:
    organization = _managed_organization(name)
    return _change(organization, username, None)


def _change(
    organization: Organization, username: str, role: Role | None
) -> Response | tuple[str, int]:
    """Give a member a new role, or remove them (role None), unless that leaves no admin."""
    with current_store().transaction() as session:
        memberships = list(
            session.scalars(
                select(Membership)
                .options(joinedload(Membership.user))
                .where(Membership.organization_id == organization.id)
            )
        )
        member = next((m for m in memberships if m.user.username == username), None)
        if member is None:
            abort(404)
        allowed = keeps_an_admin([m.role for m in memberships], member.role, role)
        if allowed and role is None:
            session.delete(member)
        elif allowed and role is not None:
            member.role = role
    if not allowed:
        error = gettext(
            "%(name)s ist der letzte Administrator dieser Organisation. Ernennen Sie zuerst "
            "ein anderes Mitglied zum Administrator.",
            name=username,
        )
        return _page(organization, error=error), 409
    if role is None:
        flash(gettext("%(name)s ist kein Mitglied mehr.", name=username), "success")
    else:
        flash(gettext("Die Rolle von %(name)s ist geändert.", name=username), "success")
    return redirect(url_for(".index", name=organization.name), 303)


def _add_member(organization: Organization, username: str, role: Role) -> str:
    """Add an existing user; the reason why not, or "" when done."""
    with current_store().transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active:
            return gettext(
                "Es gibt keinen Benutzer „%(name)s“. Konten legt der Betrieb mit "
                "`catalog user add` an.",
                name=username,
            )
        if session.get(Membership, (user.id, organization.id)) is not None:
            return gettext(
                "%(name)s ist schon Mitglied; die Rolle ändern Sie in der Liste.", name=username
            )
        session.add(Membership(user_id=user.id, organization_id=organization.id, role=role))
    return ""


def _role(value: str | None) -> Role:
    try:
        return Role(value or "")
    except ValueError:
        abort(400, "Unbekannte Rolle / unknown role")


def _managed_organization(name: str) -> Organization:
    with current_store().reading() as session:
        organization = session.scalar(select(Organization).where(Organization.name == name))
    if organization is None:
        abort(404)
    decision = may_manage_organization(current_rights(), organization.id)
    if not decision:
        forbidden(decision.reason)
    return organization


def _members(organization: Organization) -> list[MemberRow]:
    with current_store().reading() as session:
        rows = session.execute(
            select(User.username, User.full_name, User.email, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == organization.id)
            .order_by(User.username)
        ).all()
    return [MemberRow(*row) for row in rows]


def _page(organization: Organization, *, error: str = "", username: str = "") -> str:
    return render_template(
        "steward/members/index.html",
        organization=organization,
        members=_members(organization),
        roles=ROLES,
        error=error,
        username=username,
    )
