"""What the pages show for facet values and vocabulary codes, in the page's language."""

from __future__ import annotations

import functools

from flask import request
from flask_babel import get_locale, lazy_gettext

from catalog.models import Organization
from dcat.hvd import HVD_CATEGORIES
from dcat.vocabularies import FILE_TYPES, LICENSES, THEMES, Concept

FACET_TITLES = {
    "organization": lazy_gettext("Organisation"),
    "theme": lazy_gettext("Thema"),
    "format": lazy_gettext("Format"),
    "license": lazy_gettext("Lizenz"),
    "keyword": lazy_gettext("Schlagwort"),
    "catalog": lazy_gettext("Herkunftskatalog"),
    "flag": lazy_gettext("Merkmal"),
}
FLAG_LABELS = {
    "open-license": lazy_gettext("Offene Lizenz"),
    "machine-readable": lazy_gettext("Maschinenlesbar"),
    "hvd": lazy_gettext("Hochwertiger Datensatz (HVD)"),
}


def language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "de"


@functools.cache
def themes_by_code() -> dict[str, Concept]:
    return {concept.code: concept for concept in THEMES}


@functools.cache
def file_types_by_code() -> dict[str, Concept]:
    return {concept.code: concept for concept in FILE_TYPES}


def concept_label(concept: Concept) -> str:
    if language() == "en":
        return concept.label_en or concept.label_de
    return concept.label_de or concept.label_en


def theme_label(code: str) -> str:
    concept = themes_by_code().get(code)
    return concept_label(concept) if concept else code


def format_label(code: str) -> str:
    """A file type as people name it ("Web Map Service (WMS)"), not its EU code (WMS_SRVC)."""
    concept = file_types_by_code().get(code)
    return concept_label(concept) if concept else code


def with_format(title: str, format_label: str | None) -> str:
    """ "Kleingartenanlagen (CSV)": the format after a title, unless the title already ends so."""
    if not format_label or title.rstrip().casefold().endswith(f"({format_label.casefold()})"):
        return title
    return f"{title} ({format_label})"


def license_label(iri: str) -> str:
    return LICENSES.label(iri, language()) or iri


def license_is_open(iri: str) -> bool:
    concept = LICENSES.get(iri)
    return bool(concept and concept.open)


def facet_label(facet: str, value: str, organizations: dict[str, Organization]) -> str:
    """The label of one facet value; organisations by their title."""
    if facet == "organization":
        organization = organizations.get(value)
        return organization.title if organization else value
    if facet == "theme":
        return theme_label(value)
    if facet == "license":
        return license_label(value)
    if facet == "format":
        return format_label(value)
    if facet == "flag":
        return flag_label(value)
    return value


def flag_label(value: str) -> str:
    """A flag's label; an HVD category as "HVD: Georaum"."""
    if value in FLAG_LABELS:
        return str(FLAG_LABELS[value])
    category = HVD_CATEGORIES.label(value, language())
    return f"HVD: {category}" if category else value


def machine_language() -> str:
    """The language of answers to programs: English, as their authors expect, unless the
    request's Accept-Language prefers German."""
    return request.accept_languages.best_match(["en", "de"], default="en") or "en"
