"""The dataset form's fields by name for people: labels, the anchor a summary links to, and
the problems (typing errors and SHACL findings) to show beside each field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext

from web.labels import language
from web.steward.form_fields import Finding

FIELD_LABELS = {
    "title_de": lazy_gettext("Titel"),
    "title_en": lazy_gettext("Titel auf Englisch"),
    "description_de": lazy_gettext("Beschreibung"),
    "description_en": lazy_gettext("Beschreibung auf Englisch"),
    "keywords": lazy_gettext("Schlagwörter"),
    "keyword_add": lazy_gettext("Schlagwort aus dem Katalog"),
    "themes": lazy_gettext("Kategorien"),
    "licence": lazy_gettext("Lizenz"),
    "attribution": lazy_gettext("Namensnennung"),
    "publisher_name": lazy_gettext("Veröffentlichende Stelle"),
    "publisher_homepage": lazy_gettext("Webseite der veröffentlichenden Stelle"),
    "contact_name": lazy_gettext("Kontakt: Name"),
    "contact_email": lazy_gettext("Kontakt: E-Mail"),
    "contact_phone": lazy_gettext("Kontakt: Telefon"),
    "contact_url": lazy_gettext("Kontakt: Webseite"),
    "whole_city": lazy_gettext("Räumlicher Bezug"),
    "districts": lazy_gettext("Stadtteile"),
    "temporal_start": lazy_gettext("Zeitraum: Beginn"),
    "temporal_end": lazy_gettext("Zeitraum: Ende"),
    "frequency": lazy_gettext("Aktualisierung"),
    "hvd_categories": lazy_gettext("HVD-Kategorien"),
    "distributions": lazy_gettext("Distributionen"),
}
ROW_LABELS = {
    "access_url": lazy_gettext("Zugangsadresse"),
    "download_url": lazy_gettext("Download-Adresse"),
    "format": lazy_gettext("Format"),
    "licence": lazy_gettext("Lizenz"),
    "title": lazy_gettext("Titel"),
    "description": lazy_gettext("Beschreibung"),
}
# Fields shown as a group of checkboxes or radios: a summary links to the first of them.
GROUPS = ("themes", "licence", "districts")
_ROW = re.compile(r"^distributions-(\d+)(?:-(\w+))?$")
_SERVICE_ROW = re.compile(r"^services-(\d+)(?:-(\w+))?$")
SERVICE_ROW_LABELS = {
    "publisher_name": lazy_gettext("Name der Stelle, die den Dienst anbietet"),
    "publisher_uri": lazy_gettext("Adresse (IRI) dieser Stelle"),
}
# The nested FieldLists of the form: rows of distributions and of access services.
_ROW_LISTS = ("distributions", "services")


@dataclass(frozen=True)
class Problem:
    """One thing to show: beside `field` (None: the record as a whole) and in the summary."""

    field: str | None
    label: str
    text: str
    severity: str  # "violation" (and typing errors), "warning" or "info"

    @property
    def anchor(self) -> str | None:
        if self.field in GROUPS:
            return f"{self.field}-0"
        return self.field

    @property
    def blocking(self) -> bool:
        return self.severity == "violation"


def field_label(field: str | None) -> str:
    if field is None:
        return gettext("Datensatz")
    row = _ROW.match(field)
    if row:
        number = int(row[1]) + 1
        part = ROW_LABELS.get(row[2] or "")
        base = gettext("Distribution %(num)s", num=number)
        return f"{base}: {part}" if part else base
    service = _SERVICE_ROW.match(field)
    if service:
        base = gettext("Dienst %(num)s", num=int(service[1]) + 1)
        part = SERVICE_ROW_LABELS.get(service[2] or "")
        return f"{base}: {part}" if part else base
    return str(FIELD_LABELS.get(field, field))


def problems_from_findings(
    findings: Iterable[Finding], shown_fields: set[str] | None
) -> list[Problem]:
    """Findings as problems; one whose field the page does not show goes to the record."""
    lang = language()
    problems = []
    for finding in findings:
        field = finding.field
        if shown_fields is not None and field not in shown_fields:
            field = _shown_parent(field, shown_fields)
        problems.append(Problem(field, field_label(field), finding.message(lang), finding.severity))
    return sorted(problems, key=lambda p: ("violation", "warning", "info").index(p.severity))


def problems_from_form_errors(errors: dict[str, object]) -> list[Problem]:
    """WTForms' errors (nested for the distribution and service rows) as problems."""
    problems = []
    for name, messages in errors.items():
        if name in _ROW_LISTS and isinstance(messages, list):
            for index, row in enumerate(messages):
                for part, texts in (row or {}).items():
                    row_field = f"{name}-{index}-{part}"
                    problems += [
                        Problem(row_field, field_label(row_field), str(t), "violation")
                        for t in texts
                    ]
        elif isinstance(messages, list):
            field = None if name == "csrf_token" else name
            problems += [Problem(field, field_label(field), str(t), "violation") for t in messages]
    return problems


def by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.field is not None:
            grouped.setdefault(problem.field, []).append(problem)
    return grouped


def _shown_parent(field: str | None, shown: set[str]) -> str | None:
    """A row's field the page lacks goes to the row, a row the page lacks to the distributions."""
    if field is None:
        return None
    row = _ROW.match(field)
    if row and f"distributions-{row[1]}" in shown:
        return f"distributions-{row[1]}"
    if row and "distributions" in shown:
        return "distributions"
    return None
