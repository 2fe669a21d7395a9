"""The harvest source form of the steward area: its fields, and their checks.

The rules are those of config.yaml (catalog.settings.SourceSettings: a slug name, a type, an
http(s) address, a schedule); this module adds what only the web needs: a unique name, an
organisation the steward administers. A server path is not offered: which files the server
reads is the operator's business (config.yaml). Each type's options are fields built from its
options model (web.steward.source_options); the defaults, mappings and city switch are the part
in web.steward.source_settings_form.
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
from web.steward.source_options import (
    checked_options,
    default_values,
    input_names,
    posted_values,
    shown_values,
)
from web.steward.source_settings_form import (
    SETTINGS_FIELD_ORDER,
    SourceSettingsForm,
    settings_errors,
)

SCHEDULES = ("daily", "weekly", "manual")
MAIN_FIELDS = ("name", "organization", "type", "url", "schedule")
# What a connection test reads of the form; its options' fields count too.
CONNECTION_FIELDS = ("type", "url")


@dataclass
class SourceForm:
    """What the form shows and sends; `errors` maps a field name to its message."""

    name: str = ""
    type: str = "dcat"
    url: str = ""
    organization: str = ""
    schedule: str = "daily"
    enabled: bool = True
    # Every offered type's option fields by posted name, so switching the type keeps them.
    option_values: dict[str, str] = field(default_factory=default_values)
    # Stored options the form does not offer (operator-only): an edit of the same type keeps
    # them (web.steward.source_options.operator_options).
    kept_options: dict[str, Any] = field(default_factory=dict)
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
            option_values=posted_values(form),
            settings=SourceSettingsForm.from_request(form),
        )

    @classmethod
    def from_source(cls, source: HarvestSource, organization_name: str) -> SourceForm:
        return cls(
            name=source.name,
            type=source.type,
            url=source.url or "",
            organization=organization_name,
            schedule=source.schedule,
            enabled=source.enabled,
            option_values=default_values() | shown_values(source.type, source.options),
            settings=SourceSettingsForm.from_source(source),
        )

    def options(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The type's options as the harvester reads them, and {field: message} if wrong."""
        return checked_options(self.type, self.option_values, self.kept_options)

    def validate(
        self, *, taken_names: Collection[str], organizations: Collection[str]
    ) -> SourceSettings | None:
        """The checked settings, or None with `errors` filled in."""
        self.errors = {}
        options, option_errors = self.options()
        settings = self._checked_settings(options)
        self.errors.update(option_errors)
        # A steward may choose the types this version can harvest (harvesters.registry).
        if self.type not in harvestable_types():
            self.errors.setdefault("type", gettext("Bitte eine der angebotenen Arten wählen."))
        if self.name in taken_names:
            self.errors.setdefault("name", gettext("Diesen Namen trägt schon eine Quelle."))
        if self.organization not in organizations:
            self.errors["organization"] = gettext(
                "Bitte eine Organisation wählen, deren Quellen Sie verwalten."
            )
        # The summary above the form lists the problems in the order of the fields.
        self.errors = dict(sorted(self.errors.items(), key=lambda item: _position(item[0])))
        return settings if not self.errors else None

    def check_connection(self) -> dict[str, Any] | None:
        """The type's options for a connection test, or None with `errors` filled in.

        Only what the test reads is checked (type, address, options): a new source can be
        tested before it has a name.
        """
        self.validate(taken_names=(), organizations=(self.organization,))
        if not self.url:
            self.errors.setdefault("url", _field_message("url"))
        wanted = (*CONNECTION_FIELDS, *input_names())
        self.errors = {key: text for key, text in self.errors.items() if key in wanted}
        return None if self.errors else self.options()[0]

    def _checked_settings(self, options: dict[str, Any]) -> SourceSettings | None:
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
                    "options": options,
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


def _position(key: str) -> int:
    """Where a field stands in the form; the cells of the mapping tables come last."""
    order = (*MAIN_FIELDS, *input_names(), *SETTINGS_FIELD_ORDER)
    return order.index(key) if key in order else len(order)


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
