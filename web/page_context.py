"""What every page template may use: the catalog's settings, language links, date formats."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_date, format_decimal, gettext

from catalog.settings import Settings
from web.i18n import LANGUAGE_NAMES, LANGUAGES
from web.labels import language
from web.public.descriptions import plain_description, render_description


def _language_links() -> list[tuple[str, str, str, bool]]:
    """(code, name, url of this page in it, is current) for the language switch."""
    current = language()
    arguments: dict[str, Any] = dict(request.args)
    links = []
    for code in LANGUAGES:
        arguments["lang"] = code
        url = (
            url_for(request.endpoint, **(request.view_args or {}), **arguments)
            if (request.endpoint)
            else f"?lang={code}"
        )
        links.append((code, LANGUAGE_NAMES[code], url, code == current))
    return links


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_date(value.date() if isinstance(value, datetime) else value, "medium")


def register(app: Flask, settings: Settings) -> None:
    app.jinja_env.filters["day"] = _day
    app.jinja_env.filters["number"] = lambda value: format_decimal(value or 0)
    app.jinja_env.filters["description_html"] = render_description
    app.jinja_env.filters["snippet"] = plain_description

    @app.context_processor
    def _page_context() -> dict[str, object]:
        return {
            "catalog_settings": settings.catalog,
            "page_language": language(),
            "language_links": _language_links,
            "status_labels": {
                "draft": gettext("Entwurf"),
                "published": gettext("Veröffentlicht"),
                "withdrawn": gettext("Zurückgezogen"),
            },
            "job_labels": {
                "running": gettext("läuft"),
                "done": gettext("erfolgreich"),
                "done_with_errors": gettext("mit Fehlern in einzelnen Datensätzen"),
                "failed": gettext("fehlgeschlagen"),
            },
        }
