"""The CKAN write actions, for stewards' scripts: packages and resources, with an API token.

Input goes through the one CKAN mapping (dcat.ckan) and is saved by catalog.editing, so it
is normalised, validated and kept as a revision with the token's user as author. Keys the
server manages (id, metadata_created, metadata_modified, num_*) are ignored, as in CKAN.
A package is a draft with `private: true` or `state: "draft"`, withdrawn with
`state: "deleted"`, else published; publishing needs a graph without DCAT-AP.de violations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import current_app
from rdflib import Graph
from rdflib.term import Node

from catalog.editing import (
    EditError,
    Editing,
    InputRejected,
    InvalidName,
    NameConflict,
    NotAllowed,
    PublishBlocked,
    RecordMissing,
    graph_from_ckan,
)
from catalog.models import DatasetRecord, Organization, RecordStatus
from catalog.permissions import Rights, may_create_in, may_see_record
from catalog.resources import record_ids_for_resource
from dcat.bilingual import Bilingual
from dcat.ckan.errors import GENERAL_KEY, ckan_field_errors
from dcat.text_limits import overlong_values
from web.ckan.auth import refuse, require_login
from web.ckan.base import (
    ActionError,
    find_organization,
    not_found,
    organization_dict,
    organizations_by_id,
    package_dict,
    record_view,
    text,
    validation,
    validation_errors,
)
from web.ckan.quality import with_quality_extras
from web.context import current_settings, current_store
from web.labels import machine_language

_EDITING = "catalog.ckan_editing"
# Keys of a package that the server keeps, whatever a client sends (CKAN ignores them too).
SERVER_KEYS = (
    "id",
    "metadata_created",
    "metadata_modified",
    "revision_id",
    "creator_user_id",
    "num_tags",
    "num_resources",
    "organization",
    "owner_org",
    "state",
    "private",
)
URL_KEYS = ("url", "access_url", "download_url")


def package_create(parameters: Mapping[str, Any]) -> dict[str, Any]:
    rights = require_login()
    organization = _owner_org(parameters)
    decision = may_create_in(rights, organization.id)
    if not decision:
        raise refuse(decision)
    package = _checked_input(parameters, organization)
    with ckan_errors(package):
        graph, node = graph_from_ckan(package, current_settings())
        _refuse_overlong_values(graph, node, package)
        saved = _editing().create(
            rights,
            graph,
            node,
            organization_id=organization.id,
            name=text(parameters, "name") or None,
            status=_status(parameters, RecordStatus.PUBLISHED),
        )
    return with_quality_extras(package_dict(saved.record, organizations_by_id()), saved.record)


def package_update(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Replace what the CKAN mapping carries; name and organisation stay as they are."""
    rights = require_login()
    record = _editable(rights, text(parameters, "id", "name"))
    return _replace(rights, record, parameters, _status(parameters, RecordStatus.PUBLISHED))


