"""What the dataset form offers to choose from: licences explained in plain words, themes,
file formats and update frequencies, the common ones first, labels in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext

from dcat.hvd import HVD_CATEGORIES, ancestors, top_categories
from dcat.vocabularies import (
    EU_AUTHORITY,
    FILE_TYPES,
    FREQUENCIES,
    LICENSES,
    THEMES,
    Concept,
    Vocabulary,
)
from web.labels import concept_label

LICENCE_BASE = "http://dcat-ap.de/def/licenses/"
FILE_TYPE_BASE = EU_AUTHORITY + "file-type/"
FREQUENCY_BASE = EU_AUTHORITY + "frequency/"

# The licences a city usually chooses from, each explained in a sentence.
COMMON_LICENCES = {
    "dl-by-de/2.0": lazy_gettext(
        "Jede Nutzung erlaubt, auch kommerziell; die Quelle muss genannt werden. "
        "Die übliche Wahl für Daten der Verwaltung."
    ),
    "dl-zero-de/2.0": lazy_gettext(
        "Jede Nutzung erlaubt, ohne jede Bedingung; nicht einmal die Quelle muss genannt werden."
    ),
    "cc-by/4.0": lazy_gettext(
        "Jede Nutzung erlaubt, Quelle und Lizenz müssen genannt werden; international bekannt."
    ),
    "cc-zero": lazy_gettext(
        "Verzicht auf alle Rechte: Jede Nutzung erlaubt, ohne Bedingungen, weltweit verstanden."
    ),
    "cc-by-sa/4.0": lazy_gettext(
        "Jede Nutzung erlaubt, Quelle nennen; wer die Daten verändert weitergibt, muss dieselbe "
        "Lizenz verwenden."
    ),
    "odbl": lazy_gettext(
        "Für Datenbanken: Quelle nennen; daraus abgeleitete Datenbanken unter derselben Lizenz "
        "weitergeben."
    ),
}
COMMON_FORMATS = (
    "CSV",
    "XLSX",
    "JSON",
    "GEOJSON",
    "XML",
    "PDF",
    "SHP",
    "GML",
    "KML",
    "WMS_SRVC",
    "WFS_SRVC",
    "ZIP",
    "HTML",
)
COMMON_FREQUENCIES = (
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "QUARTERLY",
    "ANNUAL_2",
    "ANNUAL",
    "IRREG",
    "AS_NEEDED",
    "UPDATE_CONT",
    "NEVER",
    "UNKNOWN",
)


@dataclass(frozen=True)
class LicenceChoice:
    iri: str
    label: str
    explanation: str
    attribution: bool
    open: bool


def licence_choices() -> tuple[list[LicenceChoice], list[LicenceChoice]]:
    """The common licences with their explanations, then every other one with its label."""
    common = [
        _licence(LICENSES.get(LICENCE_BASE + code), str(explanation))
        for code, explanation in COMMON_LICENCES.items()
        if LICENSES.get(LICENCE_BASE + code) is not None
    ]
    shown = {choice.iri for choice in common}
    others = sorted(
        (_licence(concept, "") for concept in LICENSES if concept.iri not in shown),
        key=lambda choice: choice.label.casefold(),
    )
    return common, others


def _licence(concept: Concept | None, explanation: str) -> LicenceChoice:
    assert concept is not None
    return LicenceChoice(
        concept.iri,
        concept_label(concept),
        explanation,
        concept.attribution,
        bool(concept.open),
    )


def licence_values() -> list[tuple[str, str]]:
    """Every licence as a (value, label) choice, "" for "not yet decided"."""
    common, others = licence_choices()
    return [("", str(lazy_gettext("Noch nicht festgelegt")))] + [
        (choice.iri, choice.label) for choice in common + others
    ]


def needs_attribution(licence: str | None) -> bool:
    """Whether the licence asks users to name the source (unknown licences: assume so)."""
    if not licence:
        return False
    concept = LICENSES.get(licence)
    return concept.attribution if concept is not None else True


Group = tuple[str, list[tuple[str, str]]]


def theme_choices() -> list[tuple[str, str]]:
    return sorted(((concept.iri, concept_label(concept)) for concept in THEMES), key=lambda c: c[1])


@dataclass(frozen=True)
class HvdChoice:
    """One HVD category checkbox; depth 0 for a top category, 1 and 2 below it."""

    iri: str
    label: str
    depth: int


@dataclass(frozen=True)
class HvdGroup:
    """One of the regulation's six top categories with every category below it."""

    iri: str
    label: str
    choices: list[HvdChoice]


def hvd_category_groups() -> list[HvdGroup]:
    """The HVD categories grouped by their top category, each under its parent, in the
    vocabulary's (the Publications Office's) order."""
    tops = top_categories()
    members: dict[str, list[HvdChoice]] = {top: [] for top in tops}
    for concept in HVD_CATEGORIES:
        above = ancestors(concept.iri)
        top = above[-1] if above else concept.iri
        if top in members:
            members[top].append(HvdChoice(concept.iri, concept_label(concept), len(above)))
    groups = []
    for top in tops:
        ordered = _parents_first(members[top])
        groups.append(HvdGroup(top, ordered[0].label if ordered else top, ordered))
    return groups


def hvd_category_values() -> list[tuple[str, str]]:
    """Every HVD category as a (value, label) choice, what WTForms checks against."""
    return [(c.iri, c.label) for group in hvd_category_groups() for c in group.choices]


def _parents_first(choices: list[HvdChoice]) -> list[HvdChoice]:
    """Choices in vocabulary order, each concept right after its parent (depth-first)."""
    children: dict[str | None, list[HvdChoice]] = {}
    known = {c.iri for c in choices}
    for choice in choices:
        above = ancestors(choice.iri)
        parent = above[0] if above and above[0] in known else None
        children.setdefault(parent, []).append(choice)
    ordered: list[HvdChoice] = []
    pending = list(reversed(children.get(None, [])))
    while pending:
        choice = pending.pop()
        ordered.append(choice)
        pending.extend(reversed(children.get(choice.iri, [])))
    return ordered


def format_groups() -> list[Group]:
    """File types for a select: the common ones, then all others by label."""
    return _groups(FILE_TYPES, FILE_TYPE_BASE, COMMON_FORMATS, lazy_gettext("Weitere Formate"))


def frequency_groups() -> list[Group]:
    return _groups(FREQUENCIES, FREQUENCY_BASE, COMMON_FREQUENCIES, lazy_gettext("Weitere"))


def flat(groups: list[Group], empty_label: str) -> list[tuple[str, str]]:
    """The choices of grouped options as one list, "" first (what WTForms checks against)."""
    return [("", empty_label)] + [choice for _, choices in groups for choice in choices]


def _groups(vocabulary: Vocabulary, base: str, codes: tuple[str, ...], rest: object) -> list[Group]:
    common = [
        (base + code, concept_label(concept))
        for code in codes
        if (concept := vocabulary.get(base + code)) is not None
    ]
    shown = {iri for iri, _ in common}
    others = sorted(
        ((c.iri, concept_label(c)) for c in vocabulary if c.iri not in shown),
        key=lambda choice: choice[1].casefold(),
    )
    return [(str(lazy_gettext("Häufig")), common), (str(rest), others)]


__all__ = [
    "HvdChoice",
    "HvdGroup",
    "LicenceChoice",
    "flat",
    "format_groups",
    "frequency_groups",
    "hvd_category_groups",
    "hvd_category_values",
    "licence_choices",
    "licence_values",
    "needs_attribution",
    "theme_choices",
]
