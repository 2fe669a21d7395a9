"""A CKAN-compatible Action API (read side) at /api/3/action/ and /api/action/.

CKAN clients (ckanapi, portal harvesters, stewards' scripts) read us without changing a line:
CKAN's envelope ({help, success, result}), its error objects and status codes, GET or POST with
a JSON body or a form. Packages come from each record's DCAT-AP.de graph through the one CKAN
mapping in dcat (dcat.ckan_package). Keys a client sends that an action does not know are
ignored, as CKAN does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Response, jsonify, request
from rdflib import URIRef
from sqlalchemy import func, select

from catalog.models import DatasetRecord, Organization
from catalog.organizations import get_organization_by_name, list_organizations
from catalog.publication import public_conditions
from dcat.ckan_package import ckan_package_from_view
from dcat.parsing import parse_rdf
from dcat.view import dataset_view
from dcat.vocabularies import LICENSES, THEMES
from web.context import current_settings, current_store

blueprint = Blueprint("ckan_api", __name__)

CKAN_VERSION = "2.10.4"  # the API version we answer like; clients check it in status_show
MAX_LIMIT = 1000


class ActionError(Exception):
    """An action's failure as CKAN reports it: HTTP status, __type and message."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message


def _not_found(what: str) -> ActionError:
    return ActionError(404, "Not Found Error", f"Nicht gefunden / Not found: {what}")


def _validation(field: str, message: str) -> ActionError:
    error = ActionError(409, "Validation Error", message)
    error.field = field  # type: ignore[attr-defined]
    return error


@blueprint.route("/api/3/action/<action>", methods=["GET", "POST"])
@blueprint.route("/api/action/<action>", methods=["GET", "POST"])
def call_action(action: str) -> tuple[Response, int]:
    help_url = f"{current_settings().catalog.base_url}/api/3/action/help_show?name={action}"
    function = ACTIONS.get(action)
    if function is None:
        body = {
            "help": help_url,
            "success": False,
            "error": {"message": f"Bad request - Action name not known: {action}"},
        }
        return jsonify(body), 400
    try:
        result = function(_parameters())
    except ActionError as exc:
        error: dict[str, Any] = {"__type": exc.error_type, "message": exc.message}
        if field := getattr(exc, "field", None):
            error[field] = [exc.message]
        response = jsonify({"help": help_url, "success": False, "error": error})
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response, exc.status
    response = jsonify({"help": help_url, "success": True, "result": result})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response, 200


def _parameters() -> dict[str, Any]:
    """CKAN reads the query string on GET and a JSON body or a form on POST."""
    if request.method == "POST":
        if request.is_json:
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                raise _validation("body", "JSON-Objekt erwartet / a JSON object is expected")
            return body
        return dict(request.form.items())
    return dict(request.args.items())


# --- actions ---------------------------------------------------------------------------------


def status_show(_: Mapping[str, Any]) -> dict[str, Any]:
    catalog = current_settings().catalog
    return {
        "site_title": catalog.title,
        "site_description": catalog.description,
        "site_url": catalog.base_url,
        "ckan_version": CKAN_VERSION,
        "locale_default": catalog.language,
        "extensions": ["dcat", "dcatde"],
    }


def site_read(_: Mapping[str, Any]) -> bool:
    return True


def package_list(parameters: Mapping[str, Any]) -> list[str]:
    limit, offset = _limit(parameters, default=None), _offset(parameters)
    query = select(DatasetRecord.name).order_by(DatasetRecord.name)
    query = query.where(*public_conditions(current_settings())).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with current_store().reading() as session:
        return list(session.scalars(query))


