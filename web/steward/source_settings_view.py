"""What the source pages offer and show of a source's defaults and mappings, with labels in
the page's language: the choices of the form's lists and the summary on the source's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from catalog.models import HarvestSource
from dcat.vocabularies import FILE_TYPES, GEOCODING_LEVELS, LANGUAGES, LICENSES, THEMES, Vocabulary
from web.labels import concept_label, language
from web.steward.choices import Group, format_groups, licence_choices, theme_choices
from web.steward.source_settings_form import MAPPING_KINDS

# Listed first in the language choice: what a German city's sources write in.
COMMON_LANGUAGES = ("DEU", "ENG")


def settings_choices() -> dict[str, Any]:
    """The lists of the form's settings fields, as (value, label) pairs or option groups."""
    common, others = licence_choices()
    licences = [(choice.iri, choice.label) for choice in common + others]
    return {
        "licence_options": licences,
        "theme_options": theme_choices(),
        "format_option_groups": format_groups(),
        "level_options": [(concept.iri, concept_label(concept)) for concept in GEOCODING_LEVELS],
        "language_option_groups": _language_groups(),
        "mapping_kinds": MAPPING_KINDS,
        "mapping_titles": mapping_titles(),
    }


def mapping_titles() -> dict[str, str]:
    return {
        "license": gettext("Lizenzen"),
        "theme": gettext("Kategorien"),
        "format": gettext("Formate"),
    }


def _language_groups() -> list[Group]:
    base = LANGUAGES.scheme + "/"
    common = [
        (base + code, concept_label(concept))
        for code in COMMON_LANGUAGES
        if (concept := LANGUAGES.get(base + code)) is not None
    ]
    others = sorted(
        (
            (c.iri, concept_label(c))
            for c in LANGUAGES
            if c.iri[len(base) :] not in COMMON_LANGUAGES
        ),
        key=lambda choice: choice[1].casefold(),
    )
    return [(gettext("Häufig"), common), (gettext("Weitere Sprachen"), others)]


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    iri: str = ""  # shown after the label where the value is a concept or an address


@dataclass(frozen=True)
class MappingLine:
    source: str
    target_label: str
    target_iri: str


@dataclass(frozen=True)
class SettingsSummary:
    defaults: list[Fact]
    mappings: dict[str, list[MappingLine]]  # kind -> its lines; kinds without lines left out
    city_defaults: bool


def settings_summary(source: HarvestSource) -> SettingsSummary:
    """A source's stored defaults and mappings, labelled for its page."""
    defaults: dict[str, Any] = dict(source.defaults or {})
    mappings: dict[str, Any] = dict(source.mappings or {})
    vocabularies = {"license": LICENSES, "theme": THEMES, "format": FILE_TYPES}
    return SettingsSummary(
        defaults=_default_facts(defaults),
        mappings={
            kind: [
                MappingLine(str(value), _label(vocabularies[kind], str(target)), str(target))
                for value, target in (mappings.get(kind) or {}).items()
            ]
            for kind in MAPPING_KINDS
            if mappings.get(kind)
        },
        city_defaults=bool(source.city_defaults),
    )


def _default_facts(defaults: dict[str, Any]) -> list[Fact]:
    facts: list[Fact] = []
    publisher = defaults.get("publisher") or {}
    if publisher:
        facts.append(
            Fact(gettext("Herausgeber"), publisher.get("name", ""), publisher.get("uri") or "")
        )
    contact = defaults.get("contact") or {}
    if contact:
        reach = " · ".join(value for value in (contact.get("email"), contact.get("url")) if value)
        name = contact.get("name") or ""
        facts.append(Fact(gettext("Kontakt"), f"{name} ({reach})" if name else reach))
    if defaults.get("license"):
        facts.append(
            Fact(gettext("Lizenz"), _label(LICENSES, defaults["license"]), defaults["license"])
        )
    if defaults.get("contributor_id"):
        facts.append(Fact(gettext("Contributor-ID"), defaults["contributor_id"]))
    geocoding = defaults.get("political_geocoding") or {}
    if geocoding:
        level = _label(GEOCODING_LEVELS, geocoding.get("level", ""))
        facts.append(Fact(gettext("Politische Geokodierung"), level, geocoding.get("uri", "")))
    if defaults.get("themes"):
        labels = ", ".join(_label(THEMES, theme) for theme in defaults["themes"])
        facts.append(Fact(gettext("Kategorien"), labels))
    if defaults.get("language"):
        facts.append(
            Fact(gettext("Sprache"), _label(LANGUAGES, defaults["language"]), defaults["language"])
        )
    return facts


def _label(vocabulary: Vocabulary, iri: str) -> str:
    return vocabulary.label(iri, language()) or iri


def settings_context() -> dict[str, Any]:
    """For the source page's settings section (steward/sources/_settings.html)."""
    return {"source_settings_summary": settings_summary, "mapping_titles": mapping_titles()}
