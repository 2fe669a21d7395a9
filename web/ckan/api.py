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

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from web.ckan.actions import ACTIONS
from web.ckan.base import ActionError, validation
from web.context import current_settings
from web.errors import machine_language
from web.labels import language

blueprint = Blueprint("ckan_api", __name__)


@blueprint.route("/api/3/action/<action>", methods=["GET", "POST"])
@blueprint.route("/api/action/<action>", methods=["GET", "POST"])
def call_action(action: str) -> tuple[Response, int]:
    help_url = f"{current_settings().catalog.base_url}/api/3/action/help_show?name={action}"
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

    context = page_context(current_settings().catalog.base_url, language())
    return render_template("api.html", **context)


def _envelope(body: dict[str, Any], status: int) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response, status


def _parameters() -> dict[str, Any]:
    """CKAN reads the query string on GET and a JSON body or a form on POST."""
    if request.method == "POST":
        if request.is_json:
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                raise validation("body", "JSON-Objekt erwartet", "A JSON object is expected")
            return body
        if request.form:
            return dict(request.form.items())
        return dict(request.args.items())
    return dict(request.args.items())