def current_package_list_with_resources(parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
    limit, offset = _limit(parameters, default=10), _offset(parameters)
    query = select(DatasetRecord).order_by(DatasetRecord.updated_at.desc(), DatasetRecord.id)
    query = query.where(*public_conditions(current_settings())).offset(offset).limit(limit)
    with current_store().reading() as session:
        records = list(session.scalars(query))
    organizations = _organizations_by_id()
    return [_package(record, organizations) for record in records]


def package_show(parameters: Mapping[str, Any]) -> dict[str, Any]:
    wanted = str(parameters.get("id") or parameters.get("name") or "")
    if not wanted:
        raise _validation("id", "Pflichtfeld / Missing value")
    query = select(DatasetRecord).where(
        (DatasetRecord.name == wanted) | (DatasetRecord.id == wanted)
    )
    with current_store().reading() as session:
        record = session.scalar(query.where(*public_conditions(current_settings())))
    if record is None:
        raise _not_found(f"Datensatz / dataset {wanted!r}")
    return _package(record, _organizations_by_id())


def organization_list(parameters: Mapping[str, Any]) -> list[Any]:
    organizations = list_organizations(current_store())
    if _flag(parameters, "all_fields"):
        counts = _package_counts()
        return [_organization(org, counts.get(org.id, 0)) for org in organizations]
    return [org.name for org in organizations]


def organization_show(parameters: Mapping[str, Any]) -> dict[str, Any]:
    wanted = str(parameters.get("id") or "")
    store = current_store()
    organization = get_organization_by_name(store, wanted)
    if organization is None:
        with store.reading() as session:
            organization = session.get(Organization, wanted)
    if organization is None:
        raise _not_found(f"Organisation / organization {wanted!r}")
    return _organization(organization, _package_counts().get(organization.id, 0))


def group_list(parameters: Mapping[str, Any]) -> list[Any]:
    """The EU data themes, which CKAN portals in Germany keep as groups."""
    lang = current_settings().catalog.language
    groups = [
        {
            "id": concept.code.lower(),
            "name": concept.code.lower(),
            "title": concept.label_de if lang == "de" else concept.label_en,
            "display_name": concept.label_de if lang == "de" else concept.label_en,
            "uri": concept.iri,
        }
        for concept in THEMES
    ]
    return groups if _flag(parameters, "all_fields") else [group["name"] for group in groups]


def license_list(_: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": concept.iri,
            "title": concept.label_de,
            "url": concept.iri,
            "od_conformance": "approved" if concept.open else "not reviewed",
            "osd_conformance": "not reviewed",
            "status": "active",
        }
        for concept in LICENSES
    ]


ACTIONS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "status_show": status_show,
    "site_read": site_read,
    "package_list": package_list,
    "current_package_list_with_resources": current_package_list_with_resources,
    "package_show": package_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "license_list": license_list,
}


# --- helpers ---------------------------------------------------------------------------------


def _package(record: DatasetRecord, organizations: Mapping[str, Organization]) -> dict[str, Any]:
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    view = dataset_view(graph, URIRef(record.uri), lang=current_settings().catalog.language)
    found = organizations.get(record.organization_id or "")
    return ckan_package_from_view(
        view,
        name=record.name,
        organization=_organization(found, None) if found is not None else None,
        package_id=record.id,
        metadata_created=record.created_at.isoformat(),
        metadata_modified=record.updated_at.isoformat(),
    )


def _organizations_by_id() -> dict[str, Organization]:
    return {organization.id: organization for organization in list_organizations(current_store())}


def _organization(organization: Organization, package_count: int | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": organization.id,
        "name": organization.name,
        "title": organization.title,
        "display_name": organization.title,
        "description": organization.description,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "created": organization.created_at.isoformat(),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def _package_counts() -> dict[str, int]:
    query = select(DatasetRecord.organization_id, func.count()).group_by(
        DatasetRecord.organization_id
    )
    with current_store().reading() as session:
        rows = session.execute(query.where(*public_conditions(current_settings()))).all()
    return {org_id: count for org_id, count in rows if org_id is not None}


def _limit(parameters: Mapping[str, Any], *, default: int | None) -> int | None:
    text = parameters.get("limit")
    if text in (None, ""):
        return default
    value = _integer(text, "limit")
    if not 0 <= value <= MAX_LIMIT:
        raise _validation("limit", f"0 bis/to {MAX_LIMIT}")
    return value


def _offset(parameters: Mapping[str, Any]) -> int:
    value = _integer(parameters.get("offset") or 0, "offset")
    if value < 0:
        raise _validation("offset", "nicht negativ / must not be negative")
    return value


def _integer(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _validation(field, "Ganze Zahl erwartet / Invalid integer") from None


def _flag(parameters: Mapping[str, Any], key: str) -> bool:
    value = parameters.get(key)
    return value is True or str(value).lower() in ("true", "1", "yes")
