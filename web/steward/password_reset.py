"""Setting a password through a one-time link, and "Passwort vergessen?", which mails such a
link when an SMTP server is configured.

The forgotten-password page answers the same words whether or not the name or address
belongs to an account, and the mail leaves in a background thread, so neither the page nor
the time it takes tells who has an account. Links are built from catalog.base_url, never
from the request's Host header, which a caller could choose.
"""

from __future__ import annotations

import logging
import smtplib
import threading

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from catalog.accounts import MIN_PASSWORD_LENGTH
from catalog.mail import send_mail
from catalog.password_resets import (
    MAILED_LINK_LIFETIME,
    issue_reset,
    reset_username,
    use_reset,
    users_to_remind,
)
from catalog.settings import MailSettings
from web.context import current_settings, current_store
from web.steward.password_fields import new_password_errors

blueprint = Blueprint("password_reset", __name__, url_prefix="/verwaltung")
log = logging.getLogger(__name__)
RESET_PATH = "/verwaltung/passwort/"
MAX_NAME_LENGTH = 320


def reset_link(base_url: str, secret: str) -> str:
    """The address of the page that sets a password with this link secret."""
    return f"{base_url.rstrip('/')}{RESET_PATH}{secret}"


@blueprint.route("/passwort/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response:
    store = current_store()
    username = reset_username(store, token)
    if username is None:
        return _private(render_template("steward/password/link_invalid.html"), 404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = new_password_errors(request.form)
        if not errors and use_reset(store, token, request.form["new_password"]) is not None:
            flash(gettext("Ihr Passwort ist gesetzt. Bitte melden Sie sich an."), "success")
            return redirect(url_for("auth.login"), 303)
    page = render_template(
        "steward/password/set.html",
        username=username,
        errors=errors,
        min_length=MIN_PASSWORD_LENGTH,
    )
    return _private(page, 422 if errors else 200)


@blueprint.route("/passwort-vergessen", methods=["GET", "POST"])
def forgotten() -> str:
    mail = current_settings().mail
    sent = False
    if request.method == "POST" and mail.enabled:
        name = request.form.get("name", "")[:MAX_NAME_LENGTH]
        for username, address in users_to_remind(current_store(), name):
            _mail_link(mail, username, address)
        sent = True
    return render_template("steward/password/forgotten.html", mail=mail.enabled, sent=sent)


def _mail_link(mail: MailSettings, username: str, address: str) -> None:
    settings = current_settings()
    secret = issue_reset(current_store(), username, MAILED_LINK_LIFETIME)
    subject = gettext("Neues Passwort für %(title)s", title=settings.catalog.title)
    body = gettext(
        "Guten Tag,\n\njemand, hoffentlich Sie, möchte das Passwort des Kontos „%(name)s“ "
        "im Katalog „%(title)s“ neu setzen. Mit diesem Link setzen Sie ein neues Passwort; "
        "er gilt eine Stunde und nur einmal:\n\n%(link)s\n\nWaren Sie das nicht, "
        "beachten Sie diese Nachricht nicht: Ihr Passwort bleibt, wie es ist.\n",
        name=username,
        title=settings.catalog.title,
        link=reset_link(settings.catalog.base_url, secret),
    )
    thread = threading.Thread(
        target=_send_quietly, args=(mail, address, subject, body), daemon=True
    )
    thread.start()


def _send_quietly(mail: MailSettings, address: str, subject: str, body: str) -> None:
    try:
        send_mail(mail, address, subject, body)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("password-reset mail to %s not sent: %s", address, exc)


def _private(page: str, status: int) -> Response:
    response = make_response(page, status)
    # The address holds the secret: keep it out of caches and other sites' logs.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
