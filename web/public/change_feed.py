"""GET /api/changes: the public change feed for processes, CloudEvents 1.0 in commit order.

A process keeps the `next` cursor of each answer and asks with `since=` for what followed;
it sees every public change once and in order (catalog.change_log says why no change is
skipped, also while harvests write). Without `since` the feed starts at the beginning.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from catalog.change_feed import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    BadCursor,
    cloud_event,
    decode_cursor,
    encode_cursor,
    public_events,
)
from web.context import current_settings, current_store
from web.labels import machine_language

blueprint = Blueprint("change_feed", __name__)


class BadParameter(ValueError):
    def __init__(self, parameter: str, message_de: str, message_en: str) -> None:
        super().__init__(parameter)
        self.parameter = parameter
        self.message_de = message_de
        self.message_en = message_en


@blueprint.get("/api/changes")
def changes() -> tuple[Response, int]:
    try:
        since = _since(request.args.get("since"))
        limit = _limit(request.args.get("limit"))
    except BadParameter as exc:
        message = exc.message_de if machine_language() == "de" else exc.message_en
        return _json({"error": {"parameter": exc.parameter, "message": message}}, 400)
    settings = current_settings()
    page = public_events(current_store(), settings, after=since, limit=limit)
    base_url = settings.catalog.base_url
    next_cursor = encode_cursor(page.next_position)
    body = {
        "events": [cloud_event(event, base_url) for event in page.events],
        "next": next_cursor,
        "next_url": f"{base_url}/api/changes?since={next_cursor}&limit={limit}",
    }
    return _json(body, 200)


def _since(value: str | None) -> int:
    if value is None or value == "":
        return 0
    try:
        return decode_cursor(value)
    except BadCursor:
        raise BadParameter(
            "since",
            "since: unbekannter Cursor; erlaubt ist nur ein „next“-Wert einer früheren Antwort "
            "oder nichts (vom Anfang an)",
            "since: unknown cursor; give the 'next' value of an earlier answer, "
            "or nothing to start from the beginning",
        ) from None


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 7 and 1 <= int(text) <= MAX_LIMIT):
        raise BadParameter(
            "limit",
            f"limit: ganze Zahl von 1 bis {MAX_LIMIT} erwartet, erhalten: {value!r}",
            f"limit: expected a whole number from 1 to {MAX_LIMIT}, got {value!r}",
        )
    return int(text)


def _json(body: dict[str, Any], status: int) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response, status
