"""Stewards' sessions: login and logout, who is logged in, and what they may do.

Flask-Login keeps the user id and the user's session generation in the signed session cookie
and checks both against the database on every request: logout, a password change, disabling
and "sign out everywhere" raise the generation (catalog.accounts), so a copied cookie stops
working on the server, not only in the browser that logged out. Rights are read once per
request too (catalog.permissions), so a role taken away counts at once.
Password guessing is slowed down by catalog.login_throttle. After login the user goes back
to where they came from, but only to an address of this catalog (no open redirect).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from catalog.accounts import check_login, session_user, sign_out_everywhere
from catalog.login_throttle import check_attempt, record_attempt
from catalog.models import User
from catalog.permissions import ANONYMOUS, Rights, load_rights
from web.context import current_store
from web.errors import fail

blueprint = Blueprint("auth", __name__, url_prefix="/verwaltung")
login_manager = LoginManager()
F = TypeVar("F", bound=Callable[..., Any])


class SessionUser(UserMixin):
    """The logged-in steward as Flask-Login sees them: an id, a display name, and the session
    generation their session was opened with."""

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.username = user.username
        self.display_name = user.full_name or user.username
        self.generation = user.session_generation

    def get_id(self) -> str:
        # What the session (and a remember-me cookie) keeps: id and generation together.
        return f"{self.id}:{self.generation}"


@login_manager.user_loader
def _load_user(session_id: str) -> SessionUser | None:
    user_id, _, generation = session_id.partition(":")
    if not (generation.isascii() and generation.isdigit()):
        return None  # a session from before generations existed: log in again
    user = session_user(current_store(), user_id, int(generation))
    return SessionUser(user) if user is not None else None


def log_in_as(user: User) -> None:
    """Open a login session for the user at their current session generation."""
    login_user(SessionUser(user))


def current_rights() -> Rights:
    """The logged-in steward's rights, once per request; anonymous when nobody is."""
    rights: Rights | None = g.get("steward_rights")
    if rights is None:
        rights = ANONYMOUS
        if current_user.is_authenticated:
            rights = load_rights(current_store(), current_user.id)
        g.steward_rights = rights
    return rights


def login_required(view: F) -> F:
    """Stewards only; others go to the login page and come back afterwards."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return cast(F, wrapped)


def safe_next(target: str | None) -> str:
    """A local path to go on to; anything pointing elsewhere becomes the dashboard."""
    fallback = url_for("steward.dashboard")
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\\"):
        return fallback
    return target


class LoginForm(FlaskForm):
    username = StringField("Benutzername", validators=[DataRequired(), Length(max=100)])
    password = PasswordField("Passwort", validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


@blueprint.route("/anmelden", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        return render_template("steward/login.html", form=form)
    store = current_store()
    address = request.remote_addr or ""
    verdict = check_attempt(store, form.username.data, address)
    if not verdict.allowed:
        message = gettext(
            "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie %(seconds)s Sekunden.",
            seconds=verdict.retry_after,
        )
        page = render_template("steward/login.html", form=form, error=message)
        return page, 429
    user = check_login(store, form.username.data, form.password.data)
    record_attempt(store, form.username.data, address, succeeded=user is not None)
    if user is None:
        error = gettext("Benutzername oder Passwort ist falsch.")
        return render_template("steward/login.html", form=form, error=error), 401
    log_in_as(user)
    return redirect(safe_next(form.next.data))


@blueprint.post("/abmelden")
@login_required
def logout() -> Response:
    # Ends the user's sessions everywhere: a copy of this cookie must not outlive the logout.
    sign_out_everywhere(current_store(), current_user.username)
    logout_user()
    flash(gettext("Sie sind abgemeldet."))
    return redirect(url_for("public.index"))


def register(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    app.register_blueprint(blueprint)

    @app.context_processor
    def _steward_context() -> dict[str, object]:
        return {"current_user": current_user, "steward_rights": current_rights}


def forbidden(reason_de: str, reason_en: str) -> NoReturn:
    """403 with the permission rule's reason on the error page, in the page's language."""
    fail(403, reason_de, reason_en)
