"""Errors of the DCAT endpoints as plain text for programs: which parameter, what is allowed.

A harvester that asks for /catalog.ttl?page_size=5000 reads the answer in its log, not in a
browser: an HTML page in the catalog's layout would hide the one line it needs.
"""

from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException

from web.errors import ExplainedError
from web.labels import machine_language


def answer_in_plain_text(blueprint: Blueprint) -> None:
    """Make every HTTP error of the blueprint's routes a text/plain answer."""
    blueprint.register_error_handler(HTTPException, plain_text_error)


def plain_text_error(error: HTTPException) -> Response:
    code = error.code or 500
    language = machine_language()
    if isinstance(error, ExplainedError):
        reason = error.reason.in_language(language)
    else:
        reason = error.description or ""
    response = Response(f"{code} {error.name}: {reason}\n", status=code, mimetype="text/plain")
    response.headers["Content-Language"] = language
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
