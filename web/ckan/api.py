"""A CKAN-compatible Action API at /api/3/action/ and /api/action/, described at /api.

CKAN clients (ckanapi, portal harvesters, stewards' scripts) use us without changing a line:
CKAN's envelope ({help, success, result}), its error objects and status codes ("Not Found
Error" 404, "Validation Error" 409 with field errors, "Authorization Error" 403, "Search
Query Error" 400, an unknown action 400), GET or POST with a JSON body or a form. Keys an
action does not know are ignored, as CKAN does.

Read actions (web.ckan.read, web.ckan.search) serve the public catalog; write actions
(web.ckan.write) need an API token (web.ckan.auth) and save through catalog.editing. The
OpenAPI 3.1 description (/api/openapi.json) and the page for people (/api) come from the
same table that answers the calls (web.ckan.actions): each action's entry carries its spec.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from dcat.profiles import PROFILES
from web.ckan.actions import ACTIONS
from web.ckan.base import AUTHORIZATION, NOT_FOUND, ActionError
from web.ckan.json_body import json_object
from web.context import current_settings
from web.labels import language, machine_language

log = logging.getLogger(__name__)

blueprint = Blueprint("ckan_api", __name__)

ACTION_PATHS = ("/api/3/action/", "/api/action/")
INTERNAL_ERROR = "Internal Server Error"
# CKAN's __type for the HTTP errors it has a name for; others keep werkzeug's name.
HTTP_ERROR_TYPES = {403: AUTHORIZATION, 404: NOT_FOUND}


@blueprint.route("/api/3/action/<action>", methods=["GET", "POST"])
@blueprint.route("/api/action/<action>", methods=["GET", "POST"])
def call_action(action: str) -> tuple[Response, int]:
    help_url = _help_url()
    function = ACTIONS.get(action)
    if function is None:
        error = {"message": f"Bad request - Action name not known: {action}"}
        return _envelope({"help": help_url, "success": False, "error": error}, 400)
    try:
        result = function(_parameters())
    except ActionError as exc:
        body = {"help": help_url, "success": False, "error": exc.error_object(machine_language())}
        return _envelope(body, exc.status)
    return _envelope({"help": help_url, "success": True, "result": result}, 200)


@blueprint.route("/api/openapi.json")
def openapi_document() -> Response:
    from web.ckan.openapi import openapi_document as build

    response = jsonify(build(current_settings().catalog.base_url))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.route("/api")
@blueprint.route("/api/")
def api_page() -> str:
    from web.ckan.openapi import page_context

    settings = current_settings()
    context = page_context(settings.catalog.base_url, language())
    return render_template(
        "api.html",
        dcat_profiles=list(PROFILES.values()),
        default_profile=settings.dcat.default_profile,
        **context,
    )


def is_action_path(path: str) -> bool:
    """Whether a path belongs to the Action API, whose every answer is a CKAN envelope."""
    return path.startswith(ACTION_PATHS)


def error_envelope(error: Exception) -> tuple[Response, int]:
    """Any failure of an API call as CKAN's error object, never an HTML page (web.errors sends
    every error on an action path here); an unexpected one is logged with its traceback and
    answered without it."""
    if isinstance(error, HTTPException):
        status = error.code or 500
        error_type = HTTP_ERROR_TYPES.get(status, error.name)
        message = error.description or error.name
    else:
        log.exception("unhandled error in %s", request.path, exc_info=error)
        status, error_type = 500, INTERNAL_ERROR
        message = (
            "Interner Fehler, er wurde protokolliert"
            if machine_language() == "de"
            else "Internal error, it has been logged"
        )
    body = {
        "help": _help_url(),
        "success": False,
        "error": {"__type": error_type, "message": message},
    }
    return _envelope(body, status)


def _envelope(body: dict[str, Any], status: int) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response, status


def _help_url() -> str:
    action = (request.view_args or {}).get("action") or request.path.rsplit("/", 1)[-1]
    return f"{current_settings().catalog.base_url}/api/3/action/help_show?name={action}"


def _parameters() -> dict[str, Any]:
    """CKAN reads the query string on GET and a JSON body or a form on POST."""
    if request.method == "POST":
        if request.is_json:
            return json_object(request.get_data(cache=True))
        if request.form:
            return dict(request.form.items())
        return dict(request.args.items())
    return dict(request.args.items())
