"""A steward's own account: changing their password (with the current one), which ends
their other sessions but keeps the one that made the change."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from catalog.accounts import MIN_PASSWORD_LENGTH, change_own_password
from web.context import current_store
from web.steward.auth import log_in_as, login_required
from web.steward.password_fields import MAX_PASSWORD_LENGTH, new_password_errors

blueprint = Blueprint("steward_account", __name__, url_prefix="/verwaltung")


@blueprint.get("/konto/passwort")
@login_required
def password() -> str:
    return _page({})


@blueprint.post("/konto/passwort")
@login_required
def change_password() -> Response | tuple[str, int]:
    errors = new_password_errors(request.form)
    current = request.form.get("current_password", "")
    if not current or len(current) > MAX_PASSWORD_LENGTH:
        errors["current_password"] = gettext("Bitte geben Sie Ihr jetziges Passwort ein.")
    if errors:
        return _page(errors), 422
    user = change_own_password(
        current_store(), current_user.id, current, request.form["new_password"]
    )
    if user is None:
        return _page({"current_password": gettext("Das jetzige Passwort stimmt nicht.")}), 422
    log_in_as(user)  # the change ended every session; this one goes on with the new one
    flash(
        gettext("Ihr Passwort ist geändert. Andere Anmeldungen mit diesem Konto sind beendet."),
        "success",
    )
    return redirect(url_for(".password"), 303)


def _page(errors: dict[str, str]) -> str:
    return render_template(
        "steward/account/password.html", errors=errors, min_length=MIN_PASSWORD_LENGTH
    )
