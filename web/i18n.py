"""Languages of the pages: German by default, English on request, remembered in a cookie.

Messages are written in German in the templates and code (the default language needs no
catalogue); web/translations/en holds the English ones. `?lang=en` on any page switches and
sets the cookie, so switching works without JavaScript.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_babel import Babel

LANGUAGES = ("de", "en")
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """?lang= first, then the cookie, then the catalog's configured language."""
    asked = request.args.get(COOKIE)
    if asked in LANGUAGES:
        g.language_switched_to = asked
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    default: str = current_app.config["CATALOG_LANGUAGE"]
    return default


def _remember_switch(response: Response) -> Response:
    chosen = g.get("language_switched_to")
    if chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def register(app: Flask, default_language: str) -> None:
    app.config["CATALOG_LANGUAGE"] = default_language
    Babel(
        app,
        default_locale="de",
        default_translation_directories="translations",
        locale_selector=select_locale,
    )
    app.after_request(_remember_switch)
