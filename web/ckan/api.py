"""A CKAN-compatible Action API at /api/3/action/ and /api/action/, described at /api.

CKAN clients (ckanapi, portal harvesters, stewards' scripts) use us without changing a line:
CKAN's envelope ({help, success, result}), its error objects and status codes ("Not Found
Error" 404, "Validation Error" 409 with field errors, "Authorization Error" 403, "Search
Query Error" 400, an unknown action 400), GET or POST with a JSON body or a form. Keys an
action does not know are ignored, as CKAN does.

Read actions (web.ckan.read, web.ckan.search) serve the public catalog; write actions
(web.ckan.write) need an API token (web.ckan.auth) and save through catalog.editing. The
OpenAPI 3.1 description (/api/openapi.json) and the page for people (/api) come from the
table in web.ckan.spec, which a test keeps equal to ACTIONS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from web.ckan import read, search, write
from web.ckan.base import ActionError, validation
from web.context import current_settings

blueprint = Blueprint("ckan_api", __name__)

Action = Callable[[Mapping[str, Any]], Any]

ACTIONS: dict[str, Action] = {
    "status_show": read.status_show,
    "site_read": read.site_read,
    "package_list": read.package_list,
    "current_package_list_with_resources": read.current_package_list_with_resources,
    "package_show": read.package_show,
    "package_search": search.package_search,
    "resource_show": read.resource_show,
    "tag_list": read.tag_list,
    "organization_list": read.organization_list,
    "organization_show": read.organization_show,
    "group_list": read.group_list,
    "license_list": read.license_list,
    "package_create": write.package_create,
    "package_update": write.package_update,
    "package_patch": write.package_patch,
    "package_delete": write.package_delete,
    "resource_create": write.resource_create,
    "resource_update": write.resource_update,
    "resource_patch": write.resource_patch,
    "resource_delete": write.resource_delete,
}


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
        body = {"help": help_url, "success": False, "error": exc.error_object()}
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

    return render_template("api.html", **page_context(current_settings().catalog.base_url))


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
                raise validation("body", "JSON-Objekt erwartet / a JSON object is expected")
            return body
        if request.form:
            return dict(request.form.items())
        return dict(request.args.items())
    return dict(request.args.items())