def package_patch(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The given keys replace those of the current package (as package_show shows it)."""
    rights = require_login()
    record = _editable(rights, text(parameters, "id", "name"))
    current = package_dict(record, organizations_by_id())
    merged = {**current, **parameters}
    return _replace(rights, record, merged, _status(parameters, record.status), current=current)


def package_delete(parameters: Mapping[str, Any]) -> None:
    """Withdraw: out of public view, kept with every revision, restorable."""
    rights = require_login()
    record = _editable(rights, text(parameters, "id", "name"))
    with ckan_errors({}):
        _editing().withdraw(rights, record.id)


def resource_create(parameters: Mapping[str, Any]) -> dict[str, Any]:
    rights = require_login()
    record = _editable(rights, text(parameters, "package_id"))
    current = package_dict(record, organizations_by_id())
    resource = {k: v for k, v in parameters.items() if k != "package_id"}
    resource["id"] = text(resource, "id") or str(uuid.uuid4())
    package = {**current, "resources": [*current["resources"], resource]}
    result = _replace(rights, record, package, record.status, current=current)
    return _resource_of(result, resource["id"])


def resource_update(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Replace one resource (its id stays)."""
    return _change_resource(parameters, merge=False)


def resource_patch(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The given keys replace those of one resource."""
    return _change_resource(parameters, merge=True)


def resource_delete(parameters: Mapping[str, Any]) -> None:
    rights = require_login()
    wanted = text(parameters, "id")
    record, current = _resource_owner(rights, wanted)
    resources = [r for r in current["resources"] if r["id"] != wanted]
    _replace(rights, record, {**current, "resources": resources}, record.status, current=current)


# --- shared steps ----------------------------------------------------------------------------


def _change_resource(parameters: Mapping[str, Any], *, merge: bool) -> dict[str, Any]:
    rights = require_login()
    wanted = text(parameters, "id")
    record, current = _resource_owner(rights, wanted)
    resources = []
    for resource in current["resources"]:
        if resource["id"] == wanted:
            resource = {**resource, **parameters} if merge else {**parameters, "id": wanted}
            resource.pop("package_id", None)
        resources.append(resource)
    package = {**current, "resources": resources}
    result = _replace(rights, record, package, record.status, current=current)
    return _resource_of(result, wanted)


def _replace(
    rights: Rights,
    record: DatasetRecord,
    given: Mapping[str, Any],
    status: RecordStatus,
    *,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    _keep_identity(record, given)
    organization = organizations_by_id().get(record.organization_id or "")
    package = _checked_input({**given, "name": record.name}, organization)
    if current is None:
        current = package_dict(record, organizations_by_id())
    _drop_contact_echo(package, record, current)
    with ckan_errors(package):
        graph, node = graph_from_ckan(package, current_settings())
        _refuse_overlong_values(graph, node, package)
        saved = _editing().update(rights, record.id, graph, node, status=status)
    return with_quality_extras(package_dict(saved.record, organizations_by_id()), saved.record)


def _refuse_overlong_values(graph: Graph, node: Node, package: Mapping[str, Any]) -> None:
    """A value longer than dcat.text_limits allows: a Validation Error naming its field."""
    overlong = overlong_values(graph)
    if overlong:
        resources = package.get("resources") or []
        raise validation_errors(ckan_field_errors(overlong, graph, node, resources))


def _editable(rights: Rights, key: str) -> DatasetRecord:
    """The record to change: Not Found unless the caller may see it, then the edit rules."""
    if not key:
        raise validation("id", "Pflichtfeld", "Missing value")
    editing = _editing()
    record = editing.find(key)
    publish_invalid = current_settings().validation.publish_invalid
    if record is None or not may_see_record(rights, record, publish_invalid=publish_invalid):
        raise not_found(f"Datensatz {key!r}", f"dataset {key!r}")
    with ckan_errors({}):
        editable = editing.editable(rights, record.id)
    return editable


def _resource_owner(rights: Rights, wanted: str) -> tuple[DatasetRecord, dict[str, Any]]:
    if not wanted:
        raise validation("id", "Pflichtfeld", "Missing value")
    for record_id in record_ids_for_resource(current_store(), wanted):
        record = _editable(rights, record_id)
        package = package_dict(record, organizations_by_id())
        if any(resource["id"] == wanted for resource in package["resources"]):
            return record, package
    raise not_found(f"Ressource {wanted!r}", f"resource {wanted!r}")


def _resource_of(package: Mapping[str, Any], wanted: str) -> dict[str, Any]:
    found = next((r for r in package["resources"] if r["id"] == wanted), None)
    if found is None:  # the mapping dropped it (e.g. its URL was not absolute)
        raise validation_errors(
            {"resources": [Bilingual("Ressource nicht gespeichert", "Resource not kept")]}
        )
    return dict(found)


def _owner_org(parameters: Mapping[str, Any]) -> Organization:
    key = text(parameters, "owner_org")
    if not key:
        raise validation("owner_org", "Pflichtfeld", "Missing value")
    organization = find_organization(key)
    if organization is None:
        raise validation(
            "owner_org",
            f"Organisation {key!r} nicht gefunden",
            f"Organization {key!r} does not exist",
        )
    return organization


def _keep_identity(record: DatasetRecord, given: Mapping[str, Any]) -> None:
    """Name and organisation make the record's address and owner: not changed here."""
    name = text(given, "name")
    if name and name != record.name:
        raise validation(
            "name",
            "Umbenennen ist nicht möglich; der Name ist Teil der Adresse des Datensatzes",
            "Renaming is not supported: the name is part of the dataset's address",
        )
    owner = text(given, "owner_org")
    if owner and owner != record.organization_id:
        organization = find_organization(owner)
        if organization is None or organization.id != record.organization_id:
            raise validation(
                "owner_org",
                "Der Wechsel der Organisation ist nicht möglich",
                "Moving a dataset to another organisation is not supported",
            )


def _checked_input(given: Mapping[str, Any], organization: Organization | None) -> dict[str, Any]:
    """The package for the mapping: server keys dropped, resources with ids and URLs."""
    package = {key: value for key, value in given.items() if key not in SERVER_KEYS}
    if organization is not None:
        # The publisher when none is given, as CKAN's DCAT profiles take the organisation.
        package["organization"] = organization_dict(organization, None)
    if not text(package, "title"):
        raise validation("title", "Pflichtfeld", "Missing value")
    resources = package.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, Mapping) for r in resources):
        raise validation("resources", "Liste von Objekten erwartet", "A list of objects expected")
    problems = [_url_problem(r) for r in resources]
    if any(problems):
        raise validation_errors({"resources": problems})
    # Every resource keeps an id (dct:identifier), so resource_update finds it after a URL change.
    package["resources"] = [
        {**_url_wins(r), "id": text(r, "id") or str(uuid.uuid4())} for r in resources
    ]
    return package


