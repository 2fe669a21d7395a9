"""Which per-source setting would repair a DCAT-AP.de violation: the one table of such hints.

A source's `defaults:` fill a property only where a record lacks it, and its `mappings:` replace
exactly the values the source delivers (dcat.normalise.defaults and dcat.normalise.mappings).
So a hint is given only where the setting would really change the record:

| violation | setting |
|---|---|
| dct:publisher missing, or given only as text | `defaults.publisher` |
| dcatde:contributorID missing | `defaults.contributor_id` |
| dct:license not from the dcat-ap.de list | `mappings.license` (the source's values) |
| dct:license missing | `defaults.license` |
| dcat:theme not from the EU list | `mappings.theme` (the source's values) |
| dcat:theme missing | `defaults.themes` |
| dct:format not an EU file type | `mappings.format` (the source's values) |
| dcat:contactPoint missing, K01 (no e-mail or web page) | `defaults.contact` |
| political geocoding (level or key) missing | `defaults.political_geocoding` |
| dct:language missing | `defaults.language` |
| dct:publisher of a dcat:DataService missing (3.0) | none: the source or the steward's form |

A data service's publisher has no default on purpose: who runs a service (a state geoportal may
serve a city's data) is a fact of its own, so the hint names where to state it instead of a
setting. A wrong value of a property that only has a default (a contributor ID that is no IRI, a
language outside the EU list) gets no hint: a default never overwrites what a record says, so
only the source can correct it. The job report (web/steward) and the `catalog harvest` summary
both read this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from dcat.namespaces import DCAT, DCATDE, DCT, VCARD
from dcat.validation import ValidationResult


class Needs(Enum):
    """Which findings of a property a setting repairs."""

    MISSING = "missing"  # the record lacks the property (no value in the finding)
    VALUE = "value"  # the record has a value the setting can map
    TEXT_OR_MISSING = "text_or_missing"  # lacking, or only a text where an agent belongs


@dataclass(frozen=True)
class SettingHint:
    """A setting under the source's entry (config.yaml or the source form), and what it does;
    an empty `setting` means no setting can supply the fact and the note says where to state it."""

    setting: str
    note_de: str
    note_en: str
    maps_values: bool = False  # a mapping: the source's delivered values are its keys

    def note(self, language: str) -> str:
        return self.note_en if language == "en" else self.note_de


@dataclass(frozen=True)
class _HintRule:
    paths: tuple[str, ...]
    needs: Needs
    hint: SettingHint
    # Only findings of these shapes (source_shape IRIs); empty: any shape with the path.
    shapes: tuple[str, ...] = ()


# Our 3.0 shapes' checks of a data service's publisher (dcat/shapes/dcat-ap-de-3.ttl).
_SHAPES_V3 = "urn:stadtkatalog:shapes:dcat-ap-de-3#"
SERVICE_PUBLISHER_SHAPES = (
    _SHAPES_V3 + "DataService3_publisher",
    _SHAPES_V3 + "DataService3_publisher_node",
)


_CONTACT = SettingHint(
    "defaults.contact",
    "Kontaktstelle mit E-Mail-Adresse oder Webseite für Datensätze ohne Kontaktstelle",
    "a contact point with an e-mail address or web page for records without one",
)

HINT_RULES: tuple[_HintRule, ...] = (
    # Before the dataset's publisher: the same path, but no source default fills it.
    _HintRule(
        (str(DCT.publisher),),
        Needs.TEXT_OR_MISSING,
        SettingHint(
            "",
            "den Herausgeber des Datendienstes in der Quelle angeben (CKAN: access_services mit "
            "publisher: name, uri; DCAT: dcterms:publisher am dcat:DataService) oder im Formular "
            "beim Datendienst; eine Voreinstellung der Quelle ergänzt ihn nicht",
            "state the data service's publisher in the source (CKAN: access_services with "
            "publisher: name, uri; DCAT: dcterms:publisher on the dcat:DataService) or in the "
            "form at the data service; no source default supplies it",
        ),
        shapes=SERVICE_PUBLISHER_SHAPES,
    ),
    _HintRule(
        (str(DCT.publisher),),
        Needs.TEXT_OR_MISSING,
        SettingHint(
            "defaults.publisher",
            "Herausgeber mit Name und Adresse (name, uri) für Datensätze ohne beschriebenen "
            "Herausgeber",
            "a publisher with name and address (name, uri) for records without a described "
            "publisher",
        ),
    ),
    _HintRule(
        (str(DCATDE.contributorID),),
        Needs.MISSING,
        SettingHint(
            "defaults.contributor_id",
            "Kennung der liefernden Stelle aus http://dcat-ap.de/def/contributors/",
            "the contributor ID from http://dcat-ap.de/def/contributors/",
        ),
    ),
    _HintRule(
        (str(DCT.license),),
        Needs.VALUE,
        SettingHint(
            "mappings.license",
            "die Lizenzangaben der Quelle einer Lizenz aus der dcat-ap.de-Liste zuordnen",
            "map the source's licence values to a licence from the dcat-ap.de list",
            maps_values=True,
        ),
    ),
    _HintRule(
        (str(DCT.license),),
        Needs.MISSING,
        SettingHint(
            "defaults.license",
            "Lizenz aus der dcat-ap.de-Liste für Distributionen ohne Lizenz",
            "a licence from the dcat-ap.de list for distributions without one",
        ),
    ),
    _HintRule(
        (str(DCAT.theme),),
        Needs.VALUE,
        SettingHint(
            "mappings.theme",
            "die Kategorien der Quelle einer EU-Datenkategorie zuordnen (z. B. ENVI)",
            "map the source's themes to an EU data theme (e.g. ENVI)",
            maps_values=True,
        ),
    ),
    _HintRule(
        (str(DCAT.theme),),
        Needs.MISSING,
        SettingHint(
            "defaults.themes",
            "EU-Datenkategorien für Datensätze ohne Kategorie",
            "EU data themes for records without a theme",
        ),
    ),
    _HintRule(
        (str(DCT.format),),
        Needs.VALUE,
        SettingHint(
            "mappings.format",
            "die Formatangaben der Quelle einem EU-Dateityp zuordnen (z. B. CSV)",
            "map the source's format values to an EU file type (e.g. CSV)",
            maps_values=True,
        ),
    ),
    _HintRule((str(DCAT.contactPoint),), Needs.MISSING, _CONTACT),
    _HintRule((str(VCARD.hasEmail), str(VCARD.hasURL)), Needs.MISSING, _CONTACT),
    _HintRule(
        (str(DCATDE.politicalGeocodingURI), str(DCATDE.politicalGeocodingLevelURI)),
        Needs.MISSING,
        SettingHint(
            "defaults.political_geocoding",
            "Gebietsbezug (level, uri) für Datensätze ohne Gebietsbezug",
            "a political geocoding (level, uri) for records without one",
        ),
    ),
    _HintRule(
        (str(DCT.language),),
        Needs.MISSING,
        SettingHint(
            "defaults.language",
            "Sprache für Datensätze ohne Sprachangabe",
            "a language for records without one",
        ),
    ),
)

# An IRI or a blank node as the validator writes a value; anything else was a literal.
_REFERENCE = re.compile(r"^(_:\S+|[A-Za-z][A-Za-z0-9+.-]*:\S+)$")


def setting_hint(result: ValidationResult) -> SettingHint | None:
    """The setting that would repair this finding, or None when only the source can."""
    paths = set(_path_parts(result.path))
    if result.message_de.startswith("K01") or result.message_en.startswith("K01"):
        return _CONTACT  # DCAT-AP.de convention K01 (contact needs e-mail or web page)
    for rule in HINT_RULES:
        if rule.shapes and result.source_shape not in rule.shapes:
            continue
        if paths & set(rule.paths) and _needs_met(rule.needs, result.value):
            return rule.hint
    return None


def _path_parts(path: str | None) -> list[str]:
    """The properties of a path; an alternative path (a|b) names each of them."""
    return [part.strip() for part in (path or "").split("|") if part.strip()]


def _needs_met(needs: Needs, value: str | None) -> bool:
    if needs is Needs.MISSING:
        return not value
    if needs is Needs.VALUE:
        return bool(value)
    return not value or _REFERENCE.match(value) is None
