"""The table of CKAN actions: each entry is the function that answers it and its description.

The description (parameters, token need, result, an example call) sits beside the function, so
an action cannot be served undescribed; web.ckan.openapi makes the OpenAPI document and the /api
page from the same entries that web.ckan.api calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dcat.bilingual import Bilingual
from web.ckan import quality, read, search, write

Action = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # JSON schema type: string, integer, boolean, array, object
    description: Bilingual
    required: bool = False


@dataclass(frozen=True)
class ActionSpec:
    name: str
    function: Action
    group: Bilingual  # READ, SEARCH or WRITE
    summary: Bilingual
    parameters: tuple[Param, ...] = ()
    token: bool = False
    result: str = "object"  # a key of RESULT_SCHEMAS
    example: tuple[tuple[str, Any], ...] = ()


READ = Bilingual("Lesen", "Read")
SEARCH = Bilingual("Suche", "Search")
WRITE = Bilingual("Schreiben (API-Token)", "Write (API token)")
_FQ_FIELDS = "organization, tags, groups, res_format, license_id, owner_org, id, name"
_FQ_DATES = "metadata_modified/metadata_created:[2024-01-01T00:00:00Z TO *] (NOW-7DAYS)"

_ID = Param("id", "string", Bilingual("Name oder ID", "Name or id"), required=True)
_LIMIT = Param("limit", "integer", Bilingual("höchstens 1000", "at most 1000"))
_OFFSET = Param("offset", "integer", Bilingual("so viele überspringen", "how many to skip"))
_ALL_FIELDS = Param(
    "all_fields", "boolean", Bilingual("ganze Objekte statt Namen", "objects, not names")
)
_PACKAGE_FIELDS = (
    Param(
        "name",
        "string",
        Bilingual("URL-Name, 2-100 Zeichen a-z 0-9 - _", "URL name, 2-100 characters a-z 0-9 - _"),
    ),
    Param("title", "string", Bilingual("Titel (Pflicht)", "title (required)")),
    Param(
        "notes",
        "string",
        Bilingual("Beschreibung (DCAT-AP.de: Pflicht)", "description (DCAT-AP.de: required)"),
    ),
    Param(
        "owner_org", "string", Bilingual("Organisation, Name oder ID", "organisation, name or id")
    ),
    Param(
        "license_id", "string", Bilingual("Lizenz (IRI oder Kürzel)", "licence (IRI or short name)")
    ),
    Param("tags", "array", Bilingual("Schlagworte [{name}]", "keywords [{name}]")),
    Param(
        "groups", "array", Bilingual("EU-Themen [{name: envi}]", "EU data themes [{name: envi}]")
    ),
    Param(
        "resources",
        "array",
        Bilingual("Ressourcen [{url, name, format}]", "distributions [{url, name, format}]"),
    ),
    Param(
        "extras",
        "array",
        Bilingual(
            "DCAT-AP.de-Felder [{key, value}] (ckanext-dcatde)",
            "DCAT-AP.de fields [{key, value}] (ckanext-dcatde)",
        ),
    ),
    Param(
        "private",
        "boolean",
        Bilingual("true: Entwurf, nicht öffentlich", "true: draft, not public"),
    ),
    Param("state", "string", Bilingual("active, draft oder deleted", "active, draft or deleted")),
)
_RESOURCE_FIELDS = (
    Param("url", "string", Bilingual("Zugriffs-URL (Pflicht)", "access URL (required)")),
    Param("name", "string", Bilingual("Titel", "title")),
    Param("description", "string", Bilingual("Beschreibung", "description")),
    Param("format", "string", Bilingual("Format, z. B. CSV", "format, e.g. CSV")),
    Param(
        "license",
        "string",
        Bilingual("Lizenz, wenn anders als beim Datensatz", "licence, if not the dataset's"),
    ),
)

ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "status_show",
        read.status_show,
        READ,
        Bilingual("Version und Titel des Katalogs", "catalog version and title"),
    ),
    ActionSpec(
        "site_read",
        read.site_read,
        READ,
        Bilingual("Ist die API lesbar?", "Is the API readable?"),
        result="boolean",
    ),
    ActionSpec(
        "package_list",
        read.package_list,
        READ,
        Bilingual("Namen aller öffentlichen Datensätze", "names of all public datasets"),
        (_LIMIT, _OFFSET),
        result="names",
        example=(("limit", 20),),
    ),
    ActionSpec(
        "current_package_list_with_resources",
        read.current_package_list_with_resources,
        READ,
        Bilingual("Zuletzt geänderte Datensätze", "recently changed datasets"),
        (_LIMIT, _OFFSET),
        result="packages",
        example=(("limit", 5),),
    ),
    ActionSpec(
        "package_show",
        read.package_show,
        READ,
        Bilingual("Ein Datensatz mit Ressourcen", "one dataset with its resources"),
        (_ID,),
        result="package",
        example=(("id", "baumkataster"),),
    ),
    ActionSpec(
        "quality_show",
        quality.quality_show,
        READ,
        Bilingual(
            "Qualitätsbewertung eines Datensatzes nach der MQA von data.europa.eu: Punkte, "
            "Bewertung und jedes Kriterium",
            "a dataset's quality score after data.europa.eu's MQA: points, rating and "
            "every indicator",
        ),
        (_ID,),
        example=(("id", "baumkataster"),),
    ),
    ActionSpec(
        "package_search",
        search.package_search,
        SEARCH,
        Bilingual("Datensätze suchen und facettieren", "search and facet datasets"),
        (
            Param(
                "q", "string", Bilingual("Suchwörter; auch Feld:Wert", "words, also field:value")
            ),
            Param(
                "fq",
                "string",
                Bilingual(
                    f"Filter: {_FQ_FIELDS}; {_FQ_DATES}, -Feld:Wert, (a OR b)",
                    f"filter: {_FQ_FIELDS}; {_FQ_DATES}, -field:value, (a OR b)",
                ),
            ),
            Param(
                "rows",
                "integer",
                Bilingual(
                    "Treffer je Seite, höchstens 1000 (10)", "rows per page, at most 1000 (10)"
                ),
            ),
            Param(
                "start", "integer", Bilingual("erster Treffer (0)", "offset of the first row (0)")
            ),
            Param(
                "sort",
                "string",
                Bilingual(
                    "score, metadata_modified, modified, name, title_string mit asc|desc",
                    "score, metadata_modified, modified, name, title_string with asc|desc",
                ),
            ),
            Param(
                "facet.field",
                "array",
                Bilingual(
                    "JSON-Liste aus organization, tags, groups, res_format, license_id",
                    "JSON list of organization, tags, groups, res_format, license_id",
                ),
            ),
            Param(
                "facet.limit",
                "integer",
                Bilingual("Werte je Facette (50, -1: alle)", "values per facet (50, -1: all)"),
            ),
            Param(
                "facet.mincount", "integer", Bilingual("kleinste Zahl (1)", "smallest count (1)")
            ),
            Param(
                "fl",
                "string",
                Bilingual("nur diese Felder, z. B. id,name", "only these fields, e.g. id,name"),
            ),
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
        Bilingual("Eine Ressource", "one resource"),
        (Param("id", "string", Bilingual("Ressourcen-ID", "resource id"), required=True),),
        result="resource",
    ),
    ActionSpec(
        "tag_list",
        read.tag_list,
        READ,
        Bilingual("Alle Schlagworte öffentlicher Datensätze", "all keywords of public datasets"),
        (
            Param(
                "query",
                "string",
                Bilingual("nur Schlagworte, die dies enthalten", "only keywords containing this"),
            ),
            _ALL_FIELDS,
        ),
        result="names",
        example=(("query", "baum"),),
    ),
    ActionSpec(
        "organization_list",
        read.organization_list,
        READ,
        Bilingual("Organisationen", "organisations"),
        (_ALL_FIELDS,),
        result="list",
        example=(("all_fields", True),),
    ),
    ActionSpec(
        "organization_show",
        read.organization_show,
        READ,
        Bilingual("Eine Organisation", "one organisation"),
        (_ID,),
        result="organization",
        example=(("id", "umweltamt"),),
    ),
    ActionSpec(
        "group_list",
        read.group_list,
        READ,
        Bilingual("Die EU-Datenthemen als Gruppen", "the EU data themes as groups"),
        (_ALL_FIELDS,),
        result="list",
    ),
    ActionSpec(
        "license_list",
        read.license_list,
        READ,
        Bilingual("Lizenzen (DCAT-AP.de)", "licences (DCAT-AP.de)"),
        result="list",
    ),
    ActionSpec(
        "package_create",
        write.package_create,
        WRITE,
        Bilingual("Datensatz anlegen", "create a dataset"),
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
        Bilingual(
            "Datensatz ersetzen (Name und Organisation bleiben)",
            "replace a dataset (name and organisation stay)",
        ),
        (_ID, *_PACKAGE_FIELDS),
        token=True,
        result="package",
    ),
    ActionSpec(
        "package_patch",
        write.package_patch,
        WRITE,
        Bilingual("Einzelne Felder ändern", "change some fields"),
        (_ID, *_PACKAGE_FIELDS),
        token=True,
        result="package",
        example=(("id", "baumpflanzungen-2025"), ("notes", "Stand: Mai 2025.")),
    ),
    ActionSpec(
        "package_delete",
        write.package_delete,
        WRITE,
        Bilingual("Zurückziehen, mit Historie", "withdraw, history kept"),
        (_ID,),
        token=True,
        result="null",
        example=(("id", "baumpflanzungen-2025"),),
    ),
    ActionSpec(
        "resource_create",
        write.resource_create,
        WRITE,
        Bilingual("Ressource hinzufügen", "add a resource"),
        (
            Param("package_id", "string", Bilingual("Datensatz", "dataset"), required=True),
            *_RESOURCE_FIELDS,
        ),
        token=True,
        result="resource",
    ),
    ActionSpec(
        "resource_update",
        write.resource_update,
        WRITE,
        Bilingual("Ressource ersetzen", "replace a resource"),
        (
            Param("id", "string", Bilingual("Ressourcen-ID", "resource id"), required=True),
            *_RESOURCE_FIELDS,
        ),
        token=True,
        result="resource",
    ),
    ActionSpec(
        "resource_patch",
        write.resource_patch,
        WRITE,
        Bilingual("Felder einer Ressource ändern", "change some fields of a resource"),
        (
            Param("id", "string", Bilingual("Ressourcen-ID", "resource id"), required=True),
            *_RESOURCE_FIELDS,
        ),
        token=True,
        result="resource",
    ),
    ActionSpec(
        "resource_delete",
        write.resource_delete,
        WRITE,
        Bilingual("Ressource entfernen", "remove a resource"),
        (Param("id", "string", Bilingual("Ressourcen-ID", "resource id"), required=True),),
        token=True,
        result="null",
    ),
)

# What web.ckan.api calls, by the action's name.
ACTIONS: dict[str, Action] = {spec.name: spec.function for spec in ACTION_SPECS}
