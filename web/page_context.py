"""What every page template may use: the catalog's settings, language links, date formats."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_date, format_decimal, gettext

from catalog.settings import Settings
from web.i18n import LANGUAGE_NAMES, LANGUAGES
from web.labels import format_label, language, with_format
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


# Sources write an open end as a far-future date (01.01.9999); a period ends before this year.
OPEN_END_YEAR = 9000
_SIZE_UNITS = ("kB", "MB", "GB", "TB")


def _period(start: date | None, end: date | None) -> str:
    """A period as people write it: "01.11.2011 – 31.12.2020", "seit 01.11.2011", "bis …"."""
    if end is not None and end.year >= OPEN_END_YEAR:
        end = None
    if start is not None and end is not None:
        return f"{_day(start)} – {_day(end)}"
    if start is not None:
        return gettext("seit %(day)s", day=_day(start))
    return gettext("bis %(day)s", day=_day(end)) if end is not None else ""


def _byte_size(value: int | None) -> str:
    """A file size in decimal units with the page's number format ("7,4 MB" in German)."""
    size = float(value or 0)
    if size < 1000:
        return gettext("%(num)s Byte", num=format_decimal(int(size)))
    step = 0
    size /= 1000
    while size >= 1000 and step < len(_SIZE_UNITS) - 1:
        size /= 1000
        step += 1
    return f"{format_decimal(size, '#,##0.#')} {_SIZE_UNITS[step]}"


def register(app: Flask, settings: Settings) -> None:
    app.jinja_env.filters["day"] = _day
    app.jinja_env.filters["byte_size"] = _byte_size
    app.jinja_env.globals["period"] = _period
    app.jinja_env.globals["format_label"] = format_label
    app.jinja_env.globals["with_format"] = with_format
    app.jinja_env.filters["number"] = lambda value: format_decimal(value or 0)
    app.jinja_env.filters["description_html"] = render_description
    app.jinja_env.filters["snippet"] = plain_description

    @app.context_processor
    def _page_context() -> dict[str, object]:
        return {
            "catalog_settings": settings.catalog.in_language(language()),
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
