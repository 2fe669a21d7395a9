"""Accounts in the steward area, for site admins: who has an account, and disabling,
enabling, "sign out everywhere" and a one-time link to set a new password (shown once)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from catalog.accounts import AccountError, list_accounts, set_active, sign_out_everywhere
from catalog.password_resets import HANDED_LINK_LIFETIME, issue_reset
from catalog.permissions import may_manage_accounts
from web.context import current_settings, current_store
from web.errors import fail
from web.steward.auth import current_rights, forbidden, login_required
from web.steward.password_reset import reset_link

blueprint = Blueprint("steward_users", __name__, url_prefix="/verwaltung")


@blueprint.get("/benutzer")
@login_required
def index() -> str:
    _check_allowed()
    return _page()


@blueprint.post("/benutzer/<username>/deaktivieren")
@login_required
def disable(username: str) -> Response:
    _check_allowed()
    if username == current_user.username:
        fail(
            409, "Sie können Ihr eigenes Konto nicht deaktivieren.", "You cannot disable yourself."
        )
    _act(lambda: set_active(current_store(), username, False))
    flash(gettext("Das Konto %(name)s ist deaktiviert und überall abgemeldet.", name=username))
    return redirect(url_for(".index"), 303)


@blueprint.post("/benutzer/<username>/aktivieren")
@login_required
def enable(username: str) -> Response:
    _check_allowed()
    _act(lambda: set_active(current_store(), username, True))
    flash(gettext("Das Konto %(name)s ist wieder aktiv.", name=username), "success")
    return redirect(url_for(".index"), 303)


@blueprint.post("/benutzer/<username>/abmelden")
@login_required
def sign_out(username: str) -> Response:
    _check_allowed()
    _act(lambda: sign_out_everywhere(current_store(), username))
    flash(gettext("%(name)s ist in allen Browsern abgemeldet.", name=username), "success")
    return redirect(url_for(".index"), 303)


@blueprint.post("/benutzer/<username>/passwort-link")
@login_required
def reset(username: str) -> Response:
    _check_allowed()
    try:
        secret = issue_reset(current_store(), username, HANDED_LINK_LIFETIME)
    except AccountError:
        abort(404)
    link = reset_link(current_settings().catalog.base_url, secret)
    response = make_response(_page(issued_for=username, link=link))
    response.headers["Cache-Control"] = "no-store"  # the link is in this page only
    return response


def _act(action: Callable[[], None]) -> None:
    """Run an account change; an unknown user name is a 404."""
    try:
        action()
    except AccountError:
        abort(404)


def _check_allowed() -> None:
    decision = may_manage_accounts(current_rights())
    if not decision:
        forbidden(decision.reason_de, decision.reason_en)


def _page(*, issued_for: str = "", link: str = "") -> str:
    return render_template(
        "steward/users/index.html",
        accounts=list_accounts(current_store()),
        issued_for=issued_for,
        link=link,
        link_days=HANDED_LINK_LIFETIME.days,
    )