def _url_wins(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A `url` that is neither the access nor the download URL shown is a new link: it wins
    over the access_url and download_url that package_show showed beside the old one."""
    url = resource.get("url")
    if not url or url in (resource.get("access_url"), resource.get("download_url")):
        return dict(resource)
    return {k: v for k, v in resource.items() if k not in ("access_url", "download_url")}


def _url_problem(resource: Mapping[str, Any]) -> dict[str, list[Bilingual]]:
    """{} for a resource with an http(s) address; else why not, under the key it gave."""
    given = {key: str(resource.get(key) or "").strip() for key in URL_KEYS}
    if any(value.startswith(("http://", "https://")) for value in given.values()):
        return {}
    written = next(((key, value) for key, value in given.items() if value), None)
    if written is None:
        return {"url": [Bilingual("Pflichtfeld", "Missing value")]}
    key, value = written
    return {
        key: [
            Bilingual(
                f"{value!r} ist keine gültige Adresse: erwartet wird eine mit http:// oder "
                "https://, z. B. https://example.org/daten.csv",
                f"{value!r} is not a valid address: expected one starting with http:// or "
                "https://, e.g. https://example.org/data.csv",
            )
        ]
    }


def _drop_contact_echo(
    package: dict[str, Any], record: DatasetRecord, current: Mapping[str, Any]
) -> None:
    """package_show fills maintainer from the contact point when there is no dcatde:maintainer;
    given back unchanged, that is the contact again, not a maintainer to add."""
    if record_view(record).maintainer is not None:
        return
    keys = ("maintainer", "maintainer_email")
    if all(package.get(key) == current.get(key) for key in keys):
        for key in keys:
            package.pop(key, None)


def _status(given: Mapping[str, Any], default: RecordStatus) -> RecordStatus:
    state = text(given, "state").lower()
    private = given.get("private")
    if state == "draft" or private is True or str(private).lower() == "true":
        return RecordStatus.DRAFT
    if state == "deleted":
        return RecordStatus.WITHDRAWN
    if state or private is not None:
        return RecordStatus.PUBLISHED
    return default


def _editing() -> Editing:
    editing: Editing | None = current_app.extensions.get(_EDITING)
    if editing is None:
        editing = Editing(current_store(), current_settings())
        current_app.extensions[_EDITING] = editing
    return editing


@contextmanager
def ckan_errors(package: Mapping[str, Any]) -> Iterator[None]:
    """catalog.editing's errors as CKAN's error objects."""
    try:
        yield
    except EditError as error:
        raise _as_action_error(error, package) from error


def _as_action_error(error: EditError, package: Mapping[str, Any]) -> ActionError:
    if isinstance(error, PublishBlocked):
        resources = package.get("resources") or []
        fields = ckan_field_errors(
            error.report.violations, error.graph, error.node, resources, machine_language()
        )
        return validation_errors(fields)
    if isinstance(error, NameConflict | InvalidName):
        return validation("name", error.message_de, error.message_en)
    if isinstance(error, NotAllowed):
        return refuse(error.decision)
    if isinstance(error, RecordMissing):
        return not_found(error.message_de, error.message_en)
    if isinstance(error, InputRejected):
        return validation(GENERAL_KEY, error.message_de, error.message_en)
    return validation(GENERAL_KEY, error.message_de, error.message_en)
