"""Error pages in the catalog's own layout, errors whose reason we wrote in two languages, and
CKAN error objects on the Action API."""

from __future__ import annotations

import logging
from typing import NoReturn

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from dcat.bilingual import Bilingual
from web.ckan.api import error_envelope, is_action_path
from web.labels import language
from web.request_limits import too_large, too_large_reason

log = logging.getLogger(__name__)

# Errors whose description we write ourselves (German / English); werkzeug's say nothing useful.
DESCRIBED = (400, 403, 409, 413)


class ExplainedError(HTTPException):
    """An HTTP error with our own reason in German and English; a page shows the reader's.

    werkzeug's default descriptions say nothing useful, so only these carry a detail.
    """

    def __init__(self, code: int, reason: Bilingual) -> None:
        super().__init__(description=reason.en)
        self.code = code
        self.reason = reason


def fail(code: int, reason_de: str, reason_en: str) -> NoReturn:
    """Answer `code` with a reason, German and English (the page shows one of them)."""
    raise ExplainedError(code, Bilingual(reason_de, reason_en))


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException) -> tuple[str | Response, int]:
    if error.code == 413:  # also werkzeug's own, raised by the capped stream of a chunked body
        error = too_large()
    if is_action_path(request.path):
        return error_envelope(error)
    code = error.code or 500
    detail = error.reason.in_language(language()) if isinstance(error, ExplainedError) else None
    if code == 413:
        detail = too_large_reason().in_language(language())
    return render_template("error.html", code=code, detail=detail), code


def _unexpected_error(error: Exception) -> tuple[str | Response, int]:
    if is_action_path(request.path):
        return error_envelope(error)
    log.exception("unhandled error", exc_info=error)
    return _http_error(InternalServerError())
