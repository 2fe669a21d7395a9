"""The CKAN API described for machines (OpenAPI 3.1) and people (/api), from web.ckan.actions.

The OpenAPI document is in English, the language of API tooling; the page is in the reader's.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from web.ckan.actions import ACTION_SPECS, ActionSpec, Param
from web.ckan.read import CKAN_VERSION

_OBJECT = {"type": "object", "additionalProperties": True}
_FAILURE = {"$ref": "#/components/schemas/Failure"}
RESULT_SCHEMAS: dict[str, dict[str, Any]] = {
    "object": _OBJECT,
    "boolean": {"type": "boolean"},
    "null": {"type": "null"},
    "names": {"type": "array", "items": {"type": ["string", "object"]}},
    "list": {"type": "array", "items": {"type": ["string", "object"]}},
    "package": {"$ref": "#/components/schemas/Package"},
    "packages": {"type": "array", "items": {"$ref": "#/components/schemas/Package"}},
    "resource": {"$ref": "#/components/schemas/Resource"},
    "organization": {"$ref": "#/components/schemas/Organization"},
    "search": {"$ref": "#/components/schemas/SearchResult"},
}
ERRORS = {
    "400": "Search Query Error, or unknown action",
    "403": "Authorization Error: token or right missing",
    "404": "Not Found Error",
    "409": "Validation Error: {field: [messages]}",
    "413": "request larger than web.max_request_bytes",
    "500": "Internal Server Error: logged, without details",
}


# The change feed (web.public.change_feed) beside the CKAN actions, so clients find it here too.
CHANGES_PATH: dict[str, Any] = {
    "get": {
        "operationId": "changes",
        "summary": "Public changes to datasets as CloudEvents 1.0, in commit order",
        "parameters": [
            {
                "name": "since",
                "in": "query",
                "required": False,
                "description": "The `next` cursor of an earlier answer; none: from the beginning",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
            },
        ],
        "responses": {
            "200": {
                "description": "Events after `since`, and the cursor to continue from",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["events", "next"],
                            "properties": {
                                "events": {"type": "array", "items": {"type": "object"}},
                                "next": {"type": "string"},
                                "next_url": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "400": {"description": "A bad `since` or `limit`, named in error.parameter"},
        },
    }
}


def openapi_document(base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 description of every action, GET and POST at /api/3/action/{name}."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stadtkatalog CKAN-API",
            "version": CKAN_VERSION,
            "description": "CKAN-compatible Action API; also at /api/action/.",
        },
        "servers": [{"url": base_url}],
        "paths": {
            **{f"/api/3/action/{spec.name}": _path(spec) for spec in ACTION_SPECS},
            "/api/changes": CHANGES_PATH,
        },
        "components": {"schemas": _schemas(), "securitySchemes": _security_schemes()},
    }


def _path(spec: ActionSpec) -> dict[str, Any]:
    responses = {
        "200": {
            "description": "success: true",
            "content": {"application/json": {"schema": _envelope(RESULT_SCHEMAS[spec.result])}},
        },
        **{
            code: {
                "description": text,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}
                },
            }
            for code, text in ERRORS.items()
        },
    }
    common: dict[str, Any] = {
        "summary": spec.summary.en,
        "tags": [spec.group.en],
        "responses": responses,
    }
    if spec.token:
        common["security"] = [{"Authorization": []}, {"X-CKAN-API-Key": []}]
    get = {
        **common,
        "operationId": f"{spec.name}_get",
        "parameters": [_query_parameter(p) for p in spec.parameters],
    }
    body_schema = {
        "type": "object",
        "properties": {
            p.name: {"type": p.type, "description": p.description.en} for p in spec.parameters
        },
        "required": [p.name for p in spec.parameters if p.required],
        "additionalProperties": True,
    }
    post = {
        **common,
        "operationId": spec.name,
        "requestBody": {
            "content": {
                "application/json": {"schema": body_schema, "example": dict(spec.example)},
                "application/x-www-form-urlencoded": {"schema": body_schema},
            }
        },
    }
    return {"get": get, "post": post}


def _query_parameter(param: Param) -> dict[str, Any]:
    # In a query string, lists are JSON text (facet.field=["tags"]), as CKAN reads them.
    kind = "string" if param.type in ("array", "object") else param.type
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description.en,
        "schema": {"type": kind},
    }


def _envelope(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "help": {"type": "string"},
            "success": {"const": True},
            "result": result,
        },
        "required": ["help", "success", "result"],
    }


def _schemas() -> dict[str, Any]:
    return {
        "Failure": {
            "type": "object",
            "properties": {
                "help": {"type": "string"},
                "success": {"const": False},
                "error": {
                    "type": "object",
                    "properties": {"__type": {"type": "string"}, "message": {"type": "string"}},
                    "additionalProperties": True,
                },
            },
        },
        "Resource": {
            "type": "object",
            "properties": {
                key: {"type": ["string", "null"]}
                for key in ("id", "package_id", "url", "name", "description", "format", "license")
            },
            "additionalProperties": True,
        },
        "Organization": {
            "type": "object",
            "properties": {key: {"type": "string"} for key in ("id", "name", "title")},
            "additionalProperties": True,
        },
        "Package": {
            "type": "object",
            "properties": {
                **{
                    key: {"type": ["string", "null"]}
                    for key in ("id", "name", "title", "notes", "license_id", "owner_org", "state")
                },
                "private": {"type": "boolean"},
                "tags": {"type": "array", "items": _OBJECT},
                "groups": {"type": "array", "items": _OBJECT},
                "resources": {"type": "array", "items": {"$ref": "#/components/schemas/Resource"}},
                "extras": {"type": "array", "items": _OBJECT},
                "organization": {"$ref": "#/components/schemas/Organization"},
            },
            "additionalProperties": True,
        },
        "SearchResult": {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Package"}},
                "facets": _OBJECT,
                "search_facets": _OBJECT,
                "sort": {"type": "string"},
            },
        },
    }


def _security_schemes() -> dict[str, Any]:
    return {
        "Authorization": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "The API token itself (or 'Bearer <token>')",
        },
        "X-CKAN-API-Key": {"type": "apiKey", "in": "header", "name": "X-CKAN-API-Key"},
    }


# --- the page for people -----------------------------------------------------------------------


def page_context(base_url: str, language: str) -> dict[str, Any]:
    """What api.html shows: the actions by group, each with curl and ckanapi examples, its
    texts in the page's language."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for spec in ACTION_SPECS:
        groups.setdefault(spec.group.in_language(language), []).append(
            {
                "spec": spec,
                "summary": spec.summary.in_language(language),
                "parameters": [
                    (param, param.description.in_language(language)) for param in spec.parameters
                ],
                "curl": curl_example(spec, base_url),
                "ckanapi": ckanapi_example(spec, base_url),
            }
        )
    return {"groups": groups, "base_url": base_url}


