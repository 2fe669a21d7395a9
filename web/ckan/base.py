"""What every CKAN action shares: CKAN's error types, parameter readers and the package shape."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from catalog.models import DatasetRecord, Organization, RecordStatus
from catalog.organizations import get_organization_by_name_or_id, list_organizations
from catalog.publication import public_counts_by_organization
from dcat.bilingual import Bilingual
from dcat.ckan.serialize import ckan_package_from_view
from dcat.stored import stored_view
from dcat.view import DatasetView
from web.context import current_settings, current_store

MAX_LIMIT = 1000
# The largest integer any parameter may have: fits every database column and index offset.
MAX_INTEGER = 2**31 - 1

NOT_FOUND = "Not Found Error"
VALIDATION = "Validation Error"
AUTHORIZATION = "Authorization Error"
SEARCH_QUERY = "Search Query Error"


class ActionError(Exception):
    """An action's failure as CKAN reports it: HTTP status, __type, message and field errors.

    Messages stay German and English apart (Bilingual, also inside `fields`); the answer
    shows one language, chosen per request (web.labels.machine_language).
    """

    def __init__(
        self,
        status: int,
        error_type: str,
        message: Bilingual,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message.en)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.fields = dict(fields or {})

    def error_object(self, language: str = "en") -> dict[str, Any]:
        """CKAN's error object: a Validation Error carries its fields, the others a message."""
        if self.fields:
            return {"__type": self.error_type, **_in_language(self.fields, language)}
        return {"__type": self.error_type, "message": self.message.in_language(language)}


def _in_language(value: Any, language: str) -> Any:
    if isinstance(value, Bilingual):
        return value.in_language(language)
    if isinstance(value, Mapping):
        return {key: _in_language(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [_in_language(item, language) for item in value]
    return value


def not_found(what_de: str, what_en: str) -> ActionError:
    return ActionError(
        404, NOT_FOUND, Bilingual(f"Nicht gefunden: {what_de}", f"Not found: {what_en}")
    )


def validation(field: str, message_de: str, message_en: str) -> ActionError:
    message = Bilingual(message_de, message_en)
    return ActionError(409, VALIDATION, message, {field: [message]})


def validation_errors(fields: Mapping[str, Any]) -> ActionError:
    return ActionError(409, VALIDATION, Bilingual("Ungültige Eingabe", "Invalid input"), fields)


def authorization(reason_de: str, reason_en: str) -> ActionError:
    return ActionError(
        403,
        AUTHORIZATION,
        Bilingual(f"Zugriff verweigert: {reason_de}", f"Access denied: {reason_en}"),
    )


def search_query_error(reason: Bilingual) -> ActionError:
    return ActionError(
        400,
        SEARCH_QUERY,
        Bilingual(f"Suchanfrage ungültig: {reason.de}", f"Search Query is invalid: {reason.en}"),
    )


# --- parameters ----------------------------------------------------------------------------


def integer(
    parameters: Mapping[str, Any],
    key: str,
    *,
    default: int | None,
    minimum: int = 0,
    maximum: int = MAX_INTEGER,
) -> int | None:
    """An integer parameter in [minimum, maximum]; anything else is a Validation Error naming it.

    Every integer has an upper bound: an unbounded offset overflows the database's 64-bit column.
    """
    value = parameters.get(key)
    if value is None or value == "":
        return default
    number = _whole_number(value)
    if number is None:
        raise validation(key, "Ganze Zahl erwartet", "Invalid integer")
    if not minimum <= number <= maximum:
        raise validation(
            key, f"Erlaubt: {minimum} bis {maximum}", f"Allowed: {minimum} to {maximum}"
        )
    return number


_DIGITS = re.compile(r"[+-]?[0-9]{1,30}")


def _whole_number(value: Any) -> int | None:
    """A whole number given as JSON number or ASCII digits (as CKAN's int_validator takes it)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None  # is_integer() is False for inf, nan
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return None


def flag(parameters: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = parameters.get(key)
    if value in (None, ""):
        return default
    return value is True or str(value).lower() in ("true", "1", "yes", "on")


def text(parameters: Mapping[str, Any], *keys: str) -> str:
    """The first non-empty of the keys, as text."""
    for key in keys:
        value = parameters.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def text_list(value: Any, key: str) -> list[str]:
    """A list given as a list (JSON body) or as JSON text (query string), as CKAN takes both."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("[") else [value]
        except ValueError:
            raise validation(key, "JSON-Liste erwartet", "A JSON list is expected") from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise validation(key, "Liste von Texten erwartet", "A list of strings is expected")
    return value


# --- packages and organisations ----------------------------------------------------------------

# How a record's status shows in CKAN's `state` (and `private` for drafts).
STATES = {
    RecordStatus.PUBLISHED: "active",
    RecordStatus.DRAFT: "draft",
    RecordStatus.WITHDRAWN: "deleted",
}


def record_view(record: DatasetRecord) -> DatasetView:
    return stored_view(record.graph, record.uri, current_settings().catalog.language)


def package_dict(
    record: DatasetRecord,
    organizations: Mapping[str, Organization],
    view: DatasetView | None = None,
) -> dict[str, Any]:
    """package_show's result for a record, with its status as CKAN's state."""
    found = organizations.get(record.organization_id or "")
    package = ckan_package_from_view(
        view or record_view(record),
        name=record.name,
        organization=organization_dict(found, None) if found is not None else None,
        package_id=record.id,
        metadata_created=record.created_at.isoformat(),
        metadata_modified=record.updated_at.isoformat(),
    )
    package["state"] = STATES[record.status]
    package["private"] = record.status == RecordStatus.DRAFT
    return package


def organizations_by_id() -> dict[str, Organization]:
    return {organization.id: organization for organization in list_organizations(current_store())}


def organization_dict(organization: Organization, package_count: int | None) -> dict[str, Any]:
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


def package_counts() -> dict[str, int]:
    return public_counts_by_organization(current_store(), current_settings())


def find_organization(key: str) -> Organization | None:
    """An organisation by name or id."""
    return get_organization_by_name_or_id(current_store(), key)
