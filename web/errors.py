"""Error pages in the catalog's own layout; on the CKAN Action API, CKAN error objects."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from web.ckan.api import error_envelope, is_action_path
from web.request_limits import too_large

log = logging.getLogger(__name__)

# Errors whose description we write ourselves (German / English); werkzeug's say nothing useful.
DESCRIBED = (400, 403, 409, 413)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException) -> tuple[str | Response, int]:
    if error.code == 413:  # also werkzeug's own, raised by the capped stream of a chunked body
        error = too_large()
    if is_action_path(request.path):
        return error_envelope(error)
    code = error.code or 500
    described = code in DESCRIBED and " / " in (error.description or "")
    detail = error.description if described else None
    return render_template("error.html", code=code, detail=detail), code


def _unexpected_error(error: Exception) -> tuple[str | Response, int]:
    if is_action_path(request.path):
        return error_envelope(error)
    log.exception("unhandled error", exc_info=error)
    return _http_error(InternalServerError())
