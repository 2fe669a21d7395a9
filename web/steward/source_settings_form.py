"""The defaults, mappings and city switch of the steward's source form, and their checks.

The values are checked by the models config.yaml is checked by (catalog.settings
SourceDefaults and SourceMappings, inside SourceSettings), so the web and the config accept
exactly the same settings; this module only turns form fields into that shape and pydantic's
findings into a German message at the field.

The mappings are three small tables, "value in the source" -> a DCAT-AP.de value chosen from a
list: a select cannot be mistyped and shows the labels, and a source value may itself contain
"=" (an IRI with a query), which a "value = code" text area would make ambiguous. Each table
shows the saved rows and EMPTY_ROWS empty ones, so rows are added without JavaScript: fill
them and save, and the form offers new empty rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from catalog.models import HarvestSource
from catalog.settings import SourceMappings

MAPPING_KINDS = ("license", "theme", "format")
EMPTY_ROWS = 3
MAX_ROWS = 200  # per table: what a steward maps by hand, far above any real portal's list
MAX_TEXT = 2000

# The settings fields in the order of the form.
SETTINGS_FIELD_ORDER = (
    "publisher_name",
    "publisher_uri",
    "contact_name",
    "contact_email",
    "contact_url",
    "license",
    "contributor_id",
    "geocoding_level",
    "geocoding_uri",
    "themes",
    "language",
    "city_defaults",
)
# Where pydantic reports a problem (a path in config.yaml under the source) -> the form field.
_FIELD_OF_LOC: dict[tuple[str, ...], str] = {
    ("defaults", "publisher", "name"): "publisher_name",
    ("defaults", "publisher", "uri"): "publisher_uri",
    ("defaults", "publisher"): "publisher_name",
    ("defaults", "contact", "name"): "contact_name",
    ("defaults", "contact", "email"): "contact_email",
    ("defaults", "contact", "url"): "contact_url",
    ("defaults", "contact"): "contact_email",
    ("defaults", "license"): "license",
    ("defaults", "contributor_id"): "contributor_id",
    ("defaults", "political_geocoding", "level"): "geocoding_level",
    ("defaults", "political_geocoding", "uri"): "geocoding_uri",
    ("defaults", "political_geocoding"): "geocoding_uri",
    ("defaults", "themes"): "themes",
    ("defaults", "language"): "language",
    ("city_defaults",): "city_defaults",
}


@dataclass
class MappingRow:
    source: str = ""
    target: str = ""


def _empty_tables() -> dict[str, list[MappingRow]]:
    return {kind: [] for kind in MAPPING_KINDS}


@dataclass
class SourceSettingsForm:
    """The settings part of the source form, as shown and as sent."""

    publisher_name: str = ""
    publisher_uri: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_url: str = ""
    license: str = ""
    contributor_id: str = ""
    geocoding_level: str = ""
    geocoding_uri: str = ""
    themes: list[str] = field(default_factory=list)
    language: str = ""
    city_defaults: bool = True
    tables: dict[str, list[MappingRow]] = field(default_factory=_empty_tables)

    @classmethod
    def from_request(cls, form: MultiDict[str, str]) -> SourceSettingsForm:
        def text(name: str) -> str:
            return form.get(name, "").strip()[:MAX_TEXT]

        return cls(
            publisher_name=text("publisher_name"),
            publisher_uri=text("publisher_uri"),
            contact_name=text("contact_name"),
            contact_email=text("contact_email"),
            contact_url=text("contact_url"),
            license=text("license"),
            contributor_id=text("contributor_id"),
            geocoding_level=text("geocoding_level"),
            geocoding_uri=text("geocoding_uri"),
            themes=[value.strip() for value in form.getlist("themes") if value.strip()],
            language=text("language"),
            city_defaults=form.get("city_defaults") == "on",
            tables={kind: _rows_from_request(form, kind) for kind in MAPPING_KINDS},
        )

    @classmethod
    def from_source(cls, source: HarvestSource) -> SourceSettingsForm:
        defaults: dict[str, Any] = dict(source.defaults or {})
        mappings: dict[str, Any] = dict(source.mappings or {})
        publisher = defaults.get("publisher") or {}
        contact = defaults.get("contact") or {}
        geocoding = defaults.get("political_geocoding") or {}
        return cls(
            publisher_name=publisher.get("name") or "",
            publisher_uri=publisher.get("uri") or "",
            contact_name=contact.get("name") or "",
            contact_email=contact.get("email") or "",
            contact_url=contact.get("url") or "",
            license=defaults.get("license") or "",
            contributor_id=defaults.get("contributor_id") or "",
            geocoding_level=geocoding.get("level") or "",
            geocoding_uri=geocoding.get("uri") or "",
            themes=list(defaults.get("themes") or []),
            language=defaults.get("language") or "",
            city_defaults=bool(source.city_defaults),
            tables={
                kind: [MappingRow(str(k), str(v)) for k, v in (mappings.get(kind) or {}).items()]
                for kind in MAPPING_KINDS
            },
        )

    def shown_rows(self, kind: str) -> list[MappingRow]:
        """The table's filled rows and EMPTY_ROWS empty ones to add more."""
        filled = [row for row in self.tables[kind] if row.source or row.target]
        return filled + [MappingRow() for _ in range(EMPTY_ROWS)]

    def defaults(self) -> dict[str, Any]:
        """The defaults in the shape of config.yaml; a group left empty is left out."""
        found: dict[str, Any] = {}
        if self.publisher_name or self.publisher_uri:
            found["publisher"] = {"name": self.publisher_name, "uri": self.publisher_uri or None}
        if self.contact_name or self.contact_email or self.contact_url:
            found["contact"] = {
                "name": self.contact_name or None,
                "email": self.contact_email or None,
                "url": self.contact_url or None,
            }
        if self.geocoding_level or self.geocoding_uri:
            found["political_geocoding"] = {
                "level": self.geocoding_level,
                "uri": self.geocoding_uri or None,
            }
        for key in ("license", "contributor_id", "language"):
            if getattr(self, key):
                found[key] = getattr(self, key)
        if self.themes:
            found["themes"] = list(self.themes)
        return found

    def mappings(self, errors: dict[str, str]) -> dict[str, dict[str, str]]:
        """The tables in the shape of config.yaml; rows that are wrong go to `errors` instead,
        each checked alone by SourceMappings so that the message stands at its row."""
        tables: dict[str, dict[str, str]] = {}
        for kind in MAPPING_KINDS:
            table: dict[str, str] = {}
            for number, row in enumerate(self.shown_rows(kind)):
                problem = _row_problem(kind, row, table)
                if problem is not None:
                    errors.setdefault(row_field(kind, number, problem[0]), problem[1])
                elif row.source:
                    table[row.source] = row.target
            if len(table) > MAX_ROWS:
                errors.setdefault(
                    row_field(kind, 0, "source"),
                    gettext("Höchstens %(count)s Zeilen.", count=MAX_ROWS),
                )
            if table:
                tables[kind] = table
        return tables


