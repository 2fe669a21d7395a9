"""Error pages in the catalog's own layout."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    # Our own 400s say what was wrong (German / English); werkzeug's defaults say nothing useful.
    described = code in (400, 403, 409) and " / " in (error.description or "")
    detail = error.description if described else None
    return render_template("error.html", code=code, detail=detail), code


def _unexpected_error(error: Exception) -> tuple[str, int]:
    log.exception("unhandled error", exc_info=error)
    return _http_error(InternalServerError())
