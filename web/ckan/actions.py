"""The table of CKAN actions: each entry is the function that answers it and its description.

The description (parameters, token need, result, an example call) sits beside the function, so
an action cannot be served undescribed; web.ckan.openapi makes the OpenAPI document and the /api
page from the same entries that web.ckan.api calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from web.ckan import read, search, write

Action = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # JSON schema type: string, integer, boolean, array, object
    description: str
    required: bool = False


@dataclass(frozen=True)
class ActionSpec:
    name: str
    function: Action
    group: str  # "Lesen / Read", "Suche / Search", "Schreiben / Write"
    summary: str
    parameters: tuple[Param, ...] = ()
    token: bool = False
    result: str = "object"  # a key of RESULT_SCHEMAS
    example: tuple[tuple[str, Any], ...] = ()


READ, SEARCH, WRITE = "Lesen / Read", "Suche / Search", "Schreiben / Write (API-Token)"

_ID = Param("id", "string", "Name oder ID / name or id", required=True)
_LIMIT = Param("limit", "integer", "höchstens / at most 1000")
_OFFSET = Param("offset", "integer", "überspringen / skip")
_ALL_FIELDS = Param("all_fields", "boolean", "ganze Objekte statt Namen / objects, not names")
_PACKAGE_FIELDS = (
    Param("name", "string", "URL-Name, 2-100 Zeichen a-z 0-9 - _ / URL name"),
    Param("title", "string", "Titel (Pflicht) / title (required)"),
    Param("notes", "string", "Beschreibung (DCAT-AP.de: Pflicht) / description (required)"),
    Param("owner_org", "string", "Organisation, Name oder ID / organisation name or id"),
    Param("license_id", "string", "Lizenz (IRI oder Kürzel) / licence IRI or short name"),
    Param("tags", "array", "Schlagworte [{name}] / keywords"),
    Param("groups", "array", "EU-Themen [{name: envi}] / EU data themes"),
    Param("resources", "array", "Ressourcen [{url, name, format}] / distributions"),
    Param("extras", "array", "DCAT-AP.de-Felder [{key, value}] (ckanext-dcatde)"),
    Param("private", "boolean", "true: Entwurf, nicht öffentlich / draft, not public"),
    Param("state", "string", "active, draft oder/or deleted"),
)
_RESOURCE_FIELDS = (
    Param("url", "string", "Zugriffs-URL (Pflicht) / access URL (required)"),
    Param("name", "string", "Titel / title"),
    Param("description", "string", "Beschreibung / description"),
    Param("format", "string", "Format, z. B. / e.g. CSV"),
    Param("license", "string", "Lizenz, wenn anders als beim Datensatz / licence if different"),
)

ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "status_show",
        read.status_show,
        READ,
        "Version und Titel des Katalogs / catalog version and title",
    ),
    ActionSpec(
        "site_read",
        read.site_read,
        READ,
        "Ist die API lesbar? / is the API readable?",
        result="boolean",
    ),
    ActionSpec(
        "package_list",
        read.package_list,
        READ,
        "Namen aller öffentlichen Datensätze / names of all public datasets",
        (_LIMIT, _OFFSET),
        result="names",
        example=(("limit", 20),),
    ),
    ActionSpec(
        "current_package_list_with_resources",
        read.current_package_list_with_resources,
        READ,
        "Zuletzt geänderte Datensätze / recently changed datasets",
        (_LIMIT, _OFFSET),
        result="packages",
        example=(("limit", 5),),
    ),
    ActionSpec(
        "package_show",
        read.package_show,
        READ,
        "Ein Datensatz mit Ressourcen / one dataset with its resources",
        (_ID,),
        result="package",
        example=(("id", "baumkataster"),),
    ),
    ActionSpec(
        "package_search",
        search.package_search,
        SEARCH,
        "Datensätze suchen und facettieren / search and facet datasets",
        (
            Param("q", "string", "Suchwörter; auch Feld:Wert / words, also field:value"),
            Param(
                "fq",
                "string",
                "Filter: organization, tags, groups, res_format, license_id, owner_org, id, "
                "name; metadata_modified/metadata_created:[2024-01-01T00:00:00Z TO *] (NOW-7DAYS), "
                "-Feld:Wert, (a OR b)",
            ),
            Param("rows", "integer", "Treffer je Seite, höchstens 1000 (10) / rows, max 1000"),
            Param("start", "integer", "erster Treffer (0) / offset of the first row"),
            Param(
                "sort",
                "string",
                "score, metadata_modified, modified, name, title_string mit/with asc|desc",
            ),
            Param(
                "facet.field",
                "array",
                "JSON-Liste aus / list of organization, tags, groups, res_format, license_id",
            ),
            Param("facet.limit", "integer", "Werte je Facette (50, -1: alle) / values per facet"),
            Param("facet.mincount", "integer", "kleinste Zahl (1) / smallest count"),
            Param("fl", "string", "nur diese Felder, z. B. id,name / only these fields"),
        ),
        result="search",
        example=(
            ("q", "Baum"),
            ("fq", "organization:umweltamt"),
            ("rows", 5),
            ("facet.field", '["tags","res_format"]'),
        ),
    ),
    ActionSpec(
        "resource_show",
        read.resource_show,
        READ,
        "Eine Ressource / one resource",
        (Param("id", "string", "Ressourcen-ID / resource id", required=True),),
        result="resource",
    ),
    ActionSpec(
        "tag_list",
        read.tag_list,
        READ,
        "Alle Schlagworte öffentlicher Datensätze / all keywords of public datasets",
        (
            Param("query", "string", "nur Schlagworte, die dies enthalten / containing this"),
            _ALL_FIELDS,
        ),
        result="names",
        example=(("query", "baum"),),
    ),
    ActionSpec(
        "organization_list",
        read.organization_list,
        READ,
        "Organisationen / organisations",
        (_ALL_FIELDS,),
        result="list",
        example=(("all_fields", True),),
    ),
    ActionSpec(
        "organization_show",
        read.organization_show,
        READ,
        "Eine Organisation / one organisation",
        (_ID,),
        result="organization",
        example=(("id", "umweltamt"),),
    ),
    ActionSpec(
        "group_list",
        read.group_list,
        READ,
        "Die EU-Datenthemen als Gruppen / the EU data themes as groups",
        (_ALL_FIELDS,),
        result="list",
    ),
    ActionSpec(
        "license_list", read.license_list, READ, "Lizenzen (DCAT-AP.de) / licences", result="list"
    ),
    ActionSpec(
        "package_create",
        write.package_create,
        WRITE,
        "Datensatz anlegen / create a dataset",
        _PACKAGE_FIELDS,
        token=True,
        result="package",
        example=(
            ("name", "baumpflanzungen-2025"),
            ("title", "Baumpflanzungen 2025"),
            ("notes", "Neu gepflanzte Straßenbäume."),
            ("owner_org", "umweltamt"),
            ("license_id", "dl-by-de/2.0"),
            ("resources", [{"url": "https://example.org/baeume.csv", "format": "CSV"}]),
        ),
    ),
    ActionSpec(
        "package_update",
        write.package_update,
        WRITE,
        "Datensatz ersetzen (Name und Organisation bleiben) / replace a dataset",
        (_ID, *_PACKAGE_FIELDS),
        token=True,
        result="package",
    ),
    ActionSpec(
        "package_patch",
        write.package_patch,
        WRITE,
        "Einzelne Felder ändern / change some fields",
        (_ID, *_PACKAGE_FIELDS),
        token=True,
        result="package",
        example=(("id", "baumpflanzungen-2025"), ("notes", "Stand: Mai 2025.")),
    ),
    ActionSpec(
        "package_delete",
        write.package_delete,
        WRITE,
        "Zurückziehen, mit Historie / withdraw, history kept",
        (_ID,),
        token=True,
        result="null",
        example=(("id", "baumpflanzungen-2025"),),
    ),
    ActionSpec(
        "resource_create",
        write.resource_create,
        WRITE,
        "Ressource hinzufügen / add a resource",
        (Param("package_id", "string", "Datensatz / dataset", required=True), *_RESOURCE_FIELDS),
        token=True,
        result="resource",
    ),
    ActionSpec(
        "resource_update",
        write.resource_update,
        WRITE,
        "Ressource ersetzen / replace a resource",
        (Param("id", "string", "Ressourcen-ID / resource id", required=True), *_RESOURCE_FIELDS),
        token=True,
        result="resource",
    ),
    ActionSpec(
        "resource_patch",
        write.resource_patch,
        WRITE,
        "Felder einer Ressource ändern / change some fields of a resource",
        (Param("id", "string", "Ressourcen-ID / resource id", required=True), *_RESOURCE_FIELDS),
        token=True,
        result="resource",
    ),
    ActionSpec(
        "resource_delete",
        write.resource_delete,
        WRITE,
        "Ressource entfernen / remove a resource",
        (Param("id", "string", "Ressourcen-ID / resource id", required=True),),
        token=True,
        result="null",
    ),
)

# What web.ckan.api calls, by the action's name.
ACTIONS: dict[str, Action] = {spec.name: spec.function for spec in ACTION_SPECS}
