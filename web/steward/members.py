"""Members of an organisation in the steward area: who is admin or editor, added and removed
by the organisation's admins and site admins (catalog.memberships, which keeps the last admin)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from catalog import memberships
from catalog.memberships import (
    AlreadyMember,
    LastAdmin,
    NotAMember,
    UnknownUser,
    add_member,
    list_members,
    remove_member,
)
from catalog.models import Organization, Role
from catalog.organizations import get_organization_by_name
from catalog.permissions import may_manage_organization
from web.context import current_store
from web.errors import fail
from web.steward.auth import current_rights, forbidden, login_required

blueprint = Blueprint("steward_members", __name__, url_prefix="/verwaltung")
ROLES = (Role.EDITOR, Role.ADMIN)


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
    try:
        if role is None:
            remove_member(current_store(), organization.id, username)
        else:
            memberships.change_role(current_store(), organization.id, username, role)
    except NotAMember:
        abort(404)
    except LastAdmin:
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
    try:
        add_member(current_store(), organization.id, username, role)
    except UnknownUser:
        return gettext(
            "Es gibt keinen Benutzer „%(name)s“. Konten legt der Betrieb mit "
            "`catalog user add` an.",
            name=username,
        )
    except AlreadyMember:
        return gettext(
            "%(name)s ist schon Mitglied; die Rolle ändern Sie in der Liste.", name=username
        )
    return ""


def _role(value: str | None) -> Role:
    try:
        return Role(value or "")
    except ValueError:
        fail(400, "Unbekannte Rolle.", "Unknown role.")


def _managed_organization(name: str) -> Organization:
    organization = get_organization_by_name(current_store(), name)
    if organization is None:
        abort(404)
    decision = may_manage_organization(current_rights(), organization.id)
    if not decision:
        forbidden(decision.reason_de, decision.reason_en)
    return organization


def _page(organization: Organization, *, error: str = "", username: str = "") -> str:
    return render_template(
        "steward/members/index.html",
        organization=organization,
        members=list_members(current_store(), organization.id),
        roles=ROLES,
        error=error,
        username=username,
    )
