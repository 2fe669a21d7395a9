"""The harvest source form of the steward area: its fields, and their checks.

The rules are those of config.yaml (catalog.settings.SourceSettings: a slug name, a type, an
http(s) address, a schedule); this module adds what only the web needs: a unique name, an
organisation the steward administers, and the options of each type as plain fields. A server
path is not offered: which files the server reads is the operator's business (config.yaml).
The defaults, mappings and city switch are the part in web.steward.source_settings_form.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from catalog.models import HarvestSource
from catalog.settings import SourceSettings
from harvesters.registry import harvestable_types
from harvesters.spreadsheet import DEFAULT_HEADERS
from web.steward.source_settings_form import (
    SETTINGS_FIELD_ORDER,
    SourceSettingsForm,
    settings_errors,
)

SCHEDULES = ("daily", "weekly", "manual")
SPREADSHEET_FIELDS = tuple(DEFAULT_HEADERS)
MAX_OPTION_LENGTH = 500
FIELD_ORDER = (
    "name",
    "organization",
    "type",
    "url",
    "schedule",
    "ckan_organization",
    "ckan_fq",
    "separator",
    "columns",
    *SETTINGS_FIELD_ORDER,
)


@dataclass
class SourceForm:
    """What the form shows and sends; `errors` maps a field name to its message."""

    name: str = ""
    type: str = "dcat"
    url: str = ""
    organization: str = ""
    schedule: str = "daily"
    enabled: bool = True
    ckan_organization: str = ""
    ckan_fq: str = ""
    separator: str = "|"
    columns: str = ""
    settings: SourceSettingsForm = field(default_factory=SourceSettingsForm)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, form: MultiDict[str, str], *, name: str | None = None) -> SourceForm:
        """The posted form; on edit `name` is the source's own (it cannot change)."""
        return cls(
            name=name if name is not None else form.get("name", "").strip(),
            type=form.get("type", "").strip(),
            url=form.get("url", "").strip(),
            organization=form.get("organization", "").strip(),
            schedule=form.get("schedule", "").strip(),
            enabled=form.get("enabled") == "on",
            ckan_organization=form.get("ckan_organization", "").strip(),
            ckan_fq=form.get("ckan_fq", "").strip(),
            separator=form.get("separator", "|").strip() or "|",
            columns=form.get("columns", "").strip(),
            settings=SourceSettingsForm.from_request(form),
        )

    @classmethod
    def from_source(cls, source: HarvestSource, organization_name: str) -> SourceForm:
        options = dict(source.options or {})
        raw_columns = options.get("columns")
        columns = dict(raw_columns) if isinstance(raw_columns, dict) else {}
        return cls(
            name=source.name,
            type=source.type,
            url=source.url or "",
            organization=organization_name,
            schedule=source.schedule,
            enabled=source.enabled,
            ckan_organization=str(options.get("organization", "")),
            ckan_fq=str(options.get("fq", "")),
            separator=str(options.get("separator", "|")),
            columns="\n".join(f"{key} = {value}" for key, value in columns.items()),
            settings=SourceSettingsForm.from_source(source),
        )

    def options(self) -> dict[str, Any]:
        """The type's options as the harvester reads them (source.options)."""
        if self.type == "ckan":
            ckan = {"organization": self.ckan_organization, "fq": self.ckan_fq}
            return {key: value for key, value in ckan.items() if value}
        if self.type == "spreadsheet":
            options: dict[str, Any] = {"separator": self.separator}
            columns = parse_columns(self.columns)[0]
            if columns:
                options["columns"] = columns
            return options
        return {}

    def validate(
        self, *, taken_names: Collection[str], organizations: Collection[str]
    ) -> SourceSettings | None:
        """The checked settings, or None with `errors` filled in."""
        self.errors = {}
        settings = self._checked_settings()
        # A steward may choose the types this version can harvest (harvesters.registry).
        if self.type not in harvestable_types():
            self.errors.setdefault("type", gettext("Bitte eine der angebotenen Arten wählen."))
        if self.name in taken_names:
            self.errors.setdefault("name", gettext("Diesen Namen trägt schon eine Quelle."))
        if self.organization not in organizations:
            self.errors["organization"] = gettext(
                "Bitte eine Organisation wählen, deren Quellen Sie verwalten."
            )
        self._check_options()
        # The summary above the form lists the problems in the order of the fields.
        self.errors = dict(sorted(self.errors.items(), key=lambda item: _position(item[0])))
        return settings if not self.errors else None

    def _checked_settings(self) -> SourceSettings | None:
        mappings = self.settings.mappings(self.errors)
        try:
            return SourceSettings.model_validate(
                {
                    "name": self.name,
                    "type": self.type,
                    "url": self.url or None,
                    "organization": self.organization,
                    "schedule": self.schedule,
                    "enabled": self.enabled,
                    "options": self.options(),
                    "defaults": self.settings.defaults(),
                    "mappings": mappings,
                    "city_defaults": self.settings.city_defaults,
                }
            )
        except ValidationError as exc:
            for key, message in settings_errors(exc).items():
                self.errors.setdefault(key, message)
            for error in exc.errors():
                key = str(error["loc"][0]) if error["loc"] else "url"
                if key not in ("defaults", "mappings", "city_defaults"):
                    self.errors.setdefault(key, _field_message(key))
            return None

    def _check_options(self) -> None:
        if self.type == "ckan":
            for key, value in (
                ("ckan_organization", self.ckan_organization),
                ("ckan_fq", self.ckan_fq),
            ):
                if len(value) > MAX_OPTION_LENGTH:
                    self.errors[key] = gettext(
                        "Höchstens %(count)s Zeichen.", count=MAX_OPTION_LENGTH
                    )
        if self.type == "spreadsheet":
            if not 1 <= len(self.separator) <= 3:
                self.errors["separator"] = gettext("Bitte ein bis drei Zeichen angeben.")
            problem = parse_columns(self.columns)[1]
            if problem:
                self.errors["columns"] = problem


def parse_columns(text: str) -> tuple[dict[str, str], str]:
    """ "field = header" lines as a mapping, and a message for the first line that is wrong."""
    columns: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, header = line.partition("=")
        key, header = key.strip(), header.strip()
        if not sep or not header:
            return columns, gettext(
                "Zeile %(number)s: bitte als „Feld = Spaltenüberschrift“ schreiben.",
                number=number,
            )
        if key not in DEFAULT_HEADERS:
            return columns, gettext(
                "Zeile %(number)s: unbekanntes Feld „%(field)s“; bekannt sind %(known)s.",
                number=number,
                field=key,
                known=", ".join(SPREADSHEET_FIELDS),
            )
        columns[key] = header
    return columns, ""


def _position(key: str) -> int:
    """Where a field stands in the form; the cells of the mapping tables come last."""
    return FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER)


def _field_message(key: str) -> str:
    messages = {
        "name": gettext(
            "Der Name besteht aus Kleinbuchstaben, Ziffern, „-“ und „_“, beginnt mit einem "
            "Buchstaben oder einer Ziffer und hat höchstens 100 Zeichen."
        ),
        "url": gettext("Bitte die vollständige Adresse mit http:// oder https:// angeben."),
        "type": gettext("Bitte eine der angebotenen Arten wählen."),
        "schedule": gettext("Bitte einen der angebotenen Zeitpläne wählen."),
        "organization": gettext("Bitte eine Organisation wählen, deren Quellen Sie verwalten."),
    }
    return messages.get(key, gettext("Bitte prüfen Sie diese Angabe."))
