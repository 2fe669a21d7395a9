"""Error pages in the catalog's own layout, and errors whose reason we wrote in two languages."""

from __future__ import annotations

import logging
from typing import NoReturn

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from dcat.bilingual import Bilingual
from web.labels import language

log = logging.getLogger(__name__)


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


def machine_language() -> str:
    """The language of answers to programs: English, as their authors expect, unless the
    request's Accept-Language prefers German."""
    return request.accept_languages.best_match(["en", "de"], default="en") or "en"


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    detail = error.reason.in_language(language()) if isinstance(error, ExplainedError) else None
    return render_template("error.html", code=code, detail=detail), code


def _unexpected_error(error: Exception) -> tuple[str, int]:
    log.exception("unhandled error", exc_info=error)
    return _http_error(InternalServerError())