def curl_example(spec: ActionSpec, base_url: str) -> str:
    url = f"{base_url}/api/3/action/{spec.name}"
    if not spec.token:
        if not spec.example:
            return f"curl {shlex.quote(url)}"
        query = "&".join(f"{k}={_query_text(v)}" for k, v in spec.example)
        return f"curl {shlex.quote(url + '?' + query)}"
    body = json.dumps(dict(spec.example) or {"id": "…"}, ensure_ascii=False)
    return (
        f"curl -X POST {shlex.quote(url)} \\\n"
        '  -H "Authorization: $CKAN_TOKEN" -H "Content-Type: application/json" \\\n'
        f"  -d {shlex.quote(body)}"
    )


def ckanapi_example(spec: ActionSpec, base_url: str) -> str:
    arguments = " ".join(
        shlex.quote(f"{k}:{json.dumps(v, ensure_ascii=False)}")
        if not isinstance(v, str)
        else shlex.quote(f"{k}={v}")
        for k, v in spec.example
    )
    token = ' -a "$CKAN_TOKEN"' if spec.token else ""
    return f"ckanapi action {spec.name} {arguments} -r {base_url}{token}".replace("  ", " ")


def _query_text(value: Any) -> str:
    from urllib.parse import quote

    return quote(value if isinstance(value, str) else json.dumps(value), safe="")