def row_field(kind: str, number: int, part: str) -> str:
    """The name (and, with "field-", the id) of one cell of a mapping table."""
    return f"{kind}_map-{number}-{part}"


def _rows_from_request(form: MultiDict[str, str], kind: str) -> list[MappingRow]:
    rows = []
    for number in range(MAX_ROWS + EMPTY_ROWS):
        source = row_field(kind, number, "source")
        target = row_field(kind, number, "target")
        if source not in form and target not in form:
            break
        rows.append(
            MappingRow(form.get(source, "").strip()[:MAX_TEXT], form.get(target, "").strip())
        )
    return rows


def _row_problem(kind: str, row: MappingRow, table: dict[str, str]) -> tuple[str, str] | None:
    """The cell and message of what is wrong with a row, or None."""
    if not row.source and not row.target:
        return None
    if not row.source:
        return "source", gettext("Bitte den Wert angeben, wie die Quelle ihn schreibt.")
    if not row.target:
        return "target", gettext("Bitte einen Wert aus der Liste wählen.")
    if row.source in table:
        return "source", gettext("Dieser Wert steht schon in einer Zeile darüber.")
    try:
        SourceMappings.model_validate({kind: {row.source: row.target}})
    except ValidationError:
        return "target", _MAPPING_MESSAGES[kind]()
    return None


def settings_errors(exc: ValidationError) -> dict[str, str]:
    """pydantic's findings about defaults and city switch as {form field: German message}."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        if loc[:1] not in (("defaults",), ("city_defaults",)):
            continue
        for length in range(len(loc), 0, -1):
            name = _FIELD_OF_LOC.get(loc[:length])
            if name is not None:
                errors.setdefault(name, _FIELD_MESSAGES[name]())
                break
    return errors


_MAPPING_MESSAGES: dict[str, Callable[[], str]] = {
    "license": lambda: gettext("Unbekannte Lizenz: bitte eine aus der Liste wählen."),
    "theme": lambda: gettext("Unbekannte Kategorie: bitte eine aus der Liste wählen."),
    "format": lambda: gettext("Unbekanntes Format: bitte eines aus der Liste wählen."),
}
_FIELD_MESSAGES: dict[str, Callable[[], str]] = {
    "publisher_name": lambda: gettext("Bitte den Namen des Herausgebers angeben."),
    "publisher_uri": lambda: gettext(
        "Bitte die vollständige Adresse (IRI) des Herausgebers mit http:// oder https:// "
        "angeben, oder das Feld leer lassen."
    ),
    "contact_name": lambda: gettext("Bitte prüfen Sie diese Angabe."),
    "contact_email": lambda: gettext(
        "Bitte eine gültige E-Mail-Adresse angeben (oder eine Webseite): ohne eine von beiden "
        "ist die Kontaktstelle nicht erreichbar."
    ),
    "contact_url": lambda: gettext(
        "Bitte die vollständige Adresse der Webseite mit http:// oder https:// angeben."
    ),
    "license": _MAPPING_MESSAGES["license"],
    "contributor_id": lambda: gettext(
        "Bitte die vollständige Contributor-ID (IRI) mit http:// angeben, z. B. "
        "http://dcat-ap.de/def/contributors/…"
    ),
    "geocoding_level": lambda: gettext("Bitte eine Ebene aus der Liste wählen."),
    "geocoding_uri": lambda: gettext(
        "Bitte die vollständige Adresse (IRI) des Schlüssels mit http:// angeben, z. B. "
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/…"
    ),
    "themes": _MAPPING_MESSAGES["theme"],
    "language": lambda: gettext("Unbekannte Sprache: bitte eine aus der Liste wählen."),
    "city_defaults": lambda: gettext("Bitte prüfen Sie diese Angabe."),
}
