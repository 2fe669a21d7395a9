"""Request bodies larger than web.max_request_bytes are refused with 413 before they are read.

Nothing in the catalog takes an upload: API calls and steward forms are text, so one limit
serves every route. A body that announces its length (Content-Length) is refused at once, also
where the view never reads it. A chunked body announces nothing: it is read here through
werkzeug's stream, capped one byte past the limit (MAX_CONTENT_LENGTH), and refused if it
reaches that byte, so no more than the limit is ever held. (werkzeug alone would cut such a
body at the cap silently and hand the view a truncated body.)
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from catalog.settings import Settings
from dcat.bilingual import Bilingual
from web.labels import machine_language

LIMIT_KEY = "catalog.max_request_bytes"


def register(app: Flask, settings: Settings) -> None:
    app.extensions[LIMIT_KEY] = settings.web.max_request_bytes
    app.config["MAX_CONTENT_LENGTH"] = settings.web.max_request_bytes + 1
    app.before_request(_refuse_oversized_body)


def too_large_reason() -> Bilingual:
    """Why the request was refused, naming the limit (werkzeug's own text says nothing useful)."""
    limit = _size(current_app.extensions[LIMIT_KEY])
    return Bilingual(f"Anfrage zu groß, höchstens {limit}", f"Request too large, at most {limit}")


def too_large() -> RequestEntityTooLarge:
    """The 413 for a program: its description in the language programs are answered in."""
    reason = too_large_reason()
    return RequestEntityTooLarge(reason.in_language(machine_language()))


def _refuse_oversized_body() -> None:
    """By Content-Length, also where the view never reads the body; a chunked body by reading
    it up to one byte past the limit."""
    limit: int = current_app.extensions[LIMIT_KEY]
    if request.content_length is not None:
        size = request.content_length
    elif "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        # Cached: the view's get_data(), form and get_json() read this copy.
        size = len(request.get_data(cache=True))
    else:
        return
    if size > limit:
        raise too_large()


def _size(count: int) -> str:
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KB"
    return f"{count} Bytes"
